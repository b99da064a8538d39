// Completion: keywords by position, declared names, flags. Adapter over src/language/completion.ts.
import * as vscode from 'vscode';
import { completionsAt, type CompletionKind } from '../language/completion';
import type { DocumentChecks } from './documentChecks';

const KIND: Record<CompletionKind, vscode.CompletionItemKind> = {
  keyword: vscode.CompletionItemKind.Keyword, process: vscode.CompletionItemKind.Class,
  object: vscode.CompletionItemKind.File, label: vscode.CompletionItemKind.Variable,
  flag: vscode.CompletionItemKind.EnumMember, value: vscode.CompletionItemKind.Value,
};

export function registerCompletion(checks: DocumentChecks): vscode.Disposable {
  return vscode.languages.registerCompletionItemProvider('mmscope', {
    provideCompletionItems(doc, pos) {
      const entries = completionsAt(doc.lineAt(pos.line).text, pos.character, checks.checkDocument(doc));
      const wordRange = doc.getWordRangeAtPosition(pos, /!?[A-Za-z0-9_.:-]+/);
      return entries.map((e, i) => {
        const item = new vscode.CompletionItem(e.label, KIND[e.kind]);
        item.detail = e.detail;
        if (e.documentation) item.documentation = new vscode.MarkdownString(e.documentation);
        if (e.insertText) item.insertText = e.insertText;
        if (wordRange) item.range = wordRange;
        item.sortText = String(i).padStart(4, '0');
        return item;
      });
    },
  }, ' ', '!', ':');
}
