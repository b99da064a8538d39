// Outline: objects, processes and their mappings. Adapter over src/language/symbols.ts,
// computed by DocumentChecks.staticInfo (on the backend for big documents, so the host never parses them).
import * as vscode from 'vscode';
import type { OutlineNode } from '../language/symbols';
import { toRange } from './convert';
import type { DocumentChecks } from './documentChecks';
import { readSettings, runOptions } from './settings';

const KIND = { process: vscode.SymbolKind.Class, object: vscode.SymbolKind.File, label: vscode.SymbolKind.Variable };

function toSymbol(n: OutlineNode): vscode.DocumentSymbol {
  const s = new vscode.DocumentSymbol(n.name, n.detail, KIND[n.kind], toRange(n.range), toRange(n.selectionRange));
  s.children = n.children.map(toSymbol);
  return s;
}

export function registerSymbols(checks: DocumentChecks): vscode.Disposable {
  return vscode.languages.registerDocumentSymbolProvider('mmscope', {
    async provideDocumentSymbols(doc, token) {
      const version = doc.version;
      const info = await checks.staticInfo(doc.uri.toString(), doc.getText(), runOptions(readSettings(doc.uri)));
      if (!info || token.isCancellationRequested || doc.version !== version) return undefined;
      return info.outline.map(toSymbol);
    },
  }, { label: 'MM Scope' });
}
