// Engine vs real kernel: which of the kernel's accesses are the "tracked writes" of the
// deferred-work timing rule (docs/real-kernel.md, "fb_defio timing": a run that differs
// while a tracked write fell 30-100 ms after the cycle's first write is not observable).
// A tracked write is a write (not a read) by a process to an address where that process has
// an fb page; a write to another page in the same statement, or by another process at the
// same address, is not. The kernel's run 1 here walked another page than the engine's, so it
// differs unless such a write makes it a timing window.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { translateScenario } from '../../../src/oracle/translate';
import type { OracleAccessResult, OraclePage, OracleScenarioResult, OracleStepResult } from '../../../src/oracle/results';
import { PROBE_NEEDS, type KStep } from '../../../src/oracle/kprobes';
import { kernelStates } from '../../../src/oracle/kstate';
import { type EngineCapture, captureEngine, compareScenario } from '../../../src/oracle/compare';

const TEXT = `fbdev fb pages 4 backing vmalloc
process x
process y
mmap x fb at 0x3000000 pages 4 shared rw as v
mmap x anon at 0x1000000 pages 1 private rw as m
mmap y anon at 0x3000000 pages 1 private rw as w
write x v[2]
write x v[0]
wait 60ms`;
const WRITE2 = 6, WRITE0 = 7, WAIT = 8;
const V = 0x3000000, M = 0x1000000;

const kstep = (o: Partial<KStep> = {}): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [], ...o });
const page = (proc: string, label: string, mapping: number, addr: number): OraclePage => ({
  proc, mapping, label, page: 0, addr, present: true, swapped: false, file: label === 'v', exclusive: true, softDirty: true, uffdWp: false,
  pfn: 0, pfnId: null, zeroPage: false, folio: null,
});
const PV = page('x', 'v', 0, V), PM = page('x', 'm', 1, M), PW = page('y', 'w', 2, V);
const access = (proc: string, addr: number, write: boolean, ms: number): OracleAccessResult => ({
  proc, mapping: 0, label: '', page: 0, addr, write, faults: 1, minflt: 1, majflt: 0, signal: null, us: 1, ms,
});

/**
 * The kernel: page 2 tracked at 1 ms (the cycle's first write), its work fired at 49 ms and
 * took page 1 only; the access `extra` recorded during `write x v[0]` with the statement's
 * `pages`. The engine: both writes at 0 ms, its work at 48 ms of the wait.
 */
function oracle(extra: OracleAccessResult, pages: OraclePage[]): { res: OracleScenarioResult; scenario: ReturnType<typeof parse>['scenario'] } {
  const { scenario } = parse(TEXT);
  const t = translateScenario(scenario, { name: 't.mms' });
  const steps: OracleStepResult[] = t.steps.map((s) => ({
    index: s.index, line: s.line, kind: s.kind, observable: s.observable, reason: s.reason, taintedBy: s.taintedBy,
    status: 'observed', tMs: s.index, accesses: [], pages: [], vmas: [], objPages: [], ops: [], faults: {}, lastSignal: {}, errors: [], kernel: kstep(),
  }));
  steps[WRITE2].kernel = kstep({ mkwrites: [{ pgoff: 2, ms: 1 }] });
  steps[WRITE2].accesses = [access('x', V + 2 * 4096, true, 1)];
  steps[WRITE0].kernel = kstep({ workRuns: [{ startMs: 49, endMs: 50, pages: [1] }] });
  steps[WRITE0].accesses = [extra];
  steps[WRITE0].pages = pages;
  return {
    scenario,
    res: { name: 't.mms', index: 0, status: 'ok', scenarioKernel: '6.1', steps, errors: [], calibration: [], objects: [], ms: 500,
      summary: { pass: 0, fail: 0, notObservable: 0 }, mappings: t.mappings, pids: { x: 11, y: 12 }, kstates: kernelStates(steps.map((s) => s.kernel)),
      release: '6.1.0-57-amd64', fbObject: 'fb' },
  };
}
const probes = [...new Set(Object.values(PROBE_NEEDS).flat())].map((ev) => ({ ev, ok: true }));
const engineOf = (o: ReturnType<typeof oracle>): EngineCapture => captureEngine(o.scenario, o.res, { kernel: '6.1.192', fbDelayMs: 48 });
/** The first deferred-work run as compared at the wait: engine, kernel, verdict, reason. */
function run1(extra: OracleAccessResult, pages: OraclePage[]): string[] {
  const o = oracle(extra, pages);
  const v = compareScenario(o.res, engineOf(o), { probes }).steps[WAIT].values.find((x) => x.subject === 'work run 1')!;
  return [v.engine, v.kernel, v.verdict, v.reason ?? ''];
}
const DIFFER = 'the deferred-work runs differ';
const WINDOW = "timing window: a write fell 30-100 ms after the cycle's first write, on either side of the work";

describe('oracle comparison: the tracked fb writes of the deferred-work timing window', () => {
  it('a write of the process\'s fb page 51 ms after the cycle\'s first write makes a differing run a timing window, whatever other pages the statement has', () => {
    const [engine, kernel, verdict, reason] = run1(access('x', V, true, 52), [PV, PM]);
    // the engine's run is compared at the statement where the engine ran it, against the kernel's first run
    assert.match(engine, /^(0,2|2,0): /);
    assert.equal(kernel, '1: ');
    assert.deepEqual([verdict, reason], ['not-observable', WINDOW]);
  });

  it('outside 30-100 ms the same write does not: the run differs', () => {
    assert.equal(run1(access('x', V, true, 20), [PV, PM])[2], 'differ');
    assert.equal(run1(access('x', V, true, 101), [PV, PM])[2], 'differ');
  });

  it('a read of the fb page is not a tracked write', () => {
    assert.deepEqual(run1(access('x', V, false, 52), [PV, PM]).slice(2), ['differ', DIFFER]);
  });

  it('a write of the process\'s anon page in the same statement is not a tracked write', () => {
    assert.deepEqual(run1(access('x', M, true, 52), [PV, PM]).slice(2), ['differ', DIFFER]);
  });

  it('another process\'s write at the address of an fb page of the first is not a tracked write (its own page there is anon)', () => {
    assert.deepEqual(run1(access('y', V, true, 52), [PV, PW]).slice(2), ['differ', DIFFER]);
    // the same write by the fb page's own process is
    assert.deepEqual(run1(access('x', V, true, 52), [PV, PW]).slice(2), ['not-observable', WINDOW]);
  });

  it('an engine capture that ends before a statement with kernel writes: that row says the engine did not run it', () => {
    const o = oracle(access('x', V, true, 52), [PV, PM]);
    const e = engineOf(o);
    const short: EngineCapture = { ...e, steps: e.steps.slice(0, WRITE0) };
    const c = compareScenario(o.res, short, { probes });
    assert.deepEqual([WRITE0, WAIT].map((i) => c.steps[i].reason), ['the engine did not run this statement', 'the engine did not run this statement']);
  });
});
