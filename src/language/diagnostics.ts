import type { Range } from './ast';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedInfo { range: Range; message: string }

/**
 * One problem in a scenario. `code` is stable (documented in docs/language.md):
 *   MMS1xx lexical/syntax, MMS2xx names and kinds, MMS3xx values and ranges,
 *   MMS4xx kernel-version gates, MMS5xx what the kernel refused at run time (errno),
 *   MMS6xx limits, MMS7xx expectations, MMS8xx run-time warnings.
 */
export interface Diagnostic {
  range: Range;
  severity: Severity;
  code: string;
  message: string;
  related?: RelatedInfo[];
}

export function rangeOf(line: number, startCol: number, endCol: number): Range {
  return { start: { line, character: startCol }, end: { line, character: endCol } };
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}
