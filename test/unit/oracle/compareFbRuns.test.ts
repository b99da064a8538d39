// Engine vs real kernel: the deferred-work timing of fb_defio at an access and at the
// expectations after it (docs/real-kernel.md, "fb_defio timing"). The kernel's deferred
// work ran once, at 99 ms, during `write x v[0]` (HZ/20 after its first tracked write in
// real time); the engine's clock never reached its 48 ms, so it ran none. Everything that
// depends on the number of runs is then not observable: an fb access's faults (and the
// cumulative count of its process from then on) and an `expect pte` over an fb page.
// What does not depend on them is still compared.

import { strict as assert } from 'assert';
import type { KStep } from '../../../src/oracle/kprobes';
import { kernelStates } from '../../../src/oracle/kstate';
import type { OracleExpectationResult } from '../../../src/oracle/results';
import { blank, compared, kanon, kpage } from './oracleBlank';

const TEXT = `fbdev fb pages 2 backing vmalloc
process x
mmap x fb at 0x3000000 pages 2 shared rw as v
mmap x anon at 0x1000000 pages 1 private rw as m
write x m[0]
write x v[0]
read x v[0]
expect pte x m[0] present
expect signal x none
expect faults x 2
expect faults x 2`;
const READ = 6, PTE = 7, SIGNAL = 8, FAULTS = 9, FAULTS2 = 10;
const RAN = "timing window: the kernel's deferred work has run 1 time(s), the engine's 0 (the kernel fires HZ/20 after the first tracked write in real time; the oracle's statements take real time)";
const EARLIER = 'timing window: an earlier fb access of this process was not comparable, so its cumulative count is not either';

const kstep = (o: Partial<KStep> = {}): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [], ...o });
const fails = (...subjects: string[]): OracleExpectationResult => ({ verdict: 'fail', checks: subjects.map((subject) => ({ subject, flag: 'f', verdict: 'fail' })) });

function run(readPages = true) {
  const b = blank(TEXT, { x: 101 });
  const s = b.res.steps;
  s.forEach((x) => { x.kernel = kstep(); x.tMs = x.index * 10; });
  s[5].kernel = kstep({ mkwrites: [{ pgoff: 0, ms: 51 }], workRuns: [{ startMs: 99, endMs: 100, pages: [0] }] });
  const fb = kpage('x', 'v', 0, 0, 0x3000000, { present: true, file: true, exclusive: true, softDirty: true, pfn: 9, pfnId: 9 });
  const anon = kanon('x', 'm', 1, 0, 0x1000000, 10);
  // the read of the fb page, with the anon page observed at the same statement
  s[READ].accesses = [{ proc: 'x', mapping: 0, label: 'v', page: 0, addr: 0x3000000, write: false, faults: 0, minflt: 0, majflt: 0, signal: null, us: 1, ms: 120 }];
  s[READ].pages = readPages ? [fb, anon] : [];
  // an expect pte over an anon page and an fb page (the oracle looked at both)
  s[PTE].pages = [anon, fb];
  s[SIGNAL].pages = [fb];
  for (const i of [PTE, SIGNAL, FAULTS]) s[i].expectation = fails('x');
  s[FAULTS2].expectation = fails('x', 'y');
  b.res.fbObject = 'fb'; b.res.ms = 200;
  b.res.kstates = kernelStates(s.map((x) => x.kernel));
  const c = compared(b, {}, 48);
  return (i: number, field: string) => {
    const v = c.steps[i].values.find((x) => x.field === field)!;
    return `${v.verdict}${v.reason ? `: ${v.reason}` : ''}`;
  };
}

describe('oracle comparison: fb_defio runs that differ, at an fb access and the expectations after it', () => {
  it('an fb access outside any arming write\'s window takes the statement\'s reason: its faults are not observable', () => {
    assert.equal(run()(READ, 'faults'), `not-observable: ${RAN}`);
  });

  it('the cumulative faults of that process are not observable afterwards, also for an expectation naming it with another process', () => {
    const v = run();
    assert.equal(v(FAULTS, 'faults'), `not-observable: ${EARLIER}`);
    assert.equal(v(FAULTS2, 'faults'), `not-observable: ${EARLIER}`);
  });

  it('without that fb access the process\'s count stays comparable', () => {
    assert.equal(run(false)(FAULTS, 'faults'), 'differ');
  });

  it('an expect pte over an fb page (among others) depends on the runs; an expect signal on the same pages does not', () => {
    const v = run();
    assert.equal(v(PTE, 'pte'), `not-observable: ${RAN}`);
    assert.equal(v(SIGNAL, 'signal'), 'differ');
  });
});
