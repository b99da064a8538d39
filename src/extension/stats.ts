// Responsiveness numbers for the end-to-end latency test: the longest inline run and the
// longest event-loop stall of the extension host. Written to $MMSCOPE_STATS_FILE (only
// when that variable is set, only in the node extension host).

import * as vscode from 'vscode';

class Stats {
  maxInlineRunMs = 0;
  inlineRuns = 0;
  workerRuns = 0;
  maxWorkerRunMs = 0;
  maxBlockMs = 0;
  diagnosticsPublished = 0;
  /** worker threads started (one per document, plus one after each stale run is cancelled) */
  workersStarted = 0;
  /** event-loop stalls of 16 ms or more: [wall-clock ms at the end of the stall, stall ms] (last 500) */
  stalls: [number, number][] = [];
  /** the diagnostics pipeline of recent edits, wall-clock ms: [change seen, debounce fired, worker replied, published] (last 200) */
  edits: number[][] = [];
  /** the inspector's pipeline of recent edits, wall-clock ms: [change seen, run asked, Run posted, Step posted] (last 200) */
  panelEdits: number[][] = [];
  enabled = false;
  recordInlineRun(ms: number) { this.inlineRuns++; this.maxInlineRunMs = Math.max(this.maxInlineRunMs, ms); }
  recordWorkerRun(ms: number) { this.workerRuns++; this.maxWorkerRunMs = Math.max(this.maxWorkerRunMs, ms); }
}

export const stats = new Stats();

/**
 * Wall-clock marks of one pipeline's steps (0 … last) for recent edits, only while the stats
 * file is written: step 0 opens an entry (unless one is open), step k is kept only right
 * after step k-1, and the last step closes the entry into `done()` (the last 200 are kept).
 */
class PipelineLog {
  private open: number[] | undefined;
  constructor(private readonly done: () => number[][], private readonly last: number) {}
  mark(step: number): void {
    if (!stats.enabled) return;
    const now = Date.now();
    if (step === 0) { this.open ??= [now]; return; }
    const e = this.open;
    if (!e || e.length !== step) return;
    e.push(now);
    if (step < this.last) return;
    const d = this.done();
    d.push(e);
    if (d.length > 200) d.shift();
    this.open = undefined;
  }
}

/** keystroke → diagnostics: 0 change seen, 1 debounce fired, 2 worker replied, 3 published */
export const diagnosticsMarks = new PipelineLog(() => stats.edits, 3);
/** keystroke → inspector: 0 change seen, 1 run asked, 2 Run posted, 3 Step posted */
export const panelMarks = new PipelineLog(() => stats.panelEdits, 3);

/** Starts the event-loop lag monitor and the stats file writer when MMSCOPE_STATS_FILE is set. */
export function startStats(): vscode.Disposable {
  const file = typeof process !== 'undefined' && process.env ? process.env.MMSCOPE_STATS_FILE : undefined;
  if (!file) return new vscode.Disposable(() => {});
  stats.enabled = true;
  const tick = 10;
  let last = Date.now();
  const lag = setInterval(() => {
    const now = Date.now();
    const stall = now - last - tick;
    stats.maxBlockMs = Math.max(stats.maxBlockMs, stall);
    if (stall >= 16) { stats.stalls.push([now, stall]); if (stats.stalls.length > 500) stats.stalls.shift(); }
    last = now;
  }, tick);
  const write = setInterval(() => {
    // written whole, then renamed over the file, so a reader never sees half of it
    const tmp = vscode.Uri.file(`${file}.tmp`);
    void vscode.workspace.fs.writeFile(tmp, new TextEncoder().encode(JSON.stringify({ ...stats, at: Date.now() })))
      .then(() => vscode.workspace.fs.rename(tmp, vscode.Uri.file(file), { overwrite: true }))
      .then(undefined, () => { /* best effort */ });
  }, 250);
  return new vscode.Disposable(() => { clearInterval(lag); clearInterval(write); });
}

/** Resets the maxima (command mmscope.internal.resetStats, used by the latency test). */
export function resetStats(): void {
  stats.maxBlockMs = 0; stats.maxInlineRunMs = 0; stats.maxWorkerRunMs = 0;
  stats.inlineRuns = 0; stats.workerRuns = 0; stats.diagnosticsPublished = 0; stats.stalls = []; stats.edits = []; stats.panelEdits = [];
}
