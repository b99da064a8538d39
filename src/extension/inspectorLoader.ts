// The inspector panel is built in its own file by its own engineer
// (src/extension/inspectorPanel.ts exporting registerInspector). Load it when it is part of
// the build; otherwise register stand-ins that say so, so that the contributed commands
// never fail with "command not found".
import * as vscode from 'vscode';
import type { ScenarioRunner } from './runner';

export function registerInspectorOrStubs(context: vscode.ExtensionContext, runner?: ScenarioRunner): vscode.Disposable[] {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require('./inspectorPanel') as { registerInspector?: (c: vscode.ExtensionContext, r?: ScenarioRunner) => vscode.Disposable[] };
    if (typeof m.registerInspector === 'function') return m.registerInspector(context, runner);
  } catch { /* not in this build */ }
  const missing = () => void vscode.window.showInformationMessage('The MM Scope inspector is not part of this build yet.');
  return ['mmscope.openInspector', 'mmscope.inspector.next', 'mmscope.inspector.previous']
    .map((c) => vscode.commands.registerCommand(c, missing));
}
