// `mmscope kernel FILE...`: run every file on the real kernel in ONE boot, run the engine
// as that kernel, and print per file the comparison table and a summary line.
// Exit status: 0 every observable outcome agrees, 1 some differ, 2 usage/setup errors.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from '../language/parser';
import { check } from '../language/checker';
import { findRuntimeDir, loadOracleEnv, oracleCacheDir, OracleSetupError, runOracle, type OracleRunResult } from './run';
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
  summary: { files: number; agree: number; differ: number; notObservable: number };
}

type W = (s: string) => void;

/** Make sure .cache/oracle exists: run setup.sh when we are root, else say how. */
function ensureSetup(writeErr: W): boolean {
  let cache: string;
  try { cache = oracleCacheDir(); } catch (e) { writeErr(`mmscope kernel: ${(e as Error).message}\n`); return false; }
  if (fs.existsSync(path.join(cache, 'env.json'))) return true;
  const setup = path.join(findRuntimeDir(), 'setup.sh');
  if (process.getuid?.() !== 0) {
    writeErr(`mmscope kernel: the real-kernel oracle is not set up (${cache} is missing).\n` +
      `Run:  sudo bash ${path.relative(process.cwd(), setup) || setup}\n`);
    return false;
  }
  writeErr(`mmscope kernel: setting up the oracle (${setup}; about 80 s the first time)\n`);
  const r = spawnSync('sh', [setup], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0 || !fs.existsSync(path.join(cache, 'env.json'))) {
    writeErr(`mmscope kernel: setup failed (exit ${r.status})\n`);
    return false;
  }
  return true;
}

export async function kernelMain(argv: string[], write: W = (s) => process.stdout.write(s),
  writeErr: W = (s) => process.stderr.write(s)): Promise<number> {
  const json = argv.includes('--json');
  const keep = argv.includes('--keep');
  const files = argv.filter((a) => !a.startsWith('--'));
  const bad = argv.filter((a) => a.startsWith('--') && a !== '--json' && a !== '--keep');
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
    const errs = [...diagnostics, ...chk.diagnostics].filter((d) => d.severity === 'error');
    if (errs.length) {
      for (const d of errs) writeErr(`${f}:${d.range.start.line + 1}:${d.range.start.character + 1}: error: ${d.message} [${d.code}]\n`);
      return 2;
    }
    inputs.push({ name: path.basename(f), file: f, scenario, invalid: chk.invalid, text });
  }
  try {
    if (!ensureSetup(writeErr)) return 2;
    loadOracleEnv();
  } catch (e) {
    writeErr(`mmscope kernel: ${e instanceof OracleSetupError ? e.message : (e as Error).message}\n`);
    return 2;
  }
  const res = await runOracle(inputs, { keep });
  if (!res.ok && res.scenarios.length === 0) {
    writeErr(`mmscope kernel: the oracle run failed (${res.exit}): ${res.error ?? ''}\n`);
    return 2;
  }
  // the engine runs at the exact release the oracle booted (6.1.192 for Debian's 6.1)
  const booted = bootedRelease(res.kernel.release, res.kernel.version);
  const kernel = booted?.release ?? ORACLE_RELEASES[0];
  const report: KernelReport = {
    format: 'mmscope-kernel-comparison', version: 1, kernel: res.kernel, engineKernel: kernel, exit: res.exit, error: res.error, timing: res.timing,
    files: [], summary: { files: inputs.length, agree: 0, differ: 0, notObservable: 0 },
  };
  inputs.forEach((inp, i) => {
    const o = res.scenarios[i];
    const eng = captureEngine(inp.scenario, o, { kernel, fbDelayMs: res.kernel.fbDelayMs ?? undefined });
    const c = compareScenario(o, eng, { lines: inp.text.split('\n') });
    if (o.status !== 'ok') c.notes.push(`oracle: scenario ${o.status}${o.errors.length ? `: ${o.errors.map((e) => `${e.what} errno ${e.errno}`).join(', ')}` : ''}`);
    report.files.push({ ...c, file: inp.file, oracleStatus: o.status, oracleErrors: o.errors.map((e) => `step ${e.step}: ${e.what} errno ${e.errno}`) });
    report.summary.agree += c.summary.agree;
    report.summary.differ += c.summary.differ;
    report.summary.notObservable += c.summary.notObservable;
  });
  if (json) write(JSON.stringify(report, null, 1) + '\n');
  else {
    write(`real kernel ${res.kernel.release} (HZ=${res.kernel.hz}, fb delay ${res.kernel.fbDelayMs} ms), QEMU/TCG; one boot for ${inputs.length} file(s), ${(res.timing.totalMs / 1000).toFixed(1)} s\n`);
    write(`engine run as Linux ${kernel}${booted ? ` (${booted.exact ? '' : 'patch level unknown: mainline; '}${booted.source})` : ' (the booted release could not be read)'}\n`);
    if (!res.ok) write(`oracle run: ${res.exit}${res.error ? `: ${res.error}` : ''}${res.garbled.length ? `; ${res.garbled.length} garbled lines` : ''}\n`);
    for (const f of report.files) {
      write(`\n== ${f.file}\n`);
      for (const n of f.notes) write(`note: ${n}\n`);
      for (const l of formatComparison(f)) write(l + '\n');
      write(summaryLine({ ...f, name: f.file }) + '\n');
    }
    write(`\n${report.summary.files} files: ${report.summary.agree} steps agree, ${report.summary.differ} differ, ${report.summary.notObservable} not observable\n`);
  }
  const notRun = report.files.some((f) => f.oracleStatus === 'not-run');
  if (report.summary.differ > 0) return 1;
  return notRun || !res.ok ? 2 : 0;
}
