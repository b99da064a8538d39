// Responsiveness numbers for the end-to-end latency test, kept where the runs happen (the
// language server): runs on workers or inline, workers started, and the diagnostics pipeline
// of recent edits. Off unless the client asks for them (the VS Code extension does when
// MMSCOPE_STATS_FILE is set); the extension merges them with its own (event-loop stalls,
// the inspector's pipeline) into that file. No VS Code, no node-only API.

export class Stats {
  maxInlineRunMs = 0;
  inlineRuns = 0;
  workerRuns = 0;
  maxWorkerRunMs = 0;
  diagnosticsPublished = 0;
  /** worker threads started (one per document, plus one after each stale run is cancelled) */
  workersStarted = 0;
  /** the diagnostics pipeline of recent edits, wall-clock ms: [change seen, run started, run replied, published] (last 200) */
  edits: number[][] = [];
  enabled = false;
  recordInlineRun(ms: number) { this.inlineRuns++; this.maxInlineRunMs = Math.max(this.maxInlineRunMs, ms); }
  recordWorkerRun(ms: number) { this.workerRuns++; this.maxWorkerRunMs = Math.max(this.maxWorkerRunMs, ms); }
  reset(): void {
    this.maxInlineRunMs = 0; this.maxWorkerRunMs = 0; this.inlineRuns = 0; this.workerRuns = 0;
    this.diagnosticsPublished = 0; this.edits = [];
  }
}

export const stats = new Stats();

/**
 * Wall-clock marks of one pipeline's steps (0 … last) for recent edits, only while `on()`:
 * step 0 opens an entry (unless one is open), step k is kept only right after step k-1, and
 * the last step closes the entry into `done()` (the last 200 are kept).
 */
export class PipelineLog {
  private open: number[] | undefined;
  constructor(private readonly done: () => number[][], private readonly last: number, private readonly on: () => boolean) {}
  mark(step: number): void {
    if (!this.on()) return;
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

/** keystroke → diagnostics: 0 change seen, 1 run started, 2 run replied, 3 published */
export const diagnosticsMarks = new PipelineLog(() => stats.edits, 3, () => stats.enabled);
