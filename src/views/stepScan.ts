// Reading a step's events without materialising a million of them: its first events,
// counts of the rest, and the PTEs it changed (one pass, cached per step).

import type { Step, TraceEvent } from '../scenario/trace';
import type { RunResult } from '../scenario/run';
import { pteKey } from './names';

/** Above this many events a step is described from its first events plus counts. */
export const MAX_DESCRIBED_EVENTS = 2000;

export interface StepScan {
  events: TraceEvent[]; omitted: { faults: number; ptes: number; other: number };
  changed: Set<number>; ptes: number; walks: number; oops: boolean; signal: boolean;
}
const scans = new WeakMap<Step, StepScan>();

/** One pass over a step's log (cached): its first events, counts of the rest, the PTEs it changed. */
export function scanStep(run: RunResult, step: Step): StepScan {
  const hit = scans.get(step);
  if (hit) return hit;
  const sc: StepScan = { events: [], omitted: { faults: 0, ptes: 0, other: 0 }, changed: new Set(), ptes: 0, walks: 0, oops: false, signal: false };
  const look = (e: TraceEvent) => {
    if (e.t === 'pte') { sc.ptes++; sc.changed.add(pteKey(e.pid, e.addr)); }
    else if (e.t === 'walk') sc.walks++;
    else if (e.t === 'oops') sc.oops = true;
    else if (e.t === 'signal') sc.signal = true;
  };
  if (step.eventCount <= MAX_DESCRIBED_EVENTS) { sc.events = step.events; sc.events.forEach(look); }
  else {
    const rec = run.recorder;
    rec.decode(step.index, step.index + 1, (c) => {
      if (sc.events.length < MAX_DESCRIBED_EVENTS) { const e = rec.materialise(c); sc.events.push(e); look(e); return; }
      if (c.t === 'pte') { sc.ptes++; sc.omitted.ptes++; sc.changed.add(pteKey(c.pid, c.addr)); }
      else if (c.t === 'fault') sc.omitted.faults++;
      else { sc.omitted.other++; if (c.t === 'rare') look(rec.materialise(c)); }
    });
  }
  scans.set(step, sc);
  return sc;
}


export function changedPtes(run: RunResult, step: Step): Set<number> { return scanStep(run, step).changed; }
