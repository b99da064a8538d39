// Hover: what the kernel did for a statement (from the run's trace) or a name's declaration
// and state at that line. Adapter over src/views/hover.ts.
import * as vscode from 'vscode';
import { staticHover } from '../views/hover';
import { needsWorker } from '../views/summary';
import type { ScenarioRunner } from './runner';

export function registerHover(runner: ScenarioRunner): vscode.Disposable {
  return vscode.languages.registerHoverProvider('mmscope', {
    async provideHover(doc, pos) {
      const line = doc.lineAt(pos.line).text;
      const hash = line.indexOf('#');
      if (!line.trim() || (hash >= 0 && pos.character >= hash)) return undefined;
      // the run happens on the document's worker (inline only in the web host, and there a
      // big scenario gets the declaration-only hover)
      const md = !runner.workersAvailable && needsWorker(doc.getText())
        ? staticHover(runner.checkDocument(doc), line, pos.line, pos.character)
        : await runner.hover(doc, pos.line, pos.character);
      if (!md) return undefined;
      const m = new vscode.MarkdownString(md);
      m.isTrusted = false;
      return new vscode.Hover(m);
    },
  });
}
