// The robustness properties the fuzzers check on one scenario text. Each returns a list
// of problems (empty = the property holds) instead of throwing, so the caller can print
// the input with every problem at once.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { splitLines } from '../../../src/language/lexer';
import type { Diagnostic } from '../../../src/language/diagnostics';
import type { Range } from '../../../src/language/ast';
import type { Limits } from '../../../src/language/limits';
import { runText, type RunOptions } from '../../../src/scenario/run';
import { main } from '../../../src/cli';

/** Codes that only an internal error produces (parser, checker, engine). */
export const INTERNAL_CODES = new Set(['MMS199', 'MMS299', 'MMS900']);

/** Limits for fuzz runs: small enough that no generated or mutated input runs long. */
export const FUZZ_LIMITS: Partial<Limits> = { maxPagesPerObject: 65536, maxMappingPages: 65536, maxEvents: 200_000, maxRunMs: 5_000 };

function rangeProblem(r: Range | undefined, lines: string[], what: string): string | undefined {
  if (!r || !r.start || !r.end) return `${what}: no range`;
  const ok = (p: { line: number; character: number }) =>
    Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < lines.length &&
    p.character >= 0 && p.character <= lines[p.line].length;
  if (!ok(r.start)) return `${what}: start ${JSON.stringify(r.start)} is outside the document`;
  if (!ok(r.end)) return `${what}: end ${JSON.stringify(r.end)} is outside the document`;
  if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) {
    return `${what}: start ${JSON.stringify(r.start)} after end ${JSON.stringify(r.end)}`;
  }
  return undefined;
}

/** Every diagnostic (and related location) lies inside the document, start <= end. */
export function diagnosticRangeProblems(text: string, diags: Diagnostic[], lineCount?: number): string[] {
  const lines = splitLines(text);
  const out: string[] = [];
  if (lineCount !== undefined && lineCount !== lines.length) out.push(`lineCount ${lineCount} != ${lines.length} lines`);
  for (const d of diags) {
    const p = rangeProblem(d.range, lines, `${d.code} "${d.message}"`);
    if (p) out.push(p);
    for (const r of d.related ?? []) {
      const q = rangeProblem(r.range, lines, `${d.code} related "${r.message}"`);
      if (q) out.push(q);
    }
    if (INTERNAL_CODES.has(d.code)) out.push(`internal error ${d.code}: ${d.message}`);
    if (typeof d.message !== 'string' || d.message.length === 0) out.push(`${d.code}: empty message`);
  }
  return out;
}

function errMsg(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
}

/** parse + check + runText: nothing throws, every range is valid, exit status 0/1/2. */
export function frontEndAndEngineProblems(text: string, opts: RunOptions = { limits: FUZZ_LIMITS }): string[] {
  const out: string[] = [];
  try {
    const p = parse(text);
    out.push(...diagnosticRangeProblems(text, p.diagnostics, p.scenario.lineCount).map((s) => `parse: ${s}`));
    const c = check(p.scenario, { limits: opts.limits });
    out.push(...diagnosticRangeProblems(text, c.diagnostics).map((s) => `check: ${s}`));
  } catch (e) {
    out.push(`parse/check threw ${errMsg(e)}`);
    return out;
  }
  try {
    const r = runText(text, opts);
    out.push(...diagnosticRangeProblems(text, r.diagnostics).map((s) => `run: ${s}`));
    if (![0, 1, 2].includes(r.exitStatus)) out.push(`run: exit status ${r.exitStatus}`);
  } catch (e) {
    out.push(`runText threw ${errMsg(e)}`);
  }
  return out;
}

/** A scratch directory for CLI runs (one per process). */
let scratch: string | undefined;
export function scratchFile(name: string, text: string): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'mmscope-fuzz-'));
    process.once('exit', () => { try { rmSync(scratch!, { recursive: true, force: true }); } catch { /* ignore */ } });
  }
  const f = join(scratch, name);
  writeFileSync(f, text);
  return f;
}

/** `main(argv)`: never throws, exit 0/1/2, no stack trace on either stream. */
export function cliProblems(argv: string[]): string[] {
  const out: string[] = [];
  let stdout = '', stderr = '';
  let status: number;
  try {
    status = main(argv, (s) => { stdout += s; }, (s) => { stderr += s; });
  } catch (e) {
    return [`main(${JSON.stringify(argv)}) threw ${errMsg(e)}`];
  }
  if (![0, 1, 2].includes(status)) out.push(`main(${JSON.stringify(argv)}) returned ${status}`);
  for (const [name, s] of [['stdout', stdout], ['stderr', stderr]] as const) {
    if (/\n {4}at /.test(s) || /^ {4}at /.test(s)) out.push(`main(${JSON.stringify(argv)}) printed a stack trace on ${name}`);
  }
  if (argv[0] === 'check' && status !== 2 && !argv.includes('--help') && !argv.includes('--version') && !/\d+ passed, \d+ failed\n$/.test(stdout)) out.push('check: no summary line');
  return out;
}

/** The CLI over one scenario text: `check`, and `run --json` (the JSON must parse). */
export function cliTextProblems(text: string, kernel?: string): string[] {
  const f = scratchFile('fuzz.mms', text);
  const k = kernel ? ['--kernel', kernel] : [];
  const out = cliProblems(['check', f, ...k]);
  let json = '';
  try {
    main(['run', f, '--json', ...k], (s) => { json += s; }, () => {});
    JSON.parse(json);
  } catch (e) {
    out.push(`run --json: ${errMsg(e)}`);
  }
  return out;
}
