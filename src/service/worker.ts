// The scenario runner on a worker thread (dist/worker.js). Requests, answered in order:
//   { type: 'run', id, text, opts }                 → { id, summary }
//   { type: 'hover', id, text, opts, line, character } → { id, markdown }
//   { type: 'inspect', id, text, opts, query }         → { id, inspect } (inspector panel)
//   { type: 'static', id, text, opts }                 → { id, info } (parse + check only:
//     Testing items and outline of a big document, so the host never parses it)
// The worker keeps the RunResult of the last text it ran, so a hover after a run of the
// same text costs nothing. A stale run is cancelled by terminating the worker, so this loop
// never needs to look at the clock.

import { parentPort } from 'node:worker_threads';
import { parse } from '../language/parser';
import { check } from '../language/checker';
import { runText, type RunResult } from '../scenario/run';
import { staticInfo, summarize, type EditorRunOptions, type RunSummary, type StaticInfo } from '../views/summary';
import { hoverAt } from '../views/hover';
import { InspectorSession, type InspectorAnswer, type InspectorQuery } from '../views/inspectorService';

export type WorkerRequest =
  | { type: 'run'; id: number; text: string; opts: EditorRunOptions }
  | { type: 'hover'; id: number; text: string; opts: EditorRunOptions; line: number; character: number }
  | { type: 'inspect'; id: number; text: string; opts: EditorRunOptions; query: InspectorQuery }
  | { type: 'static'; id: number; text: string; opts: EditorRunOptions };
export type WorkerReply =
  | { id: number; summary: RunSummary }
  | { id: number; markdown: string | undefined }
  | { id: number; inspect: InspectorAnswer }
  | { id: number; info: StaticInfo }
  | { id: number; error: string };

let last: { text: string; optsKey: string; result: RunResult; ms: number } | undefined;

function run(text: string, opts: EditorRunOptions): { result: RunResult; ms: number } {
  const optsKey = JSON.stringify(opts);
  if (last && last.text === text && last.optsKey === optsKey) return last;
  const t0 = Date.now();
  const result = runText(text, opts);
  last = { text, optsKey, result, ms: Date.now() - t0 };
  return last;
}

let session: InspectorSession | undefined;

/** Answers one request from the last run of its text (running it first if needed). */
export function handleRequest(req: WorkerRequest): WorkerReply {
  try {
    if (req.type === 'static') {
      if (last && last.text === req.text && last.optsKey === JSON.stringify(req.opts)) return { id: req.id, info: staticInfo(last.result.scenario, last.result.check, req.text) };
      const { scenario } = parse(req.text);
      return { id: req.id, info: staticInfo(scenario, check(scenario, { limits: req.opts.limits, defaultKernel: req.opts.defaultKernel }), req.text) };
    }
    const r = run(req.text, req.opts);
    if (req.type === 'run') return { id: req.id, summary: summarize(r.result, r.ms, req.text) };
    if (req.type === 'hover') return { id: req.id, markdown: hoverAt(r.result, req.line, req.character) };
    if (!session || session.run !== r.result) session = new InspectorSession(r.result, req.text, req.opts);
    return { id: req.id, inspect: session.answer(req.query) };
  } catch (e) {
    return { id: req.id, error: (e as Error).message };
  }
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (req: WorkerRequest) => port.postMessage(handleRequest(req)));
}
