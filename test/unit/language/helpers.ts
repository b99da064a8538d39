import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Range, Scenario, Statement } from '../../../src/language/ast';
import type { Diagnostic } from '../../../src/language/diagnostics';
import { parse } from '../../../src/language/parser';
import { type CheckOptions, type CheckResult, check } from '../../../src/language/checker';

const isWordChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_-]/.test(c);

/**
 * The range of the `nth` occurrence of `sub` in `text` (one line) that stands alone (not
 * inside a longer name or number), on line `line`.
 */
export function R(text: string, sub: string, nth = 0, line = 0): Range {
  let at = -1;
  for (let k = 0; k <= nth; k++) {
    do {
      at = text.indexOf(sub, at + 1);
      assert.ok(at >= 0, `'${sub}' (#${nth}) not found in '${text}'`);
    } while ((isWordChar(sub[0]) && isWordChar(text[at - 1])) || (isWordChar(sub[sub.length - 1]) && isWordChar(text[at + sub.length])));
  }
  return { start: { line, character: at }, end: { line, character: at + sub.length } };
}

/** The statement type(s) whose kind can be K (AccessStmt's kind is 'read' | 'write'). */
export type StmtOf<K extends Statement['kind'], S = Statement> = S extends { kind: infer SK } ? (K extends SK ? S : never) : never;

/** Parse one statement that must parse cleanly. */
export function one<K extends Statement['kind']>(text: string, kind: K): StmtOf<K> {
  const { scenario, diagnostics } = parse(text);
  assert.deepEqual(diagnostics, [], `unexpected diagnostics for '${text}'`);
  assert.equal(scenario.statements.length, 1);
  const s = scenario.statements[0];
  assert.equal(s.kind, kind);
  return s as StmtOf<K>;
}

/** The single parse diagnostic of a one-line text. */
export function parseError(text: string): Diagnostic {
  const { scenario, diagnostics } = parse(text);
  assert.equal(diagnostics.length, 1, `expected one diagnostic for '${text}', got ${JSON.stringify(diagnostics.map(d => d.message))}`);
  assert.equal(scenario.statements.length, 0);
  return diagnostics[0];
}

export interface Full { scenario: Scenario; parseDiags: Diagnostic[]; result: CheckResult; all: Diagnostic[] }

export function parseAndCheck(text: string, opts?: CheckOptions): Full {
  const { scenario, diagnostics } = parse(text);
  const result = check(scenario, opts);
  return { scenario, parseDiags: diagnostics, result, all: [...diagnostics, ...result.diagnostics] };
}

export function errors(f: Full): Diagnostic[] {
  return f.all.filter(d => d.severity === 'error');
}

/** Lines joined with \n. */
export function lines(...ls: string[]): string {
  return ls.join('\n');
}

/** ../shared next to the repository (the language contract's scenarios). */
export function sharedDir(): string {
  let dir = __dirname;
  for (let i = 0; i < 8; i++) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'src', 'language'))) break;
    dir = path.dirname(dir);
  }
  return process.env.MMSCOPE_SHARED ?? path.join(dir, '..', 'shared');
}

/**
 * The shared acceptance scenarios' folder. It must exist: a missing folder is an error at
 * load time (every test file that reads it fails), never a suite that quietly has no tests.
 */
export function sharedScenarios(): string {
  const dir = path.join(sharedDir(), 'scenarios');
  if (!fs.existsSync(dir)) throw new Error(`the shared scenarios are not at ${dir}: put shared/ beside the repository or set MMSCOPE_SHARED`);
  return dir;
}

export function fmt(d: Diagnostic): string {
  return `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.severity} ${d.code} ${d.message}`;
}
