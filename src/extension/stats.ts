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
  edits: [number, number, number, number][] = [];
  private pendingEdit: number[] | undefined;
  /** marks a step of the edit → diagnostics pipeline (0: change seen … 3: published); only while the stats file is written */
  mark(step: 0 | 1 | 2 | 3): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (step === 0) { if (!this.pendingEdit) this.pendingEdit = [now]; return; }
    const e = this.pendingEdit;
    if (!e || e.length !== step) return;
    e.push(now);
    if (step === 3) { this.edits.push(e as [number, number, number, number]); if (this.edits.length > 200) this.edits.shift(); this.pendingEdit = undefined; }
  }
  enabled = false;
  /** the inspector's pipeline of recent edits, wall-clock ms: [change seen, run asked, Run posted, Step posted] (last 200) */
  panelEdits: number[][] = [];
  private pendingPanel: number[] | undefined;
  /** marks a step of the edit → inspector pipeline (0: change seen … 3: step detail posted) */
  markPanel(step: 0 | 1 | 2 | 3): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (step === 0) { if (!this.pendingPanel) this.pendingPanel = [now]; return; }
    const e = this.pendingPanel;
    if (!e || e.length !== step) return;
    e.push(now);
    if (step === 3) { this.panelEdits.push(e); if (this.panelEdits.length > 200) this.panelEdits.shift(); this.pendingPanel = undefined; }
  }
  recordInlineRun(ms: number) { this.inlineRuns++; this.maxInlineRunMs = Math.max(this.maxInlineRunMs, ms); }
  recordWorkerRun(ms: number) { this.workerRuns++; this.maxWorkerRunMs = Math.max(this.maxWorkerRunMs, ms); }
}

export const stats = new Stats();

/** Starts the event-loop lag monitor and the stats file writer when MMSCOPE_STATS_FILE is set. */
export function startStats(): vscode.Disposable {
  const file = typeof process !== 'undefined' && process.env && !process.env.MMSCOPE_WEB ? process.env.MMSCOPE_STATS_FILE : undefined;
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
    void vscode.workspace.fs.writeFile(vscode.Uri.file(file), new TextEncoder().encode(JSON.stringify({ ...stats, at: Date.now() })))
      .then(undefined, () => { /* best effort */ });
  }, 250);
  return new vscode.Disposable(() => { clearInterval(lag); clearInterval(write); });
}

/** Resets the maxima (command mmscope.internal.resetStats, used by the latency test). */
export function resetStats(): void {
  stats.maxBlockMs = 0; stats.maxInlineRunMs = 0; stats.maxWorkerRunMs = 0;
  stats.inlineRuns = 0; stats.workerRuns = 0; stats.diagnosticsPublished = 0; stats.stalls = []; stats.edits = []; stats.panelEdits = [];
}
