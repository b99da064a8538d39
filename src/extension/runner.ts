// Runs scenarios for the editor without blocking the extension host. In the node host every
// run goes to a worker thread (dist/worker.js): one per open document, kept alive between
// runs (it also answers hovers from its last run); a run still going when a newer one is
// asked for is stale, so its worker is terminated and a fresh one started. In the web
// extension (no worker_threads) runs are inline. The inspector panel's queries go to the
// same worker (`inspect`): it answers them from the RunResult it holds (inspectorService.ts). Parse + check (fast) stay inline, cached
// per document version, for completion, outline, definition and rename.

import * as vscode from 'vscode';
import { Worker } from 'node:worker_threads';
import { parse } from '../language/parser';
import { check, type CheckResult } from '../language/checker';
import { runText, type RunResult } from '../scenario/run';
import { hoverAt } from '../views/hover';
import { needsWorker, staticInfo, summarize, type EditorRunOptions, type RunSummary, type StaticInfo } from '../views/summary';
import type { WorkerReply, WorkerRequest } from '../service/worker';
import { InspectorSession, type InspectorAnswer, type InspectorQuery } from '../views/inspectorService';
import { readSettings, runOptions } from './settings';
import { stats } from './stats';

/** `text`: the text a request may have to run (runs and inspector queries). */
type Pending = { resolve: (r: WorkerReply | undefined) => void; run: boolean; text?: string };

class DocWorker {
  readonly worker: Worker;
  readonly pending = new Map<number, Pending>();
  constructor(file: string, onGone: () => void) {
    this.worker = new Worker(file);
    stats.workersStarted++;
    this.worker.on('message', (m: WorkerReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.resolve(m);
    });
    const fail = () => { onGone(); this.drop(); };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }
  get running(): boolean { for (const p of this.pending.values()) if (p.run) return true; return false; }
  /** whether a request in flight runs a text other than `text` (it is stale) */
  runningOther(text: string): boolean { for (const p of this.pending.values()) if (p.run && p.text !== text) return true; return false; }
  /** the text and options of the last request sent that makes the worker run it: the worker
   * answers in order and keeps its last run, so a later request about the same text runs nothing */
  private lastText: string | undefined;
  private lastOpts: string | undefined;
  request(req: WorkerRequest): Promise<WorkerReply | undefined> {
    return new Promise((resolve) => {
      // 'static' only parses; 'hover', 'run' and 'inspect' run their text unless it is the last
      // one; a 'compare' query runs the text again as another kernel, so it is always a run
      let run = req.type === 'static';
      if (req.type !== 'static') {
        const opts = JSON.stringify(req.opts);
        const same = req.text === this.lastText && opts === this.lastOpts;
        run = req.type !== 'hover' && (!same || (req.type === 'inspect' && req.query.q === 'compare'));
        this.lastText = req.text; this.lastOpts = opts;
      }
      this.pending.set(req.id, { resolve, run, text: run ? req.text : undefined });
      this.worker.postMessage(req);
    });
  }
  drop(): void {
    for (const p of this.pending.values()) p.resolve(undefined);
    this.pending.clear();
  }
  terminate(): void { this.drop(); void this.worker.terminate(); }
}

export interface SummarizeOptions { /** document version, to cache an inline run for hover */ version?: number; /** keep the worker for later runs/hovers of this key */ persistent?: boolean }

export class ScenarioRunner implements vscode.Disposable {
  private readonly workers = new Map<string, DocWorker>();
  private readonly runs = new Map<string, { version: number; optsKey: string; result: RunResult }>();
  private readonly checks = new Map<string, { version: number; result: CheckResult }>();
  private readonly statics = new Map<string, { text: string; optsKey: string; info: StaticInfo }>();
  /** web extension only: the inspector's session per key (inline) */
  private readonly sessions = new Map<string, { text: string; optsKey: string; session: InspectorSession }>();
  private nextId = 1;
  private readonly workerFile: string;

  constructor(extensionUri: vscode.Uri) {
    this.workerFile = vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath;
  }

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

  /**
   * The Testing items and outline of `text` (parse + check, no run). A big document
   * (needsWorker) is parsed on a short-lived worker of its own (the document's worker may be
   * busy with a long run), so the host never parses it; a small one, or any in the web
   * extension, inline. A request still in flight for the same key and another text is stale:
   * it resolves undefined. Cached per key and text.
   */
  async staticInfo(key: string, text: string, opts: EditorRunOptions): Promise<StaticInfo | undefined> {
    const optsKey = JSON.stringify(opts);
    const c = this.statics.get(key);
    if (c && c.text === text && c.optsKey === optsKey) return c.info;
    let info: StaticInfo;
    if (!this.workersAvailable || !needsWorker(text)) {
      const { scenario } = parse(text);
      info = staticInfo(scenario, check(scenario, { defaultKernel: opts.defaultKernel, limits: opts.limits }), text);
    } else {
      const wkey = `static:${key}`;
      this.cancelRun(wkey, text);
      const w = this.worker(wkey);
      const reply = await w.request({ type: 'static', id: this.nextId++, text, opts });
      if (this.workers.get(wkey) === w && !w.pending.size) this.cancel(wkey);
      if (!reply || !('info' in reply)) return undefined;
      info = reply.info;
    }
    this.statics.set(key, { text, optsKey, info });
    return info;
  }

