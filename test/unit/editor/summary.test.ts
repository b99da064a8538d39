import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { needsWorker, summarize } from '../../../src/scenario/summary';

describe('run summary for the editor', () => {
  it('lists every expectation with its outcome at its line', () => {
    const s = summarize(runText('process p\nmmap p anon at 0x1000000 pages 1 private rw as h\nwrite p h[0]\nexpect faults p 1\nexpect faults p 5\n'));
    assert.deepEqual(s.expectations.map((e) => [e.line, e.ok]), [[3, true], [4, false]]);
    assert.equal(s.passed, 1);
    assert.equal(s.failed, 1);
    assert.match(s.expectations[1].message!, /expected p to have taken 5 page faults, found 1/);
  });

  it('survives structured cloning (it crosses a worker boundary)', () => {
    const s = summarize(runText('process p\nwrite q h[0]\n'));
    assert.deepEqual(structuredClone(s), s);
    assert.equal(s.exitStatus, 2);
  });

  it('sends a long document to the worker', () => {
    assert.equal(needsWorker('process p\n'.repeat(2500)), true);
    assert.equal(needsWorker('process p\n'.repeat(200)), false);
  });

  it('sends a statement with a big page count or page range to the worker', () => {
    assert.equal(needsWorker('file big pages 1_000_000\n'), true);
    assert.equal(needsWorker('write p m[0..100000]\n'), true);
    assert.equal(needsWorker('file f pages 16\nwrite p m[0..3]\n'), false);
  });
});
