// `mmscope kernel [--real 6.1|6.12|all|series|gup-6.1|gup-6.12] FILE...`: run every file on each real kernel in
// ONE boot per kernel, run the engine as that kernel, and print per kernel and file the
// comparison table and a summary line.
// Exit status: 0 every observable outcome agrees, 1 some differ, 2 usage/setup errors.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from '../language/parser';
import { check } from '../language/checker';
import { fileDiagnostics } from '../scenario/run';
import { guestDir, loadOracleEnv, oracleCacheDir, ORACLE_KERNELS, OracleSetupError, runOracle, type OracleRunResult } from './run';
import type { ProbeStatus } from './kprobes';
import { captureEngine, compareScenario, formatComparison, summaryLine, type ScenarioComparison } from './compare';
import { bootedRelease } from './release';
import { ORACLE_RELEASES } from '../engine/versions';

export interface KernelReport {
  format: 'mmscope-kernel-comparison';
  version: 1;
  kernel: OracleRunResult['kernel'];
  exit: OracleRunResult['exit'];
  error?: string;
  timing: OracleRunResult['timing'];
  /** the release the engine ran as, read from the booted kernel */
  engineKernel: string;
  files: (ScenarioComparison & { file: string; oracleStatus: string; oracleErrors: string[] })[];
  /** directives: `kernel` lines and declarations with nothing to compare (not outcomes; StepComparison.directive) */
  summary: { files: number; agree: number; differ: number; notObservable: number; directives: number };
  /** the kprobe events of the boot: placed, or why not (null: booted without them) */
  probes: ProbeStatus[] | null;
  /** with --real all: one report per kernel (this object is the first of them) */
  runs?: KernelReport[];
}

type W = (s: string) => void;

/** Make sure <cache>/<kernel> exists: run setup.sh when we are root, else say how. */
function ensureSetup(writeErr: W, kernels: readonly string[]): boolean {
  let cache: string;
  try { cache = oracleCacheDir(); } catch (e) { writeErr(`mmscope kernel: ${(e as Error).message}\n`); return false; }
  if (kernels.every((k) => fs.existsSync(path.join(cache, k, 'env.json')))) return true;
  const setup = path.join(guestDir(), 'setup.sh');
  if (process.getuid?.() !== 0) {
    writeErr(`mmscope kernel: the real-kernel oracle is not set up (${cache} is missing).\n` +
      `Run:  sudo MMSCOPE_ORACLE_CACHE=${cache} sh ${setup}\n`);
    return false;
  }
  writeErr(`mmscope kernel: setting up the oracle (${setup}; about 1-2 min the first time: two kernels)\n`);
  const r = spawnSync('sh', [setup, kernels.length === 1 ? kernels[0] : 'all'], {
    stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, MMSCOPE_ORACLE_CACHE: cache },
  });
  if (r.status !== 0 || !kernels.every((k) => fs.existsSync(path.join(cache, k, 'env.json')))) {
    writeErr(`mmscope kernel: setup failed (exit ${r.status})\n`);
    return false;
  }
  return true;
}

/** Kernels built from Debian's source by scripts/oracle/build-kernel.sh (never part of `all`). */
const BUILT_KERNELS = ['series', 'gup-6.1', 'gup-6.12'] as const;