  /** A full run on this thread, cached per version (Export Trace; hover in the web host). */
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

  /** Hover markdown for a document position, from its worker's last run when it has one. */
  async hover(doc: vscode.TextDocument, line: number, character: number): Promise<string | undefined> {
    if (!this.workersAvailable) return hoverAt(this.runDocument(doc), line, character);
    const key = doc.uri.toString();
    const w = this.worker(key);
    const r = await w.request({ type: 'hover', id: this.nextId++, text: doc.getText(), opts: runOptions(readSettings(doc.uri)), line, character });
    return r && 'markdown' in r ? r.markdown : undefined;
  }

  /**
   * Runs `text` for `key` (a document URI, or a prefixed key for tests/workspace checks).
   * A run still going for the same key is stale: its worker is terminated and its promise
   * resolves undefined.
   */
  async summarize(key: string, text: string, opts: EditorRunOptions, o: SummarizeOptions = {}): Promise<RunSummary | undefined> {
    if (!this.workersAvailable) {
      await new Promise((r) => setTimeout(r, 0));
      const t0 = Date.now();
      const r = runText(text, opts);
      const ms = Date.now() - t0;
      stats.recordInlineRun(ms);
      if (o.version !== undefined) this.runs.set(key, { version: o.version, optsKey: JSON.stringify(opts), result: r });
      return summarize(r, ms, text);
    }
    const prev = this.workers.get(key);
    if (prev && (o.persistent ? prev.runningOther(text) : prev.running)) this.cancel(key);
    const w = this.worker(key);
    const reply = await w.request({ type: 'run', id: this.nextId++, text, opts });
    if (!o.persistent && this.workers.get(key) === w && !w.pending.size) this.cancel(key);
    if (!reply || !('summary' in reply)) return undefined;
    stats.recordWorkerRun(reply.summary.ms);
    return reply.summary;
  }

  /**
   * An inspector query about `text` for `key`, answered by the key's worker from its run
   * of that text (the same worker the diagnostics use, so one run serves both). A `run` query
   * is of the document's newest text: a run of another text still in flight is stale, so its
   * worker is terminated and its promise resolves undefined. Other queries (step, PTEs,
   * compare) are about the run on screen and never cancel anything. Inline (after a yield) in
   * the web extension. An error in the worker answers { q: 'none' }.
   */
  async inspect(key: string, text: string, opts: EditorRunOptions, query: InspectorQuery): Promise<InspectorAnswer | undefined> {
    if (!this.workersAvailable) {
      await new Promise((r) => setTimeout(r, 0));
      const optsKey = JSON.stringify(opts);
      let s = this.sessions.get(key);
      if (!s || s.text !== text || s.optsKey !== optsKey) {
        const t0 = Date.now();
        const r = runText(text, opts);
        stats.recordInlineRun(Date.now() - t0);
        s = { text, optsKey, session: new InspectorSession(r, text, opts) };
        this.sessions.set(key, s);
      }
      try { return s.session.answer(query); } catch (e) { return { q: 'none', reason: (e as Error).message }; }
    }
    const prev = this.workers.get(key);
    if (query.q === 'run' && prev?.runningOther(text)) this.cancel(key);
    const w = this.worker(key);
    const reply = await w.request({ type: 'inspect', id: this.nextId++, text, opts, query });
    if (!reply) return undefined;
    if ('error' in reply) return { q: 'none', reason: reply.error };
    return 'inspect' in reply ? reply.inspect : undefined;
  }

  private worker(key: string): DocWorker {
    let w = this.workers.get(key);
    if (!w) {
      const created: DocWorker = new DocWorker(this.workerFile, () => { if (this.workers.get(key) === created) this.workers.delete(key); });
      w = created;
      this.workers.set(key, w);
    }
    return w;
  }

  /** Stops any run for `key` (its worker is terminated). */
  cancel(key: string): void {
    const w = this.workers.get(key);
    if (!w) return;
    this.workers.delete(key);
    w.terminate();
  }

  /**
   * Cancels the run for `key` only if one is in flight (a newer version is coming); with
   * `text` (the newer version), only if the run in flight is of another text, so that an
   * inspector query about the current text is not cancelled by it.
   */
  cancelRun(key: string, text?: string): void {
    const w = this.workers.get(key);
    if (w && (text === undefined ? w.running : w.runningOther(text))) this.cancel(key);
  }

  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.cancel(key);
    this.runs.delete(key);
    this.checks.delete(key);
    this.statics.delete(key);
    this.cancel(`static:${key}`);
    this.sessions.delete(key);
  }

  dispose(): void {
    for (const k of [...this.workers.keys()]) this.cancel(k);
    this.runs.clear();
    this.checks.clear();
    this.statics.clear();
    this.sessions.clear();
  }
}
