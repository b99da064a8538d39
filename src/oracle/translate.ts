// Scenario -> straight-line C for the real-kernel oracle (docs/real-kernel.md).
//
// Every statement becomes one *step*. The generated driver (src/oracle/guest/oracle.h)
// runs the steps in scenario order: a step of a process is sent to that process over
// its pipe and acknowledged (lock-step), a kernel operation with a user-space trigger
// (fsync, sleep, debugfs) is done by the driver itself. After each step the driver
// records what user space can see of the mappings the step touched: pagemap
// (present, soft-dirty, exclusive, file, PFN), kpageflags/kpagecount of the mapped
// pages, smaps of the VMAs, and the cumulative fault count of every process.
// A statement with no user-space trigger is reported as not observable and emits
// nothing: the oracle never fakes a kernel operation.
//
// The pieces, in translate/: types.ts (what a translation holds), objects.ts (what
// realises each object and process), model.ts (the guest as the translator tracks it),
// emitters/ (one emitter per statement kind, in a table), observe.ts (what is recorded
// after a step), program.ts (the C program).

import type { Scenario, Statement } from '../language/ast';
import { OBSERVE, StepContext, type Emission, type Emitter } from './translate/context';
import { EMITTERS } from './translate/emitters';
import { OracleModel } from './translate/model';
import { collectObjects, collectProcesses } from './translate/objects';
import { emitObservation } from './translate/observe';
import { buildProgram, scenarioFragment } from './translate/program';
import type { OracleStep, OracleTranslation, TranslateOptions } from './translate/types';

export * from './translate/types';
export { buildProgram } from './translate/program';
export { folioFlagObservable, pteFlagObservable } from './translate/observable';

export function translateScenario(scn: Scenario, opts: TranslateOptions = {}): OracleTranslation {
  const name = opts.name ?? 'scenario';
  const sIdx = opts.index ?? 0;
  const objects = collectObjects(scn, opts);
  const model = new OracleModel(objects, new Map(objects.map(o => [o.name, o])), collectProcesses(scn, opts));
  const out: Emission = { stepCases: [], driver: [], notObservable: [] };
  const steps: OracleStep[] = [];

  scn.statements.forEach((st, k) => {
    const step: OracleStep = {
      index: k, line: st.range.start.line, kind: st.kind, observable: 'yes', runsIn: null,
      accesses: [], snapshots: [], objPages: [], taintedBy: [],
    };
    steps.push(step);
    const cx = new StepContext(st, k, step, model, out, opts);
    if (opts.invalid?.has(st)) { cx.no('rejected by the checker: not run'); return; }
    if (model.dirtyTaint.size) step.dirtyTaint = [...model.dirtyTaint.values()];
    const emit = EMITTERS[st.kind] as Emitter<Statement['kind']>;
    if (emit(st, cx) === OBSERVE) emitObservation(cx);
  });

  const { fn, fragment } = scenarioFragment(sIdx, name, steps.length, model.processes.length, objects, out.stepCases, out.driver);
  const t: OracleTranslation = {
    name, index: sIdx, fn, fragment, c: '', steps, notObservable: out.notObservable, objects,
    processes: model.processes, mappings: model.mappings, scenarioKernel: model.scenarioKernel,
  };
  t.c = buildProgram([t]);
  return t;
}
