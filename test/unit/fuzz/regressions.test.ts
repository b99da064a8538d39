// Regression tests for the bugs the fuzzers found, and the resource-limit refusals.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { main } from '../../../src/cli';
import { scratchFile } from './props';

const codesAt = (text: string, limits?: Parameters<typeof runText>[1]) =>
  runText(text, limits).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range.start.line}:${d.code}`);

describe('fuzz regressions', function () {
  this.timeout(20_000);
  it('out of simulated RAM is MMS606 at its line, not an internal engine error (file pages 4194304)', () => {
    // found by fuzzing: an object bigger than the simulated RAM threw 'engine: out of
    // simulated RAM', reported as MMS900 "internal engine error"
    assert.deepEqual(codesAt('process p\nfile f pages 4194304\nexpect faults p 0\n'), ['1:MMS606']);
  });

  it('out of simulated RAM across two objects stops the run at the second (MMS606)', () => {
    assert.deepEqual(codesAt('file f pages 600000\nfile g pages 600000\nprocess p\n'), ['1:MMS606']);
  });

  it('check --kernel with no value is a usage error, not a file lost from the list', () => {
    // `mmscope check f.mms --kernel` dropped f.mms (argv.indexOf(undefined) = -1 spliced the last file)
    const f = scratchFile('ok.mms', 'process p\n');
    let err = '';
    const status = main(['check', f, '--kernel'], () => {}, (s) => { err += s; });
    assert.equal(status, 2);
    assert.match(err, /--kernel wants MAJOR\.MINOR/);
  });
});

describe('resource limits: refused at their line', function () {
  this.timeout(20_000);
  it('file f pages 100000000 is refused at its line (MMS601, default limits)', () => {
    assert.deepEqual(codesAt('process p\nfile f pages 100000000\n'), ['1:MMS601']);
  });

  it('a mapping over millions of pages is refused with a small maxMappingPages (MMS602)', () => {
    const text = 'process p\nmmap p anon at 0x10000000 pages 5000000 private rw as m\nwrite p m[0..4999999]\n';
    // (the write after it then names a mapping that does not exist: MMS505 at line 2)
    assert.deepEqual(codesAt(text, { limits: { maxMappingPages: 1024 } })[0], '1:MMS602');
  });

  it('a write over millions of pages stops at its line with a small event budget (MMS604)', () => {
    const text = 'process p\nmmap p anon at 0x10000000 pages 3000000 private rw as m\nwrite p m[0..2999999]\nexpect faults p 1\n';
    const r = runText(text, { limits: { maxEvents: 10_000 } });
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errs.map((d) => `${d.range.start.line}:${d.code}`), ['2:MMS604']);
    assert.equal(r.exitStatus, 2);
  });

  // The time budget is read from a clock the test controls: one simulated millisecond per
  // reading, so where the run stops depends on how often it looks, never on the machine.
  const countingClock = () => { let t = 0; return () => t++; };

  it('a read over millions of device pages stops inside its statement when the time budget runs out (MMS605)', () => {
    const text = 'pfnmap d pages 4000000\nprocess p\nmmap p d at 0x10000000 pages 4000000 shared rw as m\nread p m[0..3999999]\nexpect faults p 0\n';
    // the recorder looks at the budget every 65,536 events: the 11th look is past 10 ms
    const r = runText(text, { limits: { maxRunMs: 10 }, clock: countingClock() });
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errs.map((d) => `${d.range.start.line}:${d.code}`), ['3:MMS605']);
    assert.equal(errs[0].message, 'run stopped in this statement: the scenario took longer than 10 ms (limit maxRunMs)');
    assert.equal(r.exitStatus, 2);
  });

  it('a long run of cheap statements stops at the statement where the budget ran out (MMS605, checked every 64 statements)', () => {
    const text = ['process p', ...Array.from({ length: 300 }, (_, i) => `process q${i}`)].join('\n');
    // readings: 0 at the start, then 1, 2, ... at statements 64, 128, ...: the 3rd check (statement 192) is past 2 ms
    const r = runText(text, { limits: { maxRunMs: 2 }, clock: countingClock() });
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errs.map((d) => `${d.range.start.line}:${d.code}`), ['191:MMS605']);
    assert.equal(errs[0].message, 'run stopped here: the scenario took longer than 2 ms (limit maxRunMs)');
  });

  it('the same scenarios with a budget that is not exceeded run to the end', () => {
    const text = ['process p', ...Array.from({ length: 300 }, (_, i) => `process q${i}`)].join('\n');
    const r = runText(text, { limits: { maxRunMs: 1000 }, clock: countingClock() });
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error'), []);
    assert.equal(r.steps.length, 301);
  });
});
