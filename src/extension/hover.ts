// Hover: what the kernel did for a statement (from the run's trace) or a name's declaration
// and state at that line. Adapter over src/scenario/hover.ts.
import * as vscode from 'vscode';
import { hoverAt, staticHover } from '../scenario/hover';
import { needsWorker } from '../scenario/summary';
import type { ScenarioRunner } from './runner';

export function registerHover(runner: ScenarioRunner): vscode.Disposable {
  return vscode.languages.registerHoverProvider('mmscope', {
    provideHover(doc, pos) {
      const line = doc.lineAt(pos.line).text;
      const hash = line.indexOf('#');
      if (!line.trim() || (hash >= 0 && pos.character >= hash)) return undefined;
      // a big scenario is never run on this thread just for a hover
      const cached = runner.cachedRun(doc);
      const md = cached || !runner.workersAvailable || !needsWorker(doc.getText())
        ? hoverAt(cached ?? runner.runDocument(doc), pos.line, pos.character)
        : staticHover(runner.checkDocument(doc), line, pos.line, pos.character);
      if (!md) return undefined;
      const m = new vscode.MarkdownString(md);
      m.isTrusted = false;
      return new vscode.Hover(m);
    },
  });
}
