// Diagnostics: each published run's problems (parse, check and run errors, failing
// expectations) for its document, from DocumentRuns' one run per version.

import * as vscode from 'vscode';
import type { RunSummary } from '../views/summary';
import { toDiagnostic } from './convert';
import type { DocumentRuns } from './documentRuns';
import { stats } from './stats';

export class Diagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('mmscope');
  private readonly subs: vscode.Disposable[];

  constructor(runs: DocumentRuns) {
    this.subs = [
      runs.onDidRun((r) => this.publish(r.uri, r.summary)),
      // problems of closed files stay only when Check Workspace put them there
      runs.onDidClose((uri) => this.collection.delete(uri)),
    ];
  }

  publish(uri: vscode.Uri, summary: RunSummary): void {
    this.collection.set(uri, summary.diagnostics.map((d) => toDiagnostic(d, uri)));
    stats.diagnosticsPublished++;
  }

  dispose(): void {
    this.subs.forEach((s) => s.dispose());
    this.collection.dispose();
  }
}
