// Engine vs real kernel: directive rows (docs/real-kernel.md, "Comparison"): a `kernel` line
// picks the model and an fbdev/shmem declaration with nothing to compare creates an object;
// neither is an outcome, so they are counted apart from "not observable" and the table says so.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { translateScenario } from '../../../src/oracle/translate';
import type { OracleScenarioResult, OracleStepResult } from '../../../src/oracle/results';
import { captureEngine, compareScenario, formatComparison, summaryLine } from '../../../src/oracle/compare';

function compared(text: string) {
  const { scenario } = parse(text);
  const t = translateScenario(scenario, { name: 't.mms' });
  const steps: OracleStepResult[] = t.steps.map((s) => ({
    index: s.index, line: s.line, kind: s.kind, observable: s.observable, reason: s.reason, taintedBy: s.taintedBy,
    status: s.observable === 'no' ? 'not-observable' : 'observed', tMs: 0, accesses: [], pages: [], vmas: [], objPages: [], ops: [], faults: {}, lastSignal: {}, errors: [],
  }));
  const res: OracleScenarioResult = { name: 't.mms', index: 0, status: 'ok', scenarioKernel: '6.1', steps, errors: [], calibration: [], objects: [], ms: 1,
    summary: { pass: 0, fail: 0, notObservable: 0 }, mappings: t.mappings, pids: { p: 101 }, kstates: null, release: '6.1.0-57-amd64', fbObject: null };
  return compareScenario(res, captureEngine(scenario, res, { kernel: '6.1.192' }), { lines: text.split('\n') });
}

describe('oracle comparison: directive rows', () => {
  it('kernel, fbdev and shmem lines with nothing to compare are directives, counted apart; a file with nothing to compare is not', () => {
    const c = compared('kernel 6.1\nfbdev fb pages 1 backing vmalloc\nshmem h pages 1\nfile f pages 1\nprocess p\n');
    assert.deepEqual(c.steps.map((r) => !!r.directive), [true, true, true, false, false]);
    assert.match(c.steps[0].reason!, /^directive: /);
    assert.equal(c.summary.directives, 3);
    assert.match(summaryLine(c), /, 3 directives \(engine as /);
    assert.match(formatComparison(c)[1], /directive, not an outcome \(directive: /);
    assert.match(formatComparison(c)[4], / not-observable \(/);
  });

  it('one directive is named in the singular; none, not at all', () => {
    assert.match(summaryLine(compared('kernel 6.1\nprocess p\n')), /, 1 directive \(engine as /);
    assert.doesNotMatch(summaryLine(compared('process p\n')), /directive/);
  });
});
