// Hover: what the kernel did for a statement (from the run's trace) or a name's declaration
// and state at that line. Adapter over src/scenario/hover.ts.
import * as vscode from 'vscode';
import { hoverAt } from '../scenario/hover';
import type { ScenarioRunner } from './runner';

export function registerHover(runner: ScenarioRunner): vscode.Disposable {
  return vscode.languages.registerHoverProvider('mmscope', {
    provideHover(doc, pos) {
      const line = doc.lineAt(pos.line).text;
      const hash = line.indexOf('#');
      if (!line.trim() || (hash >= 0 && pos.character >= hash)) return undefined;
      const md = hoverAt(runner.runDocument(doc), pos.line, pos.character);
      if (!md) return undefined;
      const m = new vscode.MarkdownString(md);
      m.isTrusted = false;
      return new vscode.Hover(m);
    },
  });
}
