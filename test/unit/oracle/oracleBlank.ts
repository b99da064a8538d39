// Test helper: an oracle result for a scenario text with every step observed and empty, for
// a test to fill in what the real kernel recorded (docs/real-kernel.md, "Comparison").

import { parse } from '../../../src/language/parser';
import { translateScenario } from '../../../src/oracle/translate';
import type { OracleFolio, OraclePage, OracleScenarioResult, OracleStepResult } from '../../../src/oracle/results';
import { type CompareOptions, type EngineCapture, captureEngine, compareScenario } from '../../../src/oracle/compare';

export type Blank = { res: OracleScenarioResult; lines: string[]; scenario: ReturnType<typeof parse>['scenario'] };

export function blank(text: string, pids: Record<string, number> = { p: 101, q: 102 }, at: { scenarioKernel?: string; release?: string } = {}): Blank {
  const { scenario } = parse(text);
  const t = translateScenario(scenario, { name: 't.mms' });
  const steps: OracleStepResult[] = t.steps.map((s) => ({
    index: s.index, line: s.line, kind: s.kind, observable: s.observable, reason: s.reason, taintedBy: s.taintedBy,
    status: s.observable === 'no' ? 'not-observable' : 'observed', tMs: 0, accesses: [], pages: [], vmas: [], objPages: [], ops: [],
    faults: {}, lastSignal: {}, errors: [],
  }));
  return {
    scenario, lines: text.split('\n'),
    res: { name: 't.mms', index: 0, status: 'ok', scenarioKernel: at.scenarioKernel ?? '6.1', steps, errors: [], calibration: [], objects: [], ms: 1,
      summary: { pass: 0, fail: 0, notObservable: 0 }, mappings: t.mappings, pids, kstates: null, release: at.release ?? '6.1.0-57-amd64', fbObject: null },
  };
}

/** The engine run as 6.1.192 (the oracle's Debian 6.1 release). */
export const capture = (b: Blank, fbDelayMs?: number): EngineCapture => captureEngine(b.scenario, b.res, { kernel: '6.1.192', fbDelayMs });
export const compared = (b: Blank, opts: CompareOptions = {}, fbDelayMs?: number) => compareScenario(b.res, capture(b, fbDelayMs), { lines: b.lines, ...opts });

/** A page as pagemap showed it: a hole unless `o` says otherwise. */
export function kpage(proc: string, label: string, mapping: number, page: number, addr: number, o: Partial<OraclePage> = {}): OraclePage {
  return {
    proc, mapping, label, page, addr, present: false, swapped: false, file: false, exclusive: false, softDirty: false, uffdWp: false,
    pfn: 0, pfnId: null, zeroPage: false, folio: null, ...o,
  };
}
export const kfolio = (o: Partial<OracleFolio> = {}): OracleFolio =>
  ({ flags: 0, dirty: false, writeback: false, uptodate: true, lru: true, anon: false, referenced: false, mapcount: 1, ...o });
/** An exclusive anon page, present and soft-dirty, at PFN `pfn`. */
export const kanon = (proc: string, label: string, mapping: number, page: number, addr: number, pfn: number): OraclePage =>
  kpage(proc, label, mapping, page, addr, { present: true, exclusive: true, softDirty: true, pfn, pfnId: pfn, folio: kfolio({ anon: true }) });
