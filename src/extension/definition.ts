// Go to definition and find references for processes, objects and labels (CheckResult.symbols).
import * as vscode from 'vscode';
import { referencesAt } from '../language/symbols';
import { toRange } from './convert';
import type { DocumentChecks } from './documentChecks';

export function registerDefinition(checks: DocumentChecks): vscode.Disposable[] {
  return [
    vscode.languages.registerDefinitionProvider('mmscope', {
      provideDefinition(doc, pos) {
        const s = checks.checkDocument(doc).symbolAt(pos.line, pos.character);
        return s ? new vscode.Location(doc.uri, toRange(s.decl)) : undefined;
      },
    }),
    vscode.languages.registerReferenceProvider('mmscope', {
      provideReferences(doc, pos, ctx) {
        return referencesAt(checks.checkDocument(doc), pos.line, pos.character, ctx.includeDeclaration)
          .map((r) => new vscode.Location(doc.uri, toRange(r)));
      },
    }),
    vscode.languages.registerDocumentHighlightProvider('mmscope', {
      provideDocumentHighlights(doc, pos) {
        const s = checks.checkDocument(doc).symbolAt(pos.line, pos.character);
        if (!s) return undefined;
        return [new vscode.DocumentHighlight(toRange(s.decl), vscode.DocumentHighlightKind.Write),
          ...s.refs.map((r) => new vscode.DocumentHighlight(toRange(r), vscode.DocumentHighlightKind.Read))];
      },
    }),
  ];
}
