// The comparison table of `npm run selftests`: every case of the listed selftest files, its
// result on each real kernel (from the committed cache test/selftests/kernel-results.json)
// and mmscope's verdict at that kernel's exact release. Pure: no I/O.

import type { CaseResult, SelftestCase } from './tap';
import type { EngineVerdict } from './scenarios';

/** One kernel's measured results, as cached. */
export interface KernelResults {
  /** 'uname -r' of the guest */
  release: string;
  debianVersion: string;
  /** upstream release the engine runs as (6.1.192, 6.12.118) */
  upstream: string;
  measured: string;
  guest: Record<string, string>;
  /** per test binary: which release's source it was built from, exit status, cases */
  files: Record<string, { from: string; rc: number | null; cases: SelftestCase[] }>;
}

export interface ResultsCache {
  /** test files each release's tree lacks ("not in this release") */
  notInRelease: Record<string, string[]>;
  kernels: Record<string, KernelResults>;
}

export type EngineCell = EngineVerdict | 'not expressed' | 'awaits v2';
export type Agreement = 'agree' | 'DISAGREE' | 'not compared';

export interface Row {
  test: string;
  name: string;
  kernel: Record<string, CaseResult | 'absent'>;
  /** 'the file of release X', when the kernel ran a test built from another release's tree */
  from: Record<string, string>;
  reason: Record<string, string>;
  engine: Record<string, EngineCell>;
  agree: Agreement;
  /** the scenario (repo-relative) that states it, if any */
  scenario?: string;
}

/** The release whose selftests a kernel runs: a gup kernel's is its Debian release's (gup-6.12 → 6.12). */
export const releaseOf = (kernel: string): string => kernel.replace(/^gup-/, '');

/**
 * Skip reasons that say the kernel lacks the test's instrument, not how its mm behaved: the
 * case tells nothing at that release. cow.c's R/O pin tests need /sys/kernel/debug/gup_test
 * (CONFIG_GUP_TEST, not in Debian's kernels) and its PIN_LONGTERM_TEST_START (6.2+).
 */
export const INSTRUMENT_SKIPS: readonly string[] = ['gup_test not available', 'PIN_LONGTERM_TEST_START failed'];

/** A kernel result in the engine's terms: did the selftest's assertion hold? (xfail: yes, it expected the refusal). */
export function held(r: CaseResult | 'absent'): boolean | null {
  if (r === 'pass' || r === 'xfail') return true;
  if (r === 'fail') return false;
  return null;
}

export function agreement(kernel: Record<string, CaseResult | 'absent'>, engine: Record<string, EngineCell>): Agreement {
  let compared = 0;
  for (const k of Object.keys(kernel)) {
    const h = held(kernel[k]);
    const e = engine[k];
    if (h === null || (e !== 'pass' && e !== 'fail' && e !== 'error')) continue;
    compared++;
    if (h !== (e === 'pass')) return 'DISAGREE';
  }
  return compared ? 'agree' : 'not compared';
}

export interface EngineLookup {
  /** the verdict for (test, case) at a kernel, or undefined when no scenario states it */
  verdict(test: string, name: string, kernel: string): EngineCell | undefined;
  scenario(test: string, name: string): string | undefined;
}

export function buildRows(cache: ResultsCache, tests: readonly string[], engine: EngineLookup): Row[] {
  const kernels = Object.keys(cache.kernels).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const rows: Row[] = [];
  for (const test of tests) {
    const names: string[] = [];
    for (const k of [...kernels].reverse()) {
      for (const c of cache.kernels[k].files[test]?.cases ?? []) if (!names.includes(c.name)) names.push(c.name);
    }
    for (const name of names) {
      const row: Row = { test, name, kernel: {}, from: {}, reason: {}, engine: {}, agree: 'not compared' };
      for (const k of kernels) {
        const f = cache.kernels[k].files[test];
        const c = f?.cases.find((x) => x.name === name);
        row.kernel[k] = c ? c.result : 'absent';
        if (f && f.from !== releaseOf(k)) row.from[k] = f.from;
        if (c?.reason) row.reason[k] = c.reason;
        row.engine[k] = engine.verdict(test, name, k) ?? 'not expressed';
      }
      row.scenario = engine.scenario(test, name);
      row.agree = agreement(row.kernel, row.engine);
      rows.push(row);
    }
  }
  return rows;
}

export interface Summary {
  cases: number;
  perKernel: Record<string, { cases: number; pass: number; fail: number; skip: number; xfail: number; absent: number }>;
  expressed: number;
  awaitsV2: number;
  agree: number;
  disagree: number;
}

export function summarize(rows: readonly Row[]): Summary {
  const perKernel: Summary['perKernel'] = {};
  for (const r of rows) {
    for (const [k, v] of Object.entries(r.kernel)) {
      const p = (perKernel[k] ??= { cases: 0, pass: 0, fail: 0, skip: 0, xfail: 0, absent: 0 });
      p[v]++;
      if (v !== 'absent') p.cases++;
    }
  }
  const cells = (r: Row): EngineCell[] => Object.values(r.engine);
  return {
    cases: rows.length,
    perKernel,
    expressed: rows.filter((r) => cells(r).some((c) => c !== 'not expressed')).length,
    awaitsV2: rows.filter((r) => cells(r).includes('awaits v2')).length,
    agree: rows.filter((r) => r.agree === 'agree').length,
    disagree: rows.filter((r) => r.agree === 'DISAGREE').length,
  };
}

function kcell(r: Row, k: string): string {
  const v = r.kernel[k];
  return (v === 'absent' ? '-' : v) + (r.from[k] && v !== 'absent' ? '*' : '');
}

/** The table as Markdown (docs/selftests.md) or aligned text (the terminal). */
export function formatTable(rows: readonly Row[], kernels: readonly string[], markdown: boolean): string {
  const head = ['test', 'case', ...kernels.map((k) => `kernel ${k}`), ...kernels.map((k) => `mmscope ${k}`), 'agree'];
  const body = rows.map((r) => [r.test, r.name, ...kernels.map((k) => kcell(r, k)), ...kernels.map((k) => r.engine[k]), r.agree]);
  if (markdown) {
    const esc = (s: string): string => s.replace(/\|/g, '\\|');
    return [head, head.map(() => '---'), ...body].map((c) => `| ${c.map(esc).join(' | ')} |`).join('\n') + '\n';
  }
  const w = head.map((h, i) => Math.min(i === 1 ? 70 : 40, Math.max(h.length, ...body.map((b) => b[i].length))));
  const fit = (s: string, n: number): string => (s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n));
  return [head, ...body].map((c) => c.map((s, i) => fit(s, w[i])).join('  ').trimEnd()).join('\n') + '\n';
}
