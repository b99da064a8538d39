// The `mmscope` command: check scenarios (gcc-style diagnostics, a summary line, exit
// 0/1/2) and print a run's trace as JSON. No stack trace ever reaches the user.

import { readFileSync } from 'node:fs';
import { runText, type RunResult } from './scenario/run';
import { traceToJson, type KernelStepVerdict } from './scenario/traceJson';
import { kernelMain } from './oracle/kernelCommand';

const HELP = `mmscope — simulate Linux memory-management scenarios (.mms)

Usage:
  mmscope check FILE...            parse, run and check each scenario
  mmscope run FILE --json          print the full trace of a run as JSON (format mmscope-trace v1)
  mmscope kernel [--real 6.1|6.12|all] FILE...
                                   run the files on real Linux kernels (Debian 6.1 and/or 6.12
                                   under QEMU, one boot per kernel for all files, kprobe events
                                   on) and compare every step with the engine run as that
                                   kernel: agree / differ / not observable
  mmscope --help | --version

Options:
  --kernel X.Y     run as this kernel version (overrides the file's \`kernel\` line)
  --quiet          print only problems and the summary
  --json           (kernel) print the comparison as JSON
  --no-probes      (kernel) boot without the kprobe events (what user space sees only)
  --kernel-oracle R.json   (run --json) add each step's real-kernel verdict from
                   \`mmscope kernel --json\` output R.json (trace field \`kernel\`)

check prints problems as FILE:LINE:COL: error|warning: MESSAGE [CODE], then one line
"N passed, M failed" counting expectations.
Exit status: 0 all expectations hold, 1 an expectation failed, 2 a parse or semantic
error (or a mapping the kernel refuses), or bad usage.
kernel: 0 every observable outcome agrees, 1 some differ, 2 bad usage or the oracle is
not set up (it needs \`bash scripts/oracle/setup.sh\`, run for you when root).
`;

function formatDiag(file: string, r: RunResult): string[] {
  return r.diagnostics
    .filter((d) => d.severity !== 'info')
    .map((d) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message} [${d.code}]`);
}

function readScenario(file: string): string | { error: string } {
  try { return readFileSync(file, 'utf8'); }
  catch (e) { return { error: `${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` }; }
}

export function main(argv: string[], write: (s: string) => void = (s) => process.stdout.write(s),
  writeErr: (s: string) => void = (s) => process.stderr.write(s)): number {
  const args = argv.filter((a) => !a.startsWith('--'));
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  let kernel: string | undefined;
  const ki = argv.indexOf('--kernel');
  if (ki >= 0) {
    kernel = argv[ki + 1] ?? '';
    const ai = argv[ki + 1] === undefined ? -1 : args.indexOf(kernel);
    if (ai >= 0) args.splice(ai, 1);
  }
  let oracleFile: string | undefined;
  const oi = argv.indexOf('--kernel-oracle');
  if (oi >= 0) {
    oracleFile = argv[oi + 1] ?? '';
    const ai = argv[oi + 1] === undefined ? -1 : args.indexOf(oracleFile);
    if (ai >= 0) args.splice(ai, 1);
  }
  if (flags.has('--help') || argv.length === 0) { write(HELP); return argv.length === 0 ? 2 : 0; }
  if (flags.has('--version')) { write('mmscope 0.1.0 (language v1, trace format v1)\n'); return 0; }
  const [cmd, ...files] = args;
  if (kernel !== undefined && !/^\d+\.\d+$/.test(kernel)) { writeErr(`mmscope: --kernel wants MAJOR.MINOR, got '${kernel}'\n`); return 2; }
  if (cmd === 'check') {
    if (!files.length) { writeErr('mmscope check: no files given\n'); return 2; }
    let status = 0, passed = 0, failed = 0;
    for (const f of files) {
      const text = readScenario(f);
      if (typeof text !== 'string') { writeErr(text.error + '\n'); status = 2; continue; }
      const r = runText(text, { kernelOverride: kernel });
      for (const l of formatDiag(f, r)) write(l + '\n');
      passed += r.passed; failed += r.failed;
      status = Math.max(status, r.exitStatus);
    }
    write(`${passed} passed, ${failed} failed\n`);
    return status;
  }
  if (cmd === 'run') {
    if (files.length !== 1) { writeErr('mmscope run: give exactly one FILE\n'); return 2; }
    const text = readScenario(files[0]);
    if (typeof text !== 'string') { writeErr(text.error + '\n'); return 2; }
    let verdicts: Map<number, KernelStepVerdict> | undefined;
    if (oracleFile !== undefined) {
      const v = readKernelVerdicts(oracleFile, files[0]);
      if (typeof v === 'string') { writeErr(`mmscope run: ${v}\n`); return 2; }
      verdicts = v;
    }
    const r = runText(text, { kernelOverride: kernel });
    if (flags.has('--json')) write(JSON.stringify(traceToJson(r, files[0], verdicts), null, 1) + '\n');
    else {
      for (const l of formatDiag(files[0], r)) write(l + '\n');
      write(`${r.passed} passed, ${r.failed} failed\n`);
    }
    return r.exitStatus;
  }
  writeErr(`mmscope: unknown command '${cmd}' (try --help)\n`);
  return 2;
}

/** The per-step verdicts for FILE from `mmscope kernel --json` output. */
function readKernelVerdicts(report: string, file: string): Map<number, KernelStepVerdict> | string {
  let j: { format?: string; kernel?: { release?: string }; files?: { file: string; steps: (KernelStepVerdict & { index: number })[] }[] };
  try { j = JSON.parse(readFileSync(report, 'utf8')); } catch (e) { return `${report}: cannot read: ${(e as Error).message}`; }
  if (j.format !== 'mmscope-kernel-comparison' || !Array.isArray(j.files)) return `${report}: not the output of \`mmscope kernel --json\``;
  const base = (p: string) => p.replace(/^.*[\\/]/, '');
  const f = j.files.find((x) => x.file === file) ?? j.files.find((x) => base(x.file) === base(file));
  if (!f) return `${report} has no comparison for ${file}`;
  const m = new Map<number, KernelStepVerdict>();
  for (const s of f.steps) m.set(s.index, { release: j.kernel?.release, verdict: s.verdict, reason: s.reason, values: s.values });
  return m;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv[0] === 'kernel') {
    kernelMain(argv.slice(1)).then((c) => { process.exitCode = c; },
      (e) => { process.stderr.write(`mmscope: internal error: ${(e as Error).message}\n`); process.exitCode = 2; });
  } else {
    let code = 2;
    try { code = main(argv); }
    catch (e) { process.stderr.write(`mmscope: internal error: ${(e as Error).message}\n`); code = 2; }
    process.exitCode = code;
  }
}
