// Responsiveness numbers for the end-to-end latency test, written to $MMSCOPE_STATS_FILE
// (only when that variable is set, only in the node extension host): the extension host's
// event-loop stalls and the inspector's pipeline, measured here, merged with the language
// server's own (runs, workers, the diagnostics pipeline: src/service/stats.ts, asked with
// mmscope/stats).

import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import { StatsRequest, type StatsParams, type StatsResult } from '../lsp/protocol';
import { PipelineLog } from '../service/stats';

class HostStats {
  maxBlockMs = 0;
  /** event-loop stalls of 16 ms or more: [wall-clock ms at the end of the stall, stall ms] (last 500) */
  stalls: [number, number][] = [];
  /** the inspector's pipeline of recent edits, wall-clock ms: [change seen, run asked, Run posted, Step posted] (last 200) */
  panelEdits: number[][] = [];
  /** the extension host's side of the diagnostics pipeline, wall-clock ms: [change seen, run's news received] (last 200) */
  hostEdits: number[][] = [];
  enabled = false;
  reset(): void { this.maxBlockMs = 0; this.stalls = []; this.panelEdits = []; this.hostEdits = []; }
}

export const hostStats = new HostStats();

/** keystroke → inspector: 0 change seen, 1 run asked, 2 Run posted, 3 Step posted */
export const panelMarks = new PipelineLog(() => hostStats.panelEdits, 3, () => hostStats.enabled);

/** keystroke → the server's run, as the extension host sees it: 0 change seen, 1 mmscope/didRun received */
export const hostMarks = new PipelineLog(() => hostStats.hostEdits, 1, () => hostStats.enabled);

/** The stats file, when the e2e test asks for one. */
export function statsFile(): string | undefined {
  return typeof process !== 'undefined' && process.env ? process.env.MMSCOPE_STATS_FILE || undefined : undefined;
}

/** Starts the event-loop lag monitor and the stats file writer when MMSCOPE_STATS_FILE is set. */
export function startStats(client: BaseLanguageClient): vscode.Disposable {
  const file = statsFile();
  if (!file) return new vscode.Disposable(() => {});
  hostStats.enabled = true;
  const tick = 10;
  let last = Date.now();
  const lag = setInterval(() => {
    const now = Date.now();
    const stall = now - last - tick;
    hostStats.maxBlockMs = Math.max(hostStats.maxBlockMs, stall);
    if (stall >= 16) { hostStats.stalls.push([now, stall]); if (hostStats.stalls.length > 500) hostStats.stalls.shift(); }
    last = now;
  }, tick);
  const changes = vscode.workspace.onDidChangeTextDocument((e) => { if (e.document.languageId === 'mmscope' && e.contentChanges.length) hostMarks.mark(0); });
  let writing = false;
  const write = setInterval(() => {
    if (writing || !client.isRunning()) return;
    writing = true;
    // written whole, then renamed over the file, so a reader never sees half of it
    const tmp = vscode.Uri.file(`${file}.tmp`);
    // `asked`: when the server was asked (its numbers include everything before), `at`: written
    const asked = Date.now();
    void client.sendRequest<StatsResult>(StatsRequest, {} satisfies StatsParams)
      .then((server) => vscode.workspace.fs.writeFile(tmp, new TextEncoder().encode(JSON.stringify({
        ...server, maxBlockMs: hostStats.maxBlockMs, stalls: hostStats.stalls, panelEdits: hostStats.panelEdits, hostEdits: hostStats.hostEdits, asked, at: Date.now(),
      }))))
      .then(() => vscode.workspace.fs.rename(tmp, vscode.Uri.file(file), { overwrite: true }))
      .then(() => { writing = false; }, () => { writing = false; /* best effort */ });
  }, 250);
  return new vscode.Disposable(() => { clearInterval(lag); clearInterval(write); changes.dispose(); });
}

/** Resets the maxima, here and in the server (command mmscope.internal.resetStats). */
export async function resetStats(client: BaseLanguageClient): Promise<void> {
  hostStats.reset();
  await client.sendRequest(StatsRequest, { reset: true } satisfies StatsParams);
}
