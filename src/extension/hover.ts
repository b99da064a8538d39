// Hover: what the kernel did for a statement (from the run's trace) or a name's declaration
// and state at that line. Adapter over src/views/hover.ts: asked of the run DocumentRuns
// made of the document's current version (by its run id; nothing runs twice).
import * as vscode from 'vscode';
import type { DocumentRuns } from './documentRuns';

export function registerHover(runs: DocumentRuns): vscode.Disposable {
  return vscode.languages.registerHoverProvider('mmscope', {
    async provideHover(doc, pos, token) {
      const line = doc.lineAt(pos.line).text;
      const hash = line.indexOf('#');
      if (!line.trim() || (hash >= 0 && pos.character >= hash)) return undefined;
      let md: string | 'stale' | undefined = 'stale';
      // a newer run may replace the one asked about in between: ask about the newest once more
      for (let tries = 0; md === 'stale' && tries < 2 && !token.isCancellationRequested; tries++) {
        const run = await runs.current(doc);
        if (!run) return undefined;
        md = await runs.backend.hover(run.key, run.runId, pos.line, pos.character);
      }
      if (!md || md === 'stale') return undefined;
      const m = new vscode.MarkdownString(md);
      m.isTrusted = false;
      return new vscode.Hover(m);
    },
  });
}
