// One update loop per document: each scenario document is run once per version, and that
// run feeds every consumer (diagnostics, Testing, CodeLens, the inspector panel, hover)
// through onDidRun. The inspector and the hover then ask about that run by its id.
//
// When to run (adaptive, not a fixed debounce):
// - a document whose last run was cheap runs at once on each change; a change while its run
//   is in flight is coalesced: the newest version runs as soon as that run returns (a run of
//   an older version is not published);
// - a big document (needsWorker) or one whose last run took SLOW_RUN_MS or more backs off:
//   it runs `mmscope.updateDelay` ms after typing pauses, and a run still in flight for an
//   older version is cancelled (its worker terminated).

import * as vscode from 'vscode';
import { needsWorker, type EditorRunOptions, type RunSummary } from '../views/summary';
import type { Backend } from './backend';
import { isScenario } from './convert';
import { readSettings, runOptions } from './settings';
import { diagnosticsMarks } from './stats';

/** A run this long or longer makes its document back off (ms of the run itself). */
export const SLOW_RUN_MS = 50;

export interface DocumentRun {
  readonly uri: vscode.Uri;
  readonly key: string;
  readonly version: number;
  readonly runId: number;
  readonly opts: EditorRunOptions;
  readonly summary: RunSummary;
}

interface DocState {
  key: string;
  timer?: ReturnType<typeof setTimeout>;
  /** the run in flight */
  inFlight?: { version: number; runId: number };
  /** a change came while a run was in flight: run the newest version when it returns */
  again: boolean;
  latest?: DocumentRun;
  lastMs: number;
  waiters: { version: number; resolve: (r: DocumentRun | undefined) => void }[];
}

export class DocumentRuns implements vscode.Disposable {
  private readonly docs = new Map<string, DocState>();
  private nextRunId = 1;
  private readonly didRun = new vscode.EventEmitter<DocumentRun>();
  private readonly didStart = new vscode.EventEmitter<{ uri: vscode.Uri; big: boolean }>();
  private readonly didClose = new vscode.EventEmitter<vscode.Uri>();
  /** a document's run for its current version, published (older versions' runs never are) */
  readonly onDidRun = this.didRun.event;
  /** a run started (the panel says "Running…" for a big document) */
  readonly onDidStart = this.didStart.event;
  readonly onDidClose = this.didClose.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(readonly backend: Backend) {
    this.subs.push(this.didRun, this.didStart, this.didClose,
      vscode.workspace.onDidOpenTextDocument((d) => { if (isScenario(d)) this.start(d); }),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length && isScenario(e.document)) this.changed(e.document); }),
      vscode.workspace.onDidCloseTextDocument((d) => { if (isScenario(d)) this.close(d); }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('mmscope')) return;
        for (const d of vscode.workspace.textDocuments) if (isScenario(d)) { this.state(d).latest = undefined; this.start(d); }
      }),
    );
    for (const d of vscode.workspace.textDocuments) if (isScenario(d)) this.start(d);
  }

  /** The last published run of a document (any version). */
  latest(uri: vscode.Uri): DocumentRun | undefined { return this.docs.get(uri.toString())?.latest; }

  /** The run of the document's current version: the published one, the one in flight, or a new one. */
  current(doc: vscode.TextDocument): Promise<DocumentRun | undefined> {
    if (doc.isClosed) return Promise.resolve(undefined);
    const st = this.state(doc);
    if (st.latest && st.latest.version === doc.version) return Promise.resolve(st.latest);
    const p = new Promise<DocumentRun | undefined>((resolve) => st.waiters.push({ version: doc.version, resolve }));
    if (!st.inFlight || st.inFlight.version !== doc.version) {
      if (st.inFlight) st.again = true; else this.start(doc);
    }
    return p;
  }

  private state(doc: vscode.TextDocument): DocState {
    const key = doc.uri.toString();
    let st = this.docs.get(key);
    if (!st) { st = { key, again: false, lastMs: 0, waiters: [] }; this.docs.set(key, st); }
    return st;
  }

  private backsOff(st: DocState, doc: vscode.TextDocument): boolean {
    return st.lastMs >= SLOW_RUN_MS || needsWorker(doc.getText());
  }

  private changed(doc: vscode.TextDocument): void {
    diagnosticsMarks.mark(0);
    const st = this.state(doc);
    if (this.backsOff(st, doc)) {
      clearTimeout(st.timer);
      if (st.inFlight) { st.inFlight = undefined; this.backend.cancel(st.key); }
      st.timer = setTimeout(() => { st.timer = undefined; this.start(doc); }, readSettings(doc.uri).updateDelay);
      return;
    }
    if (st.inFlight) { st.again = true; return; }
    this.start(doc);
  }

  private start(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const st = this.state(doc);
    clearTimeout(st.timer);
    st.timer = undefined;
    if (st.inFlight) { st.again = true; return; }
    const version = doc.version, runId = this.nextRunId++;
    const text = doc.getText();
    const opts = runOptions(readSettings(doc.uri));
    st.inFlight = { version, runId };
    st.again = false;
    diagnosticsMarks.mark(1);
    this.didStart.fire({ uri: doc.uri, big: needsWorker(text) });
    void this.backend.run(st.key, runId, text, opts).then((summary) => {
      if (st.inFlight?.runId !== runId) return; // cancelled: a newer run is scheduled
      st.inFlight = undefined;
      if (summary) st.lastMs = summary.ms;
      diagnosticsMarks.mark(2);
      if (summary && !doc.isClosed && doc.version === version) {
        const run: DocumentRun = { uri: doc.uri, key: st.key, version, runId, opts, summary };
        st.latest = run;
        this.didRun.fire(run);
        diagnosticsMarks.mark(3);
        this.settle(st, version, run);
      } else if (!summary && doc.version === version) this.settle(st, version, undefined); // the run failed
      if (!doc.isClosed && (st.again || doc.version !== version) && !st.timer) this.start(doc);
    });
  }

  /** Resolves the waiters for `version` and older ones. */
  private settle(st: DocState, version: number, run: DocumentRun | undefined): void {
    const ready = st.waiters.filter((w) => w.version <= version);
    st.waiters = st.waiters.filter((w) => w.version > version);
    ready.forEach((w) => w.resolve(run));
  }

  private close(doc: vscode.TextDocument): void {
    const st = this.docs.get(doc.uri.toString());
    if (!st) return;
    clearTimeout(st.timer);
    st.waiters.forEach((w) => w.resolve(undefined));
    this.docs.delete(st.key);
    this.backend.forget(st.key);
    this.didClose.fire(doc.uri);
  }

  dispose(): void {
    for (const st of this.docs.values()) { clearTimeout(st.timer); st.waiters.forEach((w) => w.resolve(undefined)); }
    this.docs.clear();
    this.subs.forEach((s) => s.dispose());
  }
}
