// Runs scenarios for the editor without blocking the extension host: big documents go to a
// worker thread (dist/worker.js; one per document, terminated when its run is stale); small
// ones, and everything in the web extension (no worker_threads), run inline. Keeps the last
// inline RunResult per document version for hover.

import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import { parse } from '../language/parser';
import { check, type CheckResult } from '../language/checker';
import { runText, type RunResult } from '../scenario/run';
import { needsWorker, summarize, type EditorRunOptions, type RunSummary } from '../scenario/summary';
import type { WorkerReply, WorkerRequest } from '../scenario/worker';
import { readSettings, runOptions } from './settings';
import { stats } from './stats';

interface Busy { worker: Worker; id: number; resolve: (s: RunSummary | undefined) => void }

export class ScenarioRunner implements vscode.Disposable {
  private readonly workers = new Map<string, Busy>();
  private readonly runs = new Map<string, { version: number; optsKey: string; result: RunResult }>();
  private readonly checks = new Map<string, { version: number; result: CheckResult }>();
  private nextId = 1;

  constructor(private readonly extensionUri: vscode.Uri) {}

  get workersAvailable(): boolean { return typeof Worker === 'function'; }

  /** parse + check only (fast), cached per document version: names for completion etc. */
  checkDocument(doc: vscode.TextDocument): CheckResult {
    const key = doc.uri.toString();
    const c = this.checks.get(key);
    if (c && c.version === doc.version) return c.result;
    const s = readSettings(doc.uri);
    const result = check(parse(doc.getText()).scenario, { defaultKernel: s.defaultKernel, limits: s.limits });
    this.checks.set(key, { version: doc.version, result });
    return result;
  }

  /** A full run inline, cached per version (hover, inspector-free commands). */
  runDocument(doc: vscode.TextDocument): RunResult {
    const key = doc.uri.toString();
    const opts = runOptions(readSettings(doc.uri));
    const optsKey = JSON.stringify(opts);
    const c = this.runs.get(key);
    if (c && c.version === doc.version && c.optsKey === optsKey) return c.result;
    const t0 = Date.now();
    const result = runText(doc.getText(), opts);
    stats.recordInlineRun(Date.now() - t0);
    this.runs.set(key, { version: doc.version, optsKey, result });
    return result;
  }

  /** Cached inline run if there is one for this version. */
  cachedRun(doc: vscode.TextDocument): RunResult | undefined {
    const c = this.runs.get(doc.uri.toString());
    return c && c.version === doc.version ? c.result : undefined;
  }

  /**
   * Runs `text` for `key` (a document URI). Any run still going for the same key is
   * stale: its worker is terminated and its promise resolves undefined.
   */
  async summarize(key: string, text: string, opts: EditorRunOptions, version?: number): Promise<RunSummary | undefined> {
    this.cancel(key);
    if (this.workersAvailable && needsWorker(text)) return this.runInWorker(key, text, opts);
    // let the event loop breathe between a keystroke and an inline run
    await new Promise((r) => setTimeout(r, 0));
    const t0 = Date.now();
    const r = runText(text, opts);
    const ms = Date.now() - t0;
    stats.recordInlineRun(ms);
    if (version !== undefined) this.runs.set(key, { version, optsKey: JSON.stringify(opts), result: r });
    return summarize(r, ms);
  }

  cancel(key: string): void {
    const b = this.workers.get(key);
    if (!b) return;
    this.workers.delete(key);
    void b.worker.terminate();
    b.resolve(undefined);
  }

  private runInWorker(key: string, text: string, opts: EditorRunOptions): Promise<RunSummary | undefined> {
    return new Promise((resolve) => {
      const worker = new Worker(vscode.Uri.joinPath(this.extensionUri, 'dist', 'worker.js').fsPath);
      const id = this.nextId++;
      const busy: Busy = { worker, id, resolve };
      this.workers.set(key, busy);
      const done = (s: RunSummary | undefined) => {
        if (this.workers.get(key) === busy) this.workers.delete(key);
        void worker.terminate();
        resolve(s);
      };
      worker.on('message', (m: WorkerReply) => {
        if (m.id !== id) return;
        stats.recordWorkerRun('summary' in m ? m.summary.ms : 0);
        done('summary' in m ? m.summary : undefined);
      });
      worker.on('error', () => done(undefined));
      worker.on('exit', () => done(undefined));
      const req: WorkerRequest = { id, text, opts };
      worker.postMessage(req);
    });
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.cancel(key);
    this.runs.delete(key);
    this.checks.delete(key);
  }

  dispose(): void {
    for (const k of [...this.workers.keys()]) this.cancel(k);
    this.runs.clear();
    this.checks.clear();
  }
}
