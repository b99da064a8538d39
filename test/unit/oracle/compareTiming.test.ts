// Engine vs real kernel: the end of a statement's fb_defio timing window (docs/real-kernel.md,
// "fb_defio timing"). At `wait`, the engine's deferred work ran at 48 ms and write-protected
// the fb page; the kernel's had not run by the end of the statement. Whether that is a
// timing window or a finding depends on how long after the arming write the statement ended:
// the next observed statement's start, else the end of the scenario, else its own start.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { translateScenario } from '../../../src/oracle/translate';
import type { OracleScenarioResult, OracleStepResult } from '../../../src/oracle/results';
import { PROBE_NEEDS, PTE, type KStep } from '../../../src/oracle/kprobes';
import { kernelStates } from '../../../src/oracle/kstate';
import { captureEngine, compareScenario } from '../../../src/oracle/compare';

const kstep = (o: Partial<KStep> = {}): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [], ...o });
const bit = (...b: number[]) => b.reduce((v, x) => v | (1n << BigInt(x)), 0n);

/** The fb page's value at `wait` when the scenario's later timestamps are `after` (ms from its start; the arming write is at 10 ms). */
function pagesAtWait(text: string, after: { next?: number; later?: number; end: number | null; own?: number | null }): string {
  const { scenario } = parse(text);
  const t = translateScenario(scenario, { name: 't.mms' });
  const steps: OracleStepResult[] = t.steps.map((s) => ({
    index: s.index, line: s.line, kind: s.kind, observable: s.observable, reason: s.reason, taintedBy: s.taintedBy,
    status: 'observed', tMs: s.index, accesses: [], pages: [], vmas: [], objPages: [], ops: [], faults: {}, lastSignal: {}, errors: [], kernel: kstep(),
  }));
  steps[3].kernel = kstep({ mkwrites: [{ pgoff: 0, ms: 10 }] }); steps[3].tMs = 10;
  steps[4].tMs = after.own === undefined ? 11 : after.own;
  if (steps[5]) steps[5].tMs = after.next ?? null;
  if (steps[6]) steps[6].tMs = after.later ?? null;
  steps[4].pages = [{ proc: 'x', mapping: 0, label: 'v', page: 0, addr: 0x3000000, present: true, swapped: false, file: true, exclusive: true, softDirty: true, uffdWp: false,
    pfn: 9, pfnId: 9, zeroPage: false, folio: { flags: 0, dirty: true, writeback: false, uptodate: true, lru: false, anon: false, referenced: false, mapcount: 1 } }];
  // the kernel's PTE still writable and dirty: its deferred work has not cleaned it
  steps[4].kernel = kstep({ ptes: [{ owner: 11, addr: 0x3000000, pte: bit(PTE.PRESENT, PTE.RW, PTE.ACCESSED, PTE.DIRTY), page: null, mapping: null, index: null }] });
  const res: OracleScenarioResult = { name: 't.mms', index: 0, status: 'ok', scenarioKernel: '6.1', steps, errors: [], calibration: [], objects: [], ms: after.end,
    summary: { pass: 0, fail: 0, notObservable: 0 }, mappings: t.mappings, pids: { x: 11 }, kstates: kernelStates(steps.map((s) => s.kernel)), release: '6.1.0-57-amd64', fbObject: 'fb' };
  const probes = [...new Set(Object.values(PROBE_NEEDS).flat())].map((ev) => ({ ev, ok: true }));
  const v = compareScenario(res, captureEngine(scenario, res, { kernel: '6.1.192', fbDelayMs: 48 }), { probes }).steps[4].values.find((x) => x.field === 'pages')!;
  return `${v.verdict}${v.reason ? `: ${v.reason}` : ''}`;
}

const HEAD = 'fbdev fb pages 1 backing vmalloc\nprocess x\nmmap x fb at 0x3000000 pages 1 shared rw as v\nwrite x v[0]\nwait 60ms\n';
const FOUND = 'differ: [0] pte write: engine 0, kernel 1; [0] pte dirty: engine 0, kernel 1';

describe('oracle comparison: where a statement\'s fb timing window ends', () => {
  it('the next statement\'s start: under 100 ms after the arming write the kernel\'s work was not due yet (PTE bits not compared); from 100 ms it is a finding', () => {
    assert.equal(pagesAtWait(HEAD + 'read x v[0]\n', { next: 70, end: 500 }), 'agree');
    assert.equal(pagesAtWait(HEAD + 'read x v[0]\n', { next: 109, end: 500 }), 'agree');
    assert.equal(pagesAtWait(HEAD + 'read x v[0]\n', { next: 110, end: 500 }), FOUND);
  });

  it('the last statement: the end of the scenario; without one, the statement\'s own start', () => {
    assert.equal(pagesAtWait(HEAD, { end: 500 }), FOUND);
    assert.equal(pagesAtWait(HEAD, { end: 70 }), 'agree');
    assert.equal(pagesAtWait(HEAD, { end: null }), 'agree');
    assert.equal(pagesAtWait(HEAD, { end: null, own: 200 }), FOUND);
  });

  it('a later statement without a timestamp is skipped for the next one that has one', () => {
    assert.equal(pagesAtWait(HEAD + 'read x v[0]\n', { next: undefined, end: 70 }), 'agree');
    assert.equal(pagesAtWait(HEAD + 'read x v[0]\n', { next: undefined, end: 500 }), FOUND);
    // ... the one after it, not the end of the scenario
    assert.equal(pagesAtWait(HEAD + 'read x v[0]\nread x v[0]\n', { next: undefined, later: 110, end: 70 }), FOUND);
    assert.equal(pagesAtWait(HEAD + 'read x v[0]\nread x v[0]\n', { next: undefined, later: 70, end: 500 }), 'agree');
  });
});
