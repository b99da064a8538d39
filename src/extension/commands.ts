// Commands of the "MM Scope" category: Check This Scenario, Check Workspace, New Scenario
// from Example, Export Trace as JSON (the inspector's commands live in inspectorPanel.ts).
import * as vscode from 'vscode';
import { runText } from '../scenario/run';
import { traceToJson } from '../scenario/traceJson';
import { toDiagnostic } from './convert';
import type { ServerRuns } from './serverRuns';
import { readSettings, runOptions } from './settings';
import { resetStats } from './stats';

const base = (uri: vscode.Uri) => uri.path.split('/').pop() ?? uri.path;

async function scenarioDocument(uri?: unknown): Promise<vscode.TextDocument | undefined> {
  if (uri instanceof vscode.Uri) return vscode.workspace.openTextDocument(uri);
  const ed = vscode.window.activeTextEditor;
  if (ed?.document.languageId === 'mmscope') return ed.document;
  void vscode.window.showWarningMessage('Open a .mms scenario first.');
  return undefined;
}

export function registerCommands(context: vscode.ExtensionContext, runs: ServerRuns, output: vscode.OutputChannel): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  // problems of closed files, put there by Check Workspace (an open file's are the server's)
  const closedFiles = vscode.languages.createDiagnosticCollection('mmscope-workspace');
  return [
    closedFiles,
    vscode.workspace.onDidOpenTextDocument((d) => closedFiles.delete(d.uri)),
    reg('mmscope.check', async (uri?: unknown) => {
      const doc = await scenarioDocument(uri);
      if (!doc) return undefined;
      const r = await runs.current(doc);
      if (!r) return undefined;
      const s = r.summary;
      const errors = s.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701').length;
      const msg = `${base(doc.uri)}: ${s.passed} passed, ${s.failed} failed${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''} (Linux ${s.kernel})`;
      if (s.failed || errors) void vscode.window.showWarningMessage(msg); else void vscode.window.showInformationMessage(msg);
      return { passed: s.passed, failed: s.failed, exitStatus: s.exitStatus };
    }),
    reg('mmscope.checkWorkspace', async () => {
      const files = await vscode.workspace.findFiles('**/*.mms', '**/node_modules/**');
      let passed = 0, failed = 0, withErrors = 0;
      output.clear();
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'MM Scope: checking scenarios', cancellable: true }, async (progress, token) => {
        for (const f of files) {
          if (token.isCancellationRequested) break;
          progress.report({ message: base(f), increment: 100 / Math.max(1, files.length) });
          // an open document's run is its current version's (the server's); a closed file runs
          // once on a key of its own
          const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.toString() && d.languageId === 'mmscope');
          const s = open ? (await runs.current(open))?.summary
            : await runs.runOnce(`workspace:${f.toString()}`, f, new TextDecoder().decode(await vscode.workspace.fs.readFile(f)));
          if (!s) continue;
          if (!open) closedFiles.set(f, s.diagnostics.map((d) => toDiagnostic(d, f)));
          passed += s.passed; failed += s.failed;
          if (s.exitStatus === 2) withErrors++;
          const rel = vscode.workspace.asRelativePath(f);
          for (const d of s.diagnostics) if (d.severity !== 'info') output.appendLine(`${rel}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`);
        }
      });
      output.appendLine(`${passed} passed, ${failed} failed`);
      const msg = `MM Scope: ${files.length} scenario${files.length === 1 ? '' : 's'}: ${passed} passed, ${failed} failed${withErrors ? `, ${withErrors} with errors` : ''}`;
      if (failed || withErrors) void vscode.window.showWarningMessage(msg, 'Show Output').then((a) => { if (a) output.show(); });
      else void vscode.window.showInformationMessage(msg);
      return { files: files.length, passed, failed, withErrors };
    }),
    // `example` (optional): the example's file name, e.g. 'hello.mms', to skip the quick pick
    reg('mmscope.newFromExample', async (example?: unknown): Promise<vscode.TextDocument | undefined> => {
      const dir = vscode.Uri.joinPath(context.extensionUri, 'examples');
      let entries: [string, vscode.FileType][] = [];
      try { entries = await vscode.workspace.fs.readDirectory(dir); } catch { /* none */ }
      const items = await Promise.all(entries.filter(([n]) => n.endsWith('.mms')).sort().map(async ([n]) => {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, n)));
        const first = text.split(/\r?\n/).find((l) => l.startsWith('#'))?.replace(/^#\s*/, '') ?? '';
        return { label: n, detail: first, text };
      }));
      if (!items.length) { void vscode.window.showWarningMessage('No examples found in the extension.'); return undefined; }
      let pick: typeof items[number] | undefined;
      if (typeof example === 'string') {
        pick = items.find((i) => i.label === example || i.label === `${example}.mms`);
        if (!pick) { void vscode.window.showWarningMessage(`No example named ${example}.`); return undefined; }
      } else pick = await vscode.window.showQuickPick(items, { placeHolder: 'Start a scenario from an example', matchOnDetail: true });
      if (!pick) return undefined;
      const doc = await vscode.workspace.openTextDocument({ language: 'mmscope', content: pick.text });
      await vscode.window.showTextDocument(doc);
      return doc;
    }),
    // `to` (optional): the target file; without it a save dialog asks. Resolves with the file written.
    reg('mmscope.exportTrace', async (uri?: unknown, to?: unknown): Promise<vscode.Uri | undefined> => {
      const doc = await scenarioDocument(uri);
      if (!doc) return undefined;
      const r = runText(doc.getText(), runOptions(readSettings(doc.uri)));
      const name = base(doc.uri).replace(/\.mms$/, '') || 'scenario';
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const target = to instanceof vscode.Uri ? to : await vscode.window.showSaveDialog({
        defaultUri: folder ? vscode.Uri.joinPath(folder, `${name}.trace.json`) : undefined,
        filters: { 'Trace JSON': ['json'] }, title: 'Export Trace as JSON',
      });
      if (!target) return undefined;
      const json = JSON.stringify(traceToJson(r, vscode.workspace.asRelativePath(doc.uri)), null, 1) + '\n';
      await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(json));
      void vscode.window.showInformationMessage(`Trace written to ${vscode.workspace.asRelativePath(target)} (${r.steps.length} steps).`);
      return target;
    }),
    reg('mmscope.internal.resetStats', () => resetStats(runs.client)),
  ];
}
