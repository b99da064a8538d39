// The inspector's queries answered next to the RunResult (on the document's worker thread,
// or inline in the web extension): timeline, step detail, PTE pages, compare kernels.
// Pure (no VS Code, no worker_threads): worker.ts and the web fallback in runner.ts both
// hold one InspectorSession per run and call `answer`.
//
// State at a step: the PTE table is always paged from a TraceIndex (checkpoints + deltas).
// The step detail replays the statements up to the step (StateAtStep: exact i_mmap order,
// deferred-I/O list, mapcount, PG_locked...) while the run is small; above
// REPLAY_EVENT_LIMIT events it is rebuilt from the TraceIndex (buildStepDetailFromTrace),
// with mapcount counted from the PTEs at that step.

import { runText, type RunOptions, type RunResult } from '../scenario/run';
import type { CompareRow, InspectorRun, PteFilter, PteRow, StepDetail } from '../shared/inspectorView';
import { buildStepDetail, StateAtStep } from './stepDetail';
import { addVmaHistory } from './vmaHistory';
import { namesOf } from './names';
import { buildStepDetailFromTrace } from './stepDetailFromTrace';
import { TracePtePager } from './ptePager';
import { buildRun, compareRuns } from './timeline';
import { TraceIndex } from '../scenario/timeTravel';

/** Largest page of PTE rows answered. */
export const MAX_PTE_ROWS = 500;
/** Runs with more events than this are not replayed for a step's detail. */
export const REPLAY_EVENT_LIMIT = 200_000;

export type InspectorQuery =
  /** the run's timeline; with `step`, also that step's detail (clamped to the run's steps): the panel's one question per run */
  | { q: 'run'; step?: number }
  | { q: 'step'; step: number }
  | { q: 'ptes'; step: number; filter: PteFilter; offset: number; count: number }
  | { q: 'compare'; kernel: string };

export type InspectorAnswer =
  | { q: 'run'; run: InspectorRun; detail?: StepDetail }
  | { q: 'step'; detail: StepDetail; source: 'replay' | 'trace' }
  | { q: 'ptes'; step: number; offset: number; total: number; rows: PteRow[] }
  | { q: 'compare'; kernel: string; base: string; rows: CompareRow[] }
  | { q: 'none'; reason: string };

export class InspectorSession {
  private view: InspectorRun | undefined;
  private ti: TraceIndex | undefined;
  private states: StateAtStep | undefined;
  private pager: TracePtePager | undefined;
  private compared = new Map<string, { kernel: string; base: string; rows: CompareRow[] }>();

  constructor(readonly run: RunResult, readonly text: string, private readonly opts: RunOptions = {}, readonly replayLimit = REPLAY_EVENT_LIMIT) {}

  get replays(): boolean { return this.run.recorder.eventCount <= this.replayLimit; }
  private index(): TraceIndex { return (this.ti ??= new TraceIndex(this.run)); }
  private rowCount(): number { return this.run.steps.length; }

  answer(query: InspectorQuery): InspectorAnswer {
    switch (query.q) {
      case 'run': {
        const run = (this.view ??= buildRun(this.run, this.text));
        if (query.step === undefined || !Number.isFinite(query.step) || !run.rows.length) return { q: 'run', run };
        // the detail is extra: if it cannot be built, the timeline still goes (the panel asks for the step again)
        let step: InspectorAnswer | undefined;
        try { step = this.answer({ q: 'step', step: Math.max(0, Math.min(run.rows.length - 1, Math.trunc(query.step))) }); } catch { step = undefined; }
        return step?.q === 'step' ? { q: 'run', run, detail: step.detail } : { q: 'run', run };
      }
      case 'step': {
        if (!Number.isInteger(query.step) || query.step < 0 || query.step >= this.rowCount()) return { q: 'none', reason: 'no such step' };
        if (this.replays) {
          this.states ??= new StateAtStep(this.run, this.opts);
          const after = this.states.engineAt(query.step);
          const detail = buildStepDetail(this.run, this.text, query.step, after);
          if (query.step > 0 && detail.procs.some((p) => p.changedVmas)) {
            const objIds = new Map([...this.run.objects].map(([n, o]) => [n, o.id]));
            addVmaHistory(detail.procs, detail.objects, this.states.engineAt(query.step - 1), after, objIds, namesOf(this.run));
          }
          return { q: 'step', detail, source: 'replay' };
        }
        return { q: 'step', detail: buildStepDetailFromTrace(this.run, this.text, query.step, this.index()), source: 'trace' };
      }
      case 'ptes': {
        if (!Number.isInteger(query.step) || query.step < 0 || query.step >= this.rowCount()) return { q: 'none', reason: 'no such step' };
        if (!this.pager || this.pager.step !== query.step) this.pager = new TracePtePager(this.index(), this.run, query.step);
        const count = Math.max(0, Math.min(query.count, MAX_PTE_ROWS));
        return { q: 'ptes', step: query.step, offset: query.offset, total: this.pager.count(query.filter), rows: this.pager.rows(query.filter, query.offset, count) };
      }
      case 'compare': {
        let c = this.compared.get(query.kernel);
        if (!c) {
          const other = runText(this.text, { ...this.opts, kernelOverride: query.kernel });
          c = { kernel: other.kernel.toString(), base: this.run.kernel.toString(), rows: compareRuns(this.run, other, this.text) };
          this.compared.clear();
          this.compared.set(query.kernel, c);
        }
        return { q: 'compare', ...c };
      }
    }
  }
}
