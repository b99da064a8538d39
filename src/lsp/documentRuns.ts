// One update loop per open document, in the language server: each scenario document is run
// once per version, and that run feeds every consumer (diagnostics, the lens, hover; in VS
// Code also the Testing view and the inspector panel, through mmscope/didRun). Hover and the
// inspector then ask about that run by its id. The one place that decides when a scenario runs.
//
// When to run (adaptive, not a fixed debounce):
// - a document whose runs are cheap runs at once on each change; a change while its run
//   is in flight is coalesced: the newest version runs as soon as that run returns (a run of
//   an older version is not published);
// - a big document (needsWorker) or one whose last two runs took SLOW_RUN_MS or more (the
//   cheaper of the two: RunCost; one slow run is not a trend) backs off:
//   it runs `updateDelay` ms after typing pauses, and a run still in flight for an older
//   version is cancelled (its worker terminated).

import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Backend } from '../service/backend';
import { RunCost } from '../service/runCost';
import { diagnosticsMarks } from '../service/stats';
import { needsWorker, type EditorRunOptions, type RunSummary } from '../views/summary';

/** Runs this long or longer (ms of the runs themselves, the cheaper of the last two) make the document back off. */
export const SLOW_RUN_MS = 50;

export interface DocumentRun {
  readonly uri: string;
  readonly version: number;
  readonly runId: number;
  readonly opts: EditorRunOptions;
  readonly summary: RunSummary;
}

export interface RunListener {
  /** a document's run of its current version, published (older versions' runs never are) */
  didRun(r: DocumentRun): void;
  /** a run started */
  didStart(uri: string, big: boolean): void;
}

interface DocState {
  timer?: ReturnType<typeof setTimeout>;
  /** the run in flight */
  inFlight?: { version: number; runId: number };
  /** a change came while a run was in flight: run the newest version when it returns */
  again: boolean;
  latest?: DocumentRun;
  cost: RunCost;
  waiters: { version: number; resolve: (r: DocumentRun | undefined) => void }[];
}

export class DocumentRuns {
  private readonly docs = new Map<string, DocState>();
  private nextRunId = 1;

  constructor(readonly backend: Backend, private readonly doc: (uri: string) => TextDocument | undefined,
    private readonly settings: () => { opts: EditorRunOptions; updateDelay: number }, private readonly listener: RunListener) {}

  /** The last published run of a document (any version). */
  latest(uri: string): DocumentRun | undefined { return this.docs.get(uri)?.latest; }

  /** The run of the document's current version: the published one, the one in flight, or a new one. */
  current(uri: string): Promise<DocumentRun | undefined> {
    const doc = this.doc(uri);
    if (!doc) return Promise.resolve(undefined);
    const st = this.state(uri);
    if (st.latest && st.latest.version === doc.version) return Promise.resolve(st.latest);
    const p = new Promise<DocumentRun | undefined>((resolve) => st.waiters.push({ version: doc.version, resolve }));
    if (!st.inFlight || st.inFlight.version !== doc.version) {
      if (st.inFlight) st.again = true; else this.start(uri);
    }
    return p;
  }

  private state(uri: string): DocState {
    let st = this.docs.get(uri);
    if (!st) { st = { again: false, cost: new RunCost(), waiters: [] }; this.docs.set(uri, st); }
    return st;
  }

  /** A document was opened (or every document's settings changed). */
  opened(uri: string): void { this.start(uri); }

  /** Settings changed: every open document runs again. */
  rerunAll(uris: string[]): void { for (const u of uris) { this.state(u).latest = undefined; this.start(u); } }

  changed(uri: string): void {
    diagnosticsMarks.mark(0);
    const doc = this.doc(uri);
    if (!doc) return;
    const st = this.state(uri);
    if ((st.cost.ms ?? 0) >= SLOW_RUN_MS || needsWorker(doc.getText())) {
      clearTimeout(st.timer);
      if (st.inFlight) { st.inFlight = undefined; this.backend.cancel(uri); }
      st.timer = setTimeout(() => { st.timer = undefined; this.start(uri); }, this.settings().updateDelay);
      return;
    }
    if (st.inFlight) { st.again = true; return; }
    this.start(uri);
  }

  private start(uri: string): void {
    const doc = this.doc(uri);
    if (!doc) return;
    const st = this.state(uri);
    clearTimeout(st.timer);
    st.timer = undefined;
    if (st.inFlight) { st.again = true; return; }
    const version = doc.version, runId = this.nextRunId++;
    const text = doc.getText();
    const opts = this.settings().opts;
    st.inFlight = { version, runId };
    st.again = false;
    diagnosticsMarks.mark(1);
    this.listener.didStart(uri, needsWorker(text));
    void this.backend.run(uri, runId, text, opts).then((summary) => {
      if (st.inFlight?.runId !== runId) return; // cancelled: a newer run is scheduled
      st.inFlight = undefined;
      if (summary) st.cost.record(summary.ms);
      diagnosticsMarks.mark(2);
      const now = this.doc(uri);
      if (summary && now && now.version === version) {
        const run: DocumentRun = { uri, version, runId, opts, summary };
        st.latest = run;
        this.listener.didRun(run);
        diagnosticsMarks.mark(3);
        this.settle(st, version, run);
      } else if (!summary && now?.version === version) this.settle(st, version, undefined); // the run failed
      if (now && (st.again || now.version !== version) && !st.timer) this.start(uri);
    });
  }

  /** Resolves the waiters for `version` and older ones. */
  private settle(st: DocState, version: number, run: DocumentRun | undefined): void {
    const ready = st.waiters.filter((w) => w.version <= version);
    st.waiters = st.waiters.filter((w) => w.version > version);
    ready.forEach((w) => w.resolve(run));
  }

  closed(uri: string): void {
    const st = this.docs.get(uri);
    if (!st) return;
    clearTimeout(st.timer);
    st.waiters.forEach((w) => w.resolve(undefined));
    this.docs.delete(uri);
    this.backend.forget(uri);
  }

  dispose(): void {
    for (const st of this.docs.values()) { clearTimeout(st.timer); st.waiters.forEach((w) => w.resolve(undefined)); }
    this.docs.clear();
    this.backend.dispose();
  }
}
