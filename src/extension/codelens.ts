// CodeLens over the first line: "Check" (runs the scenario, reports N passed, M failed)
// and "Open Inspector".
import * as vscode from 'vscode';
import type { RunSummary } from '../views/summary';
import type { DocumentRuns } from './documentRuns';

function checkTitle(r: RunSummary | undefined): string {
  if (!r) return '$(play) Check';
  const errors = r.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701').length;
  return `$(${r.failed || errors ? 'error' : 'pass'}) Check: ${r.passed} passed, ${r.failed} failed${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
}

export function registerCodeLens(runs: DocumentRuns): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<void>();
  /** the title each document's lens shows now (as last provided) */
  const shown = new Map<string, string>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const range = new vscode.Range(0, 0, 0, 0);
      const title = checkTitle(runs.latest(doc.uri)?.summary);
      shown.set(doc.uri.toString(), title);
      return [
        new vscode.CodeLens(range, { title, command: 'mmscope.check', arguments: [doc.uri], tooltip: 'Run this scenario and check its expectations' }),
        new vscode.CodeLens(range, { title: '$(preview) Open Inspector', command: 'mmscope.openInspector', arguments: [doc.uri], tooltip: 'Step through the run beside the source' }),
      ];
    },
  };
  return [
    changed,
    vscode.languages.registerCodeLensProvider('mmscope', provider),
    // VS Code asks again after each edit by itself; a new result only needs a refresh when it
    // changes the title shown (a refresh re-renders the lens in the workbench)
    runs.onDidRun((r) => {
      const k = r.uri.toString();
      if (shown.has(k) && shown.get(k) !== checkTitle(r.summary)) changed.fire();
    }),
    vscode.workspace.onDidCloseTextDocument((d) => shown.delete(d.uri.toString())),
  ];
}