export async function kernelMain(argv: string[], write: W = (s) => process.stdout.write(s),
  writeErr: W = (s) => process.stderr.write(s)): Promise<number> {
  argv = [...argv];
  const ri = argv.indexOf('--real');
  const real = ri >= 0 ? argv.splice(ri, 2)[1] ?? '' : '6.1';
  const kernels: string[] = real === 'all' ? [...ORACLE_KERNELS] : [real];
  if (!kernels.every((k) => (ORACLE_KERNELS as readonly string[]).includes(k) || k === 'user' || (BUILT_KERNELS as readonly string[]).includes(k))) {
    writeErr(`mmscope kernel: --real wants 6.1, 6.12, all, ${BUILT_KERNELS.join(', ')}, got '${real}'\n`);
    return 2;
  }
  const unbuilt = kernels.find((k) => (BUILT_KERNELS as readonly string[]).includes(k) && !fs.existsSync(path.join(oracleCacheDir(), k, 'env.json')));
  if (unbuilt) {
    writeErr(`mmscope kernel: the ${unbuilt} kernel is built, not downloaded: run  sh scripts/oracle/build-kernel.sh ${unbuilt}  first (minutes on 2 cores)\n`);
    return 2;
  }
  const json = argv.includes('--json');
  const keep = argv.includes('--keep');
  const noprobes = argv.includes('--no-probes');
  const files = argv.filter((a) => !a.startsWith('--'));
  const bad = argv.filter((a) => a.startsWith('--') && a !== '--json' && a !== '--keep' && a !== '--no-probes');
  if (bad.length) { writeErr(`mmscope kernel: unknown option ${bad[0]}\n`); return 2; }
  if (!files.length) { writeErr('mmscope kernel: no files given\n'); return 2; }
  const inputs = [];
  for (const f of files) {
    let text: string;
    try { text = fs.readFileSync(f, 'utf8'); } catch (e) {
      writeErr(`${f}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`); return 2;
    }
    const { scenario, diagnostics } = parse(text);
    const chk = check(scenario);
    const errs = fileDiagnostics(scenario, diagnostics, chk).filter((d) => d.severity === 'error');
    if (errs.length) {
      for (const d of errs) writeErr(`${f}:${d.range.start.line + 1}:${d.range.start.character + 1}: error: ${d.message} [${d.code}]\n`);
      return 2;
    }
    inputs.push({ name: path.basename(f), file: f, scenario, invalid: chk.invalid, text });
  }
  try {
    if (!ensureSetup(writeErr, kernels)) return 2;
    for (const k of kernels) loadOracleEnv(undefined, k);
  } catch (e) {
    writeErr(`mmscope kernel: ${e instanceof OracleSetupError ? e.message : (e as Error).message}\n`);
    return 2;
  }
  const reports: KernelReport[] = [];
  let status = 0;
  for (const k of kernels) {
    const r = await kernelRun(inputs, k, { keep, probes: !noprobes }, json ? () => {} : write, writeErr);
    if (typeof r === 'number') return r;
    reports.push(r.report);
    status = Math.max(status, r.status);
  }
  if (kernels.length > 1 && !json) {
    write('\n');
    for (const r of reports) write(`${r.kernel.name} (${r.kernel.release}${r.kernel.upstream ? `, upstream ${r.kernel.upstream}` : ''}): ${r.summary.agree} steps agree, ${r.summary.differ} differ, ${r.summary.notObservable} not observable (${pct(r.summary)}), ${r.summary.directives} directives\n`);
  }
  if (json) write(JSON.stringify(kernels.length > 1 ? { ...reports[0], runs: reports } : reports[0], null, 1) + '\n');
  return reports.some((r) => r.summary.differ > 0) ? 1 : status === 2 ? 2 : 0;
}

type Input = { name: string; file: string; scenario: ReturnType<typeof parse>['scenario']; invalid: ReturnType<typeof check>['invalid']; text: string };

/**
 * Compare one oracle boot with the engine run at the release it booted (the package's
 * upstream release, 6.1.192-2 -> 6.1.192, else the one uname -v names), plus the rules of
 * the kernel's patches (the series kernel). Pure apart from running the engine.
 */
