// Rename processes, objects and labels. Adapter over src/language/symbols.ts (renameAt).
import * as vscode from 'vscode';
import { renameAt } from '../language/symbols';
import { toRange } from './convert';
import type { DocumentChecks } from './documentChecks';

export function registerRename(checks: DocumentChecks): vscode.Disposable {
  return vscode.languages.registerRenameProvider('mmscope', {
    prepareRename(doc, pos) {
      const s = checks.checkDocument(doc).symbolAt(pos.line, pos.character);
      if (!s) throw new Error('Only processes, objects and mapping labels can be renamed.');
      const at = [s.decl, ...s.refs].find((r) => r.start.line === pos.line && r.start.character <= pos.character && pos.character <= r.end.character);
      return { range: toRange(at ?? s.decl), placeholder: s.name };
    },
    provideRenameEdits(doc, pos, newName) {
      const r = renameAt(checks.checkDocument(doc), pos.line, pos.character, newName);
      if (!r.ok) throw new Error(r.message);
      const edit = new vscode.WorkspaceEdit();
      for (const range of r.ranges) edit.replace(doc.uri, toRange(range), newName);
      return edit;
    },
  });
}
