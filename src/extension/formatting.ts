// Format Document: aligned columns and comments. Adapter over src/language/formatting.ts.
import * as vscode from 'vscode';
import { formatScenario } from '../language/formatting';

export function registerFormatting(): vscode.Disposable {
  return vscode.languages.registerDocumentFormattingEditProvider('mmscope', {
    provideDocumentFormattingEdits(doc) {
      const text = doc.getText();
      const out = formatScenario(text);
      if (out === text) return [];
      return [vscode.TextEdit.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(text.length)), out)];
    },
  });
}
