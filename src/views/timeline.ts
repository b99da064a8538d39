// The timeline: one row per statement in kernel words (sent once per run), and the
// comparison of two runs of one text as different kernels.

import type { CompareRow, InspectorRun, RowStatus, TimelineRow } from '../shared/inspectorView';
import type { RunResult } from '../scenario/run';
import type { Step } from '../scenario/trace';
import { namesOf, sourceLine } from './names';
import { describeStep } from './narrate';
import { scanStep } from './stepScan';

function stepStatus(run: RunResult, step: Step): RowStatus {
  if (step.skipped) return 'skip';
  if (step.expect) return step.expect.ok ? 'pass' : 'fail';
  const sc = scanStep(run, step);
  return sc.oops ? 'oops' : sc.signal ? 'signal' : step.eventCount ? 'event' : 'none';
}

export function buildTimeline(run: RunResult, text: string): TimelineRow[] {
  const names = namesOf(run);
  const lines = text.split(/\r?\n/);
  return run.steps.map((s) => {
    const { ptes, walks } = scanStep(run, s);
    const t = s.expect ? [`${s.expect.ok ? 'passed' : 'FAILED'}: ${s.expect.message}`] : describeStep(s, names, run);
    return { step: s.index, line: s.line, kind: s.kind, source: sourceLine(lines, s.line), text: t, status: stepStatus(run, s), time: s.time, ptes, walks };
  });
}

let nextRunId = 1;
export function buildRun(run: RunResult, text: string): InspectorRun {
  return {
    runId: nextRunId++, kernel: run.kernel.toString(), passed: run.passed, failed: run.failed,
    rows: buildTimeline(run, text), procs: [...run.pids.keys()], objects: [...run.objects.keys()],
  };
}

// ---- compare kernels ----------------------------------------------------------------------

export function compareRuns(base: RunResult, other: RunResult, text: string): CompareRow[] {
  const a = buildTimeline(base, text), b = buildTimeline(other, text);
  const n = Math.max(a.length, b.length);
  const out: CompareRow[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i];
    const bt = x ? x.text.join('\n') : '', ot = y ? y.text.join('\n') : '';
    out.push({
      step: i, line: (x ?? y).line, source: (x ?? y).source, base: bt, other: ot,
      baseStatus: x?.status ?? 'none', otherStatus: y?.status ?? 'none', differs: bt !== ot || x?.status !== y?.status,
    });
  }
  return out;
}
