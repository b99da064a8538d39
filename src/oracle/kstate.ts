// What the kprobe trace says about the kernel's state at each step of a scenario: the
// last rmap walk, fb_defio's list (pending), the pages the last deferred-work run handed
// to the driver (written), how many runs completed, and when each cycle was armed (the
// first page_mkwrite of a cycle: the work fires HZ/20 later). Pure.

import type { KStep, KWalk, KWorkRun } from './kprobes';
import type { OracleMapping } from './translate';

export interface KFbState {
  /** completed deferred-work runs */
  runs: number;
  /** pages on the list (pgoff), in list order */
  pending: number[];
  /** the pages of the last completed run, in the order the work took them; null: none ran */
  lastWritten: number[] | null;
  /** ms of each cycle's first page_mkwrite (the arming write) */
  arms: number[];
}

export interface KStepState {
  /** at the step's start (an expectation sees this) */
  before: KFbState;
  /** at its end */
  after: KFbState;
  /** the last walk of a scenario task or of the deferred work, before the step */
  lastWalk: { walk: KWalk; step: number } | null;
  /** the last walk of each API before the step (`expect walk API …`) */
  lastWalkOf: Record<string, { walk: KWalk; step: number }>;
}

const copy = (s: KFbState): KFbState => ({ runs: s.runs, pending: [...s.pending], lastWritten: s.lastWritten ? [...s.lastWritten] : null, arms: [...s.arms] });

/** Fold the per-step traces (in step order) into the state before and after each step. */
export function kernelStates(steps: readonly (KStep | undefined)[]): KStepState[] {
  const st: KFbState = { runs: 0, pending: [], lastWritten: null, arms: [] };
  let lastWalk: KStepState['lastWalk'] = null;
  const lastWalkOf: KStepState['lastWalkOf'] = {};
  let armed = false;
  return steps.map((k, i) => {
    const before = copy(st);
    const walkBefore = lastWalk;
    const walkOfBefore = { ...lastWalkOf };
    if (k) {
      type Ev = { ms: number; o: 0 | 1 | 2; pgoff?: number; run?: KWorkRun };
      const evs: Ev[] = [
        ...k.mkwrites.map((m): Ev => ({ ms: m.ms, o: 1, pgoff: m.pgoff })),
        ...k.workRuns.map((r): Ev => ({ ms: r.startMs, o: 0, run: r })),
      ].sort((a, b) => a.ms - b.ms || a.o - b.o);
      for (const e of evs) {
        if (e.run) {
          // the work takes the list under fbdefio->lock: mkwrites after it start a new list
          st.runs++;
          st.lastWritten = [...e.run.pages];
          st.pending = [];
          armed = false;
        } else if (e.pgoff !== undefined) {
          if (!armed) { st.arms.push(e.ms); armed = true; }
          if (!st.pending.includes(e.pgoff)) st.pending.push(e.pgoff);
        }
      }
      if (k.walks.length) lastWalk = { walk: k.walks[k.walks.length - 1], step: i };
      for (const w of k.walks) lastWalkOf[w.api] = { walk: w, step: i };
    }
    return { before, after: copy(st), lastWalk: walkBefore, lastWalkOf: walkOfBefore };
  });
}

/** Is time t (ms) inside a timing window of a deferred-work cycle: [quiet, again) ms after its arming write? */
export function inFbWindow(s: KFbState, t: number, quiet: number, again: number): number | null {
  for (const a of s.arms) if (t - a >= quiet && t - a < again) return t - a;
  return null;
}

/** Names of the walk's VMAs: PROC:LABEL (the label of the VMA's lowest page), `~` when skipped. */
export function kernelVisitNames(w: KWalk, procOf: (tgid: number) => string | undefined, mappings: readonly OracleMapping[], withCleaned = false): string[] {
  return w.visits.map((v) => {
    const proc = procOf(v.owner);
    const m = proc === undefined ? undefined
      : [...mappings].reverse().find((x) => x.proc === proc && v.start >= x.addr && v.start < x.addr + x.pages * 4096);
    const name = `${proc ?? `pid${v.owner}`}:${m?.label ?? `0x${v.start.toString(16)}`}`;
    return `${v.skipped ? '~' : ''}${name}${withCleaned && v.cleaned ? '*'.repeat(v.cleaned) : ''}`;
  });
}