export function compareOracleRun(inputs: readonly Pick<Input, 'scenario' | 'file' | 'text'>[], res: OracleRunResult) {
  const booted = res.kernel.upstream
    ? { release: res.kernel.upstream, exact: true, source: `Debian package ${res.kernel.debianVersion}` }
    : bootedRelease(res.kernel.release, res.kernel.version);
  const kernel = booted?.release ?? ORACLE_RELEASES[0];
  // a patched build (the series kernel) runs the engine at its release plus the rules of its patches
  const patches = res.kernel.patches ?? [];
  const report: KernelReport = {
    format: 'mmscope-kernel-comparison', version: 1, kernel: res.kernel, engineKernel: kernel + patches.map((p) => `+${p}`).join(''), exit: res.exit, error: res.error, timing: res.timing,
    files: [], summary: { files: inputs.length, agree: 0, differ: 0, notObservable: 0, directives: 0 }, probes: res.run?.probes ?? null,
  };
  inputs.forEach((inp, i) => {
    const o = res.scenarios[i];
    const eng = captureEngine(inp.scenario, o, { kernel, patches, fbDelayMs: res.kernel.fbDelayMs ?? undefined });
    const c = compareScenario(o, eng, { lines: inp.text.split('\n'), probes: res.run?.probes ?? null });
    if (o.traceLost) c.notes.push('the kprobe trace lost events (ring buffer overflow): walks, results, fb_defio and PTE values of this file are not observable');
    if (o.status !== 'ok') c.notes.push(`oracle: scenario ${o.status}${o.errors.length ? `: ${o.errors.map((e) => `${e.what} errno ${e.errno}`).join(', ')}` : ''}`);
    report.files.push({ ...c, file: inp.file, oracleStatus: o.status, oracleErrors: o.errors.map((e) => `step ${e.step}: ${e.what} errno ${e.errno}`) });
    report.summary.agree += c.summary.agree;
    report.summary.differ += c.summary.differ;
    report.summary.notObservable += c.summary.notObservable;
    report.summary.directives += c.summary.directives;
  });
  return { report, booted, kernel, patches };
}

/** One boot of one kernel for all inputs, and the comparison with the engine run as that kernel. */
async function kernelRun(inputs: Input[], kernelName: string, opts: { keep: boolean; probes: boolean }, write: W, writeErr: W): Promise<number | { report: KernelReport; status: number }> {
  const res = await runOracle(inputs, { keep: opts.keep, kernel: kernelName, probes: opts.probes });
  if (!res.ok && res.scenarios.length === 0) {
    writeErr(`mmscope kernel: the oracle run on ${kernelName} failed (${res.exit}): ${res.error ?? ''}\n`);
    return 2;
  }
  const { report, booted, kernel, patches } = compareOracleRun(inputs, res);
  {
    write(`real kernel ${res.kernel.release} (Debian ${res.kernel.debianVersion || '?'}, HZ=${res.kernel.hz}, fb delay ${res.kernel.fbDelayMs} ms), QEMU/TCG; one boot for ${inputs.length} file(s), ${(res.timing.totalMs / 1000).toFixed(1)} s\n`);
    write(`engine run as Linux ${kernel}${patches.length ? ` with the rule${patches.length > 1 ? 's' : ''} of its patches: ${patches.join(', ')}` : ''}${booted ? ` (${booted.exact ? '' : 'patch level unknown: mainline; '}${booted.source})` : ' (the booted release could not be read)'}\n`);
    write(`${probeLine(report.probes)}\n`);
    if (!res.ok) write(`oracle run: ${res.exit}${res.error ? `: ${res.error}` : ''}${res.garbled.length ? `; ${res.garbled.length} garbled lines` : ''}\n`);
    for (const f of report.files) {
      write(`\n== ${f.file}\n`);
      for (const n of f.notes) write(`note: ${n}\n`);
      for (const l of formatComparison(f)) write(l + '\n');
      write(summaryLine({ ...f, name: f.file }) + '\n');
    }
    write(`\n${report.summary.files} files: ${report.summary.agree} steps agree, ${report.summary.differ} differ, ${report.summary.notObservable} not observable (${pct(report.summary)} of the compared outcomes), ${report.summary.directives} directives (not outcomes)\n`);
  }
  const notRun = report.files.some((f) => f.oracleStatus === 'not-run');
  return { report, status: report.summary.differ > 0 ? 1 : notRun || !res.ok ? 2 : 0 };
}

/** not observable / (agree + differ + not observable): the share of outcomes not compared */
function pct(s: { agree: number; differ: number; notObservable: number }): string {
  const n = s.agree + s.differ + s.notObservable;
  return `${(100 * s.notObservable / Math.max(1, n)).toFixed(1)}%`;
}

/** One line on the kprobe events of a boot: how many were placed, and every one that was not, with the reason. */
export function probeLine(probes: readonly ProbeStatus[] | null): string {
  if (!probes) return 'kprobe events: none (booted without them): walks, results, fb_defio and PTE values are not observable';
  const bad = probes.filter((p) => !p.ok);
  return `kprobe events: ${probes.length - bad.length} of ${probes.length} placed${bad.map((p) => `; ${p.ev} not placed: ${p.why}`).join('')}`;
}
