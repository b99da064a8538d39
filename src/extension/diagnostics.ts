// Diagnostics as you type: parse, check and run errors and failing expectations, debounced
// (mmscope.updateDelay), run off the extension host's thread for big documents; a result
// for an outdated document version is dropped.

import * as vscode from 'vscode';
import type { RunSummary } from '../views/summary';
import { isScenario, toDiagnostic } from './convert';
import type { ScenarioRunner } from './runner';
import { readSettings, runOptions } from './settings';
import { diagnosticsMarks, stats } from './stats';

export interface ScenarioResult { uri: vscode.Uri; version: number; summary: RunSummary }

export class DiagnosticsController implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mmscope');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly latest = new Map<string, ScenarioResult>();
  private readonly emitter = new vscode.EventEmitter<ScenarioResult>();
  /** fires after each document's diagnostics are published */
  readonly onDidUpdate = this.emitter.event;
  private readonly subs: vscode.Disposable[] = [];

  constructor(private readonly runner: ScenarioRunner) {
    this.subs.push(
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length && isScenario(e.document)) { diagnosticsMarks.mark(0); this.schedule(e.document); } }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (!isScenario(d)) return;
        const k = d.uri.toString();
        clearTimeout(this.timers.get(k)); this.timers.delete(k);
        this.runner.forget(d.uri); this.latest.delete(k);
        // keep problems of closed files only if they came from Check Workspace (not tracked here)
        this.collection.delete(d.uri);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('mmscope')) vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
      }),
    );
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  /** The last published result for a document (any version). */
  result(uri: vscode.Uri): ScenarioResult | undefined { return this.latest.get(uri.toString()); }

  schedule(doc: vscode.TextDocument, delay = readSettings(doc.uri).updateDelay): void {
    if (!isScenario(doc)) return;
    const k = doc.uri.toString();
    clearTimeout(this.timers.get(k));
    // a run still going for an older version is stale now
    this.runner.cancelRun(k, doc.getText());
    this.timers.set(k, setTimeout(() => { this.timers.delete(k); void this.update(doc); }, delay));
  }

  /** Runs the document now and publishes its diagnostics; resolves with the result (undefined if stale). */
  async update(doc: vscode.TextDocument): Promise<ScenarioResult | undefined> {
    if (!isScenario(doc) || doc.isClosed) return undefined;
    const version = doc.version;
    diagnosticsMarks.mark(1);
    const summary = await this.runner.summarize(doc.uri.toString(), doc.getText(), runOptions(readSettings(doc.uri)), { version, persistent: true });
    if (!summary || doc.isClosed || doc.version !== version) return undefined;
    diagnosticsMarks.mark(2);
    return this.publish(doc.uri, version, summary);
  }

  publish(uri: vscode.Uri, version: number, summary: RunSummary): ScenarioResult {
    this.collection.set(uri, summary.diagnostics.map((d) => toDiagnostic(d, uri)));
    stats.diagnosticsPublished++;
    diagnosticsMarks.mark(3);
    const r = { uri, version, summary };
    this.latest.set(uri.toString(), r);
    this.emitter.fire(r);
    return r;
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.subs.forEach((s) => s.dispose());
    this.collection.dispose();
    this.emitter.dispose();
  }
}
