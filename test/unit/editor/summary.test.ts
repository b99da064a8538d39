import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { needsWorker, summarize } from '../../../src/views/summary';

describe('run summary for the editor', () => {
  it('lists every expectation with its outcome at its line', () => {
    const s = summarize(runText('process p\nmmap p anon at 0x1000000 pages 1 private rw as h\nwrite p h[0]\nexpect faults p 1\nexpect faults p 5\n'));
    assert.deepEqual(s.expectations.map((e) => [e.line, e.ok]), [[3, true], [4, false]]);
    assert.equal(s.passed, 1);
    assert.equal(s.failed, 1);
    assert.match(s.expectations[1].message!, /expected p to have taken 5 page faults, found 1/);
  });

  it('carries the Testing labels and the outline (the host needs no parse of its own)', () => {
    const text = 'process p\nmmap p anon at 0x1000000 pages 1 private rw as h\nwrite p h[0]\nexpect   faults p 1  # one\n';
    const s = summarize(runText(text), 0, text);
    assert.deepEqual(s.expectations.map((e) => [e.line, e.label]), [[3, 'expect faults p 1']]);
    assert.deepEqual(s.outline.map((n) => [n.name, n.kind, n.children.map((c) => c.name)]), [['p', 'process', ['h']]]);
    assert.equal(s.outline[0].range.end.character, 'process p'.length);
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

describe('expected/actual of a failed expectation', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { expectedActual } = require('../../../src/views/summary') as typeof import('../../../src/views/summary');
  it('keeps the unit of a count on both sides', () => {
    assert.deepEqual(expectedActual('expected p to have taken 5 page faults, found 1'), ['5 page faults', '1 page faults']);
    assert.deepEqual(expectedActual('expected 2 pages on fb0\'s deferred-I/O list, found 1 [3]'), ['2 pages on fb0\'s deferred-I/O list', '1 pages on fb0\'s deferred-I/O list [3]']);
  });
  it('takes the value after "to be" / "to raise" / "to reach"', () => {
    assert.deepEqual(expectedActual('expected the last access of p to raise SIGBUS, found none'), ['SIGBUS', 'none']);
    assert.deepEqual(expectedActual('expected result 1, found 0'), ['result 1', '0']);
  });
  it('gives nothing for a message of another shape', () => {
    assert.equal(expectedActual('process p does not exist'), undefined);
  });
});
