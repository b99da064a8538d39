// The language server's runs, as VS Code sees them (diagnostics, the Testing view, the
// inspector panel, the Check commands): the server runs each open document once per version
// (src/lsp/documentRuns.ts, the one policy) and says so with mmscope/didRun; this class sets
// that run's diagnostics, re-fires it as onDidRun and asks the server the custom requests of
// src/lsp/protocol.ts.

import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient';
import {
  CurrentRun, DidRun, DidStart, Inspect, RunOnce, StaticInfoRequest,
  type CurrentRunParams, type CurrentRunResult, type DidRunParams, type DidStartParams, type InspectParams, type InspectResult,
  type RunOnceParams, type RunOnceResult, type StaticInfoParams, type StaticInfoResult,
} from '../lsp/protocol';
import type { InspectorAnswer, InspectorQuery } from '../views/inspectorService';
import type { EditorRunOptions, RunSummary, StaticInfo } from '../views/summary';
import { isScenario, toDiagnostic } from './convert';
import { hostMarks } from './stats';

export interface DocumentRun {
  readonly uri: vscode.Uri;
  readonly version: number;
  readonly runId: number;
  readonly opts: EditorRunOptions;
  readonly summary: RunSummary;
}

export class ServerRuns implements vscode.Disposable {
  private readonly latestRuns = new Map<string, DocumentRun>();
  private readonly didRun = new vscode.EventEmitter<DocumentRun>();
  private readonly didStart = new vscode.EventEmitter<{ uri: vscode.Uri; big: boolean }>();
  private readonly didClose = new vscode.EventEmitter<vscode.Uri>();
  /** a document's run for its current version, published (older versions' runs never are) */
  readonly onDidRun = this.didRun.event;
  /** a run started (the panel says "Running…" for a big document) */
  readonly onDidStart = this.didStart.event;
  readonly onDidClose = this.didClose.event;
  private readonly subs: vscode.Disposable[] = [];
  /** every open document's diagnostics, from its published run */
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('mmscope');

  constructor(readonly client: BaseLanguageClient) {
    const toRun = (p: DidRunParams): DocumentRun => ({ uri: vscode.Uri.parse(p.uri, true), version: p.version, runId: p.runId, opts: p.opts, summary: p.summary });
    this.subs.push(this.didRun, this.didStart, this.didClose, this.diagnostics,
      client.onNotification(DidRun, (p: DidRunParams) => {
        // a run already on its way when the document closed: its diagnostics would outlive it
        if (!vscode.workspace.textDocuments.some((d) => d.uri.toString() === p.uri)) return;
        hostMarks.mark(1);
        const r = toRun(p);
        this.latestRuns.set(p.uri, r);
        // the run's diagnostics first, set at once (the server sends VS Code no publishDiagnostics)
        this.diagnostics.set(r.uri, p.summary.diagnostics.map((d) => toDiagnostic(d, r.uri)));
        this.didRun.fire(r);
      }),
      client.onNotification(DidStart, (p: DidStartParams) => this.didStart.fire({ uri: vscode.Uri.parse(p.uri, true), big: p.big })),
      // a restarting server runs every open document again; until then its diagnostics are gone
      client.onDidChangeState(() => { if (!client.isRunning()) { this.diagnostics.clear(); this.latestRuns.clear(); } }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!isScenario(d)) return;
        this.diagnostics.delete(d.uri);
        this.latestRuns.delete(d.uri.toString());
        this.didClose.fire(d.uri);
      }),
    );
  }

  /** The last published run of a document (any version). */
  latest(uri: vscode.Uri): DocumentRun | undefined { return this.latestRuns.get(uri.toString()); }

  /** The run of the open document's current version (the server runs it if it has not yet). */
  async current(doc: vscode.TextDocument): Promise<DocumentRun | undefined> {
    if (doc.isClosed) return undefined;
    const l = this.latest(doc.uri);
    if (l && l.version === doc.version) return l;
    const p: CurrentRunParams = { uri: doc.uri.toString(), version: doc.version };
    const r = await this.client.sendRequest<CurrentRunResult>(CurrentRun, p);
    return r ? { uri: doc.uri, version: r.version, runId: r.runId, opts: r.opts, summary: r.summary } : undefined;
  }

  /** A question about a run; undefined when a newer run replaced it. */
  async inspect(run: DocumentRun, query: InspectorQuery): Promise<InspectorAnswer | undefined> {
    const p: InspectParams = { uri: run.uri.toString(), runId: run.runId, query };
    return (await this.client.sendRequest<InspectResult>(Inspect, p)) ?? undefined;
  }

  /** Runs a text once under its own key (a closed file), held nowhere. */
  async runOnce(key: string, uri: vscode.Uri, text: string): Promise<RunSummary | undefined> {
    const p: RunOnceParams = { key, uri: uri.toString(), text };
    return (await this.client.sendRequest<RunOnceResult>(RunOnce, p)) ?? undefined;
  }

  /** The Testing items and outline of a text; undefined when a newer request for the key replaced it. */
  async staticInfo(key: string, uri: vscode.Uri, text: string): Promise<StaticInfo | undefined> {
    const p: StaticInfoParams = { key, uri: uri.toString(), text };
    return (await this.client.sendRequest<StaticInfoResult>(StaticInfoRequest, p)) ?? undefined;
  }

  dispose(): void {
    this.latestRuns.clear();
    this.subs.forEach((s) => s.dispose());
  }
}
