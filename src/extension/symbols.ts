// Outline: objects, processes and their mappings. Adapter over src/language/symbols.ts.
import * as vscode from 'vscode';
import { documentOutline, type OutlineNode } from '../language/symbols';
import { toRange } from './convert';
import type { ScenarioRunner } from './runner';

const KIND = { process: vscode.SymbolKind.Class, object: vscode.SymbolKind.File, label: vscode.SymbolKind.Variable };

function toSymbol(n: OutlineNode): vscode.DocumentSymbol {
  const s = new vscode.DocumentSymbol(n.name, n.detail, KIND[n.kind], toRange(n.range), toRange(n.selectionRange));
  s.children = n.children.map(toSymbol);
  return s;
}

export function registerSymbols(runner: ScenarioRunner): vscode.Disposable {
  return vscode.languages.registerDocumentSymbolProvider('mmscope', {
    provideDocumentSymbols(doc) {
      return documentOutline(runner.checkDocument(doc), (l) => doc.lineAt(l).text.length).map(toSymbol);
    },
  }, { label: 'MM Scope' });
}
