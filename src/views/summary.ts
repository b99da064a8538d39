// What the editor needs from a run, in a form that crosses a worker boundary
// (structured-clone safe): diagnostics, counts and one outcome per expectation.

import type { Diagnostic } from '../language/diagnostics';
import type { Range, Scenario } from '../language/ast';
import { isExpectation } from '../language/ast';
import type { CheckResult } from '../language/checker';
import { documentOutline, type OutlineNode } from '../language/symbols';
import type { RunOptions, RunResult } from '../scenario/run';

export interface ExpectationOutcome {
  /** 0-based line of the expectation */
  line: number;
  range: Range;
  /** the expectation's source line without its comment, spaces collapsed (a Testing item's label) */
  label: string;
  /** undefined: not evaluated (an earlier error, or the run stopped) */
  ok?: boolean;
  message?: string;
}

export interface RunSummary {
  diagnostics: Diagnostic[];
  passed: number;
  failed: number;
  exitStatus: 0 | 1 | 2;
  kernel: string;
  expectations: ExpectationOutcome[];
  /** the document outline (objects, processes and their mappings) */
  outline: OutlineNode[];
  cancelled: boolean;
  /** wall-clock ms the run took */
  ms: number;
}

/**
 * What the editor's providers need from parse + check alone (no run), structured-clone
 * safe: the expectations (line, range, label) for the Testing view and the outline.
 * Computed on the document's worker for big documents so the host never parses them.
 */
export interface StaticInfo {
  expectations: { line: number; range: Range; label: string }[];
  outline: OutlineNode[];
}

export function staticInfo(scenario: Scenario, chk: CheckResult, text: string): StaticInfo {
  const lines = text.split(/\r\n|\n|\r/);
  const expectations = scenario.statements.filter(isExpectation).map((s) => {
    const line = s.range.start.line;
    return { line, range: s.range, label: (lines[line] ?? '').replace(/#.*$/, '').trim().replace(/\s+/g, ' ') };
  });
  return { expectations, outline: documentOutline(chk, (l) => (lines[l] ?? '').length) };
}

/** `text`: the text that was run (for the expectations' labels and the outline's line ranges). */
export function summarize(r: RunResult, ms = 0, text = ''): RunSummary {
  const byLine = new Map<number, { ok: boolean; message: string }>();
  for (const s of r.steps) if (s.expect) byLine.set(s.line, s.expect);
  const info = staticInfo(r.scenario, r.check, text);
  const expectations: ExpectationOutcome[] = info.expectations.map((x) => {
    const e = byLine.get(x.line);
    return { ...x, ok: e?.ok, message: e?.message };
  });
  return {
    diagnostics: r.diagnostics, passed: r.passed, failed: r.failed, exitStatus: r.exitStatus,
    kernel: r.kernel.toString(), expectations, outline: info.outline, cancelled: r.cancelled, ms,
  };
}

/** Options a run from the editor takes (settings), structured-clone safe. */
export type EditorRunOptions = Omit<RunOptions, 'shouldCancel'>;

/** Lines beyond which a document is run off the extension host's thread. */
export const WORKER_LINE_THRESHOLD = 2000;
/** Pages in one statement (an object, a mapping, a range) beyond which it is run off-thread. */
export const WORKER_PAGE_THRESHOLD = 4096;

/**
 * Whether running `text` may take long enough to block an editor: many lines, or any
 * statement with a big page count or page range. A cheap textual scan (no parse).
 */
export function needsWorker(text: string, lineThreshold = WORKER_LINE_THRESHOLD, pageThreshold = WORKER_PAGE_THRESHOLD): boolean {
  let lines = 1;
  for (let i = text.indexOf('\n'); i >= 0 && lines <= lineThreshold; i = text.indexOf('\n', i + 1)) lines++;
  if (lines > lineThreshold) return true;
  const num = (s: string) => Number(s.replace(/_/g, ''));
  for (const m of text.matchAll(/\bpages\s+(0x[0-9a-fA-F_]+|[0-9_]+)/g)) if (num(m[1]) > pageThreshold) return true;
  for (const m of text.matchAll(/\[\s*(0x[0-9a-fA-F_]+|[0-9_]+)\s*\.\.\s*(0x[0-9a-fA-F_]+|[0-9_]+)\s*\]/g)) {
    if (num(m[2]) - num(m[1]) + 1 > pageThreshold) return true;
  }
  return false;
}

/**
 * Splits a failed expectation's message ("expected X, found Y") into what was expected and
 * what was found, for a test-failure diff: `expected p to have taken 5 page faults, found 1`
 * gives ['5 page faults', '1 page faults'].
 */
export function expectedActual(message: string): [string, string] | undefined {
  const m = /^expected (?:.*? (?:to have taken|to raise|to be|to have been handed|to have written|to reach) )?(.*?), found (.*)$/s.exec(message);
  if (!m) return undefined;
  const [, want, got] = m;
  const wn = /^(\d+)(\D.*)?$/s.exec(want), gn = /^(\d+)(\s*\(.*\)|\s*\[.*\])?$/s.exec(got);
  if (wn && gn && wn[2]) return [want, `${gn[1]}${wn[2]}${gn[2] ?? ''}`];
  return [want, got];
}
