// Conversions between the language's plain ranges/diagnostics and VS Code's classes.
import * as vscode from 'vscode';
import type { Range } from '../language/ast';
import type { Diagnostic } from '../language/diagnostics';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

const SEVERITY = { error: vscode.DiagnosticSeverity.Error, warning: vscode.DiagnosticSeverity.Warning, info: vscode.DiagnosticSeverity.Information };

export function toDiagnostic(d: Diagnostic, uri: vscode.Uri): vscode.Diagnostic {
  const v = new vscode.Diagnostic(toRange(d.range), d.message, SEVERITY[d.severity]);
  v.source = 'mmscope';
  v.code = d.code;
  if (d.related?.length) v.relatedInformation = d.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message));
  return v;
}

export const isScenario = (doc: vscode.TextDocument) => doc.languageId === 'mmscope';
