// The scenario runner on a worker thread (dist/worker.js): the editor sends
// { id, text, opts } and gets { id, summary } or { id, error }. A stale run is cancelled
// by terminating the worker, so this loop never needs to look at the clock.

import { parentPort } from 'node:worker_threads';
import { runText } from './run';
import { summarize, type EditorRunOptions, type RunSummary } from './summary';

export interface WorkerRequest { id: number; text: string; opts: EditorRunOptions }
export type WorkerReply = { id: number; summary: RunSummary } | { id: number; error: string };

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => {
    let reply: WorkerReply;
    try {
      const t0 = Date.now();
      const r = runText(req.text, req.opts);
      reply = { id: req.id, summary: summarize(r, Date.now() - t0) };
    } catch (e) {
      reply = { id: req.id, error: (e as Error).message };
    }
    port.postMessage(reply);
  });
}
