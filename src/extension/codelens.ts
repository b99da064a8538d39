// CodeLens over the first line: "Check" (runs the scenario, reports N passed, M failed)
// and "Open Inspector".
import * as vscode from 'vscode';
import type { DiagnosticsController } from './diagnostics';

export function registerCodeLens(diagnostics: DiagnosticsController): vscode.Disposable[] {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(doc) {
      const range = new vscode.Range(0, 0, 0, 0);
      const r = diagnostics.result(doc.uri)?.summary;
      const errors = r ? r.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701').length : 0;
      const title = !r ? '$(play) Check'
        : `$(${r.failed || errors ? 'error' : 'pass'}) Check: ${r.passed} passed, ${r.failed} failed${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
      return [
        new vscode.CodeLens(range, { title, command: 'mmscope.check', arguments: [doc.uri], tooltip: 'Run this scenario and check its expectations' }),
        new vscode.CodeLens(range, { title: '$(preview) Open Inspector', command: 'mmscope.openInspector', arguments: [doc.uri], tooltip: 'Step through the run beside the source' }),
      ];
    },
  };
  return [
    changed,
    vscode.languages.registerCodeLensProvider('mmscope', provider),
    diagnostics.onDidUpdate(() => changed.fire()),
  ];
}
