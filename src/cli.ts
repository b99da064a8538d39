// The `mmscope` command: check scenarios (gcc-style diagnostics, a summary line, exit
// 0/1/2) and print a run's trace as JSON. No stack trace ever reaches the user.

import { parseRelease } from './engine/versions';
import { readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { runText, type RunResult } from './scenario/run';
import { traceToJson, type KernelStepVerdict } from './scenario/traceJson';
import { kernelMain } from './oracle/kernelCommand';
import { explain, explainSideBySide } from './views/explain';
import { pageData, sharePage, type PageAssets } from './views/sharePage';
import { offeredVersions } from './engine/versions';

const HELP = `mmscope — simulate Linux memory-management scenarios (.mms)

Usage:
  mmscope check FILE...            parse, run and check each scenario
  mmscope run FILE --json          print the full trace of a run as JSON (format mmscope-trace v1)
  mmscope run FILE --html OUT.html write one self-contained page with the inspector showing the
                                   run (timeline, steps, walks, PTEs; opens offline in a browser)
  mmscope explain FILE[:LINE]      what each statement (or the one on LINE) did, as plain ASCII
                                   text of at most 72 columns for email: fault paths, rmap walks
                                   (VMAs visited or skipped and why, PTE before -> after), results
                                   and verdicts; --kernel A,B puts two kernels side by side
  mmscope lsp --stdio              the language server (Neovim, Emacs eglot, any LSP client):
                                   diagnostics, hover, completion, definition, references,
                                   rename, formatting, symbols; see editors/
  mmscope kernel [--real 6.1|6.12|all|series|gup-6.1|gup-6.12] FILE...
                                   run the files on real Linux kernels (Debian 6.1 and/or 6.12
                                   under QEMU, one boot per kernel for all files, kprobe events
                                   on) and compare every step with the engine run as that
                                   kernel: agree / differ / not observable; series: 6.12 with
                                   the 6.15 fb_defio series; gup-6.1, gup-6.12: with gup_test,
                                   for \`pin ... readonly\`, no kprobes (built by
                                   scripts/oracle/build-kernel.sh NAME)
  mmscope --help | --version

Options:
  --kernel X.Y[.Z] run as this kernel release, e.g. 6.14 or 6.1.192 (overrides the file's \`kernel\` line)
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
not set up (it needs its setup.sh, run for you when root; see docs/real-kernel.md).
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
  /** The value after `--name` ('' when it is missing), taken out of the positional arguments. */
  const option = (name: string): string | undefined => {
    const i = argv.indexOf(name);
    if (i < 0) return undefined;
    const v = argv[i + 1] ?? '';
    const ai = argv[i + 1] === undefined ? -1 : args.indexOf(v);
    if (ai >= 0) args.splice(ai, 1);
    return v;
  };
  const kernel = option('--kernel');
  const htmlOut = option('--html');
  const oracleFile = option('--kernel-oracle');
  if (flags.has('--help') || argv.length === 0) { write(HELP); return argv.length === 0 ? 2 : 0; }
  if (flags.has('--version')) { write('mmscope 0.1.0 (language v1, trace format v1)\n'); return 0; }
  const [cmd, ...files] = args;
  if (cmd === 'explain') return explainCommand(files, kernel, write, writeErr);
  if (kernel !== undefined && !parseRelease(kernel)) { writeErr(`mmscope: --kernel wants MAJOR.MINOR or MAJOR.MINOR.PATCH, got '${kernel}'\n`); return 2; }
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
    if (htmlOut !== undefined) return writePage(r, text, files[0], htmlOut, write, writeErr);
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

/** The inspector's bundle, stylesheet, icon font and theme variables, next to this file (dist/). */
function pageAssets(): PageAssets {
  const root = join(__dirname, '..');
  const read = (p: string) => readFileSync(join(root, p), 'utf8');
  return {
    mainJs: read('dist/webview/main.js'), css: read('media/inspector.css'), codiconCss: read('media/codicons/codicon.css'),
    codiconTtfBase64: readFileSync(join(root, 'media/codicons/codicon.ttf')).toString('base64'),
    themes: JSON.parse(read('media/page-themes.json')),
  };
}

/** `mmscope run FILE --html OUT`: the self-contained page. */
function writePage(r: ReturnType<typeof runText>, text: string, file: string, out: string,
  write: (s: string) => void, writeErr: (s: string) => void): number {
  if (!out || out.startsWith('--')) { writeErr('mmscope run: --html wants the page\'s file name (--html OUT.html)\n'); return 2; }
  const data = pageData(r, text, file.replace(/^.*[\\/]/, ''), offeredVersions());
  if (typeof data === 'string') { writeErr(`mmscope run: ${data}\n`); return 2; }
  let assets: PageAssets;
  try { assets = pageAssets(); } catch (e) { writeErr(`mmscope run: the inspector's files are missing (${(e as Error).message}); run npm run build\n`); return 2; }
  const page = sharePage(data, assets, (s) => createHash('sha256').update(s).digest('base64'));
  try { writeFileSync(out, page); } catch (e) { writeErr(`mmscope run: cannot write ${out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n`); return 2; }
  for (const l of formatDiag(file, r)) write(l + '\n');
  write(`${out}: ${Math.round(page.length / 1024)} KiB, ${data.steps.length} steps, ${data.ptes.reduce((n, p) => n + p.length, 0)} PTE rows\n`);
  return r.exitStatus;
}

/** `mmscope explain FILE[:LINE] [--kernel A[,B]]`. */
function explainCommand(files: string[], kernel: string | undefined, write: (s: string) => void, writeErr: (s: string) => void): number {
  if (files.length !== 1) { writeErr('mmscope explain: give exactly one FILE or FILE:LINE\n'); return 2; }
  const m = /^(.*):(\d+)$/.exec(files[0]);
  const file = m ? m[1] : files[0];
  const line = m ? Number(m[2]) - 1 : undefined;
  if (line !== undefined && line < 0) { writeErr(`mmscope explain: line numbers start at 1, got ${m![2]}\n`); return 2; }
  const kernels = kernel === undefined ? [undefined] : kernel.split(',');
  if (kernels.length > 2 || kernels.some((k) => k !== undefined && !parseRelease(k))) {
    writeErr(`mmscope explain: --kernel wants one release or two separated by a comma (6.14,6.15), got '${kernel}'\n`);
    return 2;
  }
  const text = readScenario(file);
  if (typeof text !== 'string') { writeErr(text.error + '\n'); return 2; }
  const runs = kernels.map((k) => runText(text, { kernelOverride: k }));
  const lines = runs.length === 2 ? explainSideBySide(runs[0], runs[1], text, line) : explain(runs[0], text, line);
  write(lines.join('\n') + '\n');
  return Math.max(...runs.map((r) => r.exitStatus));
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
  if (argv[0] === 'lsp') {
    // its own bundle (dist/lsp.js, next to this one): the CLI stays small for the extension
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require(require('node:path').join(__dirname, 'lsp.js')) as { startStdioServer: () => void }).startStdioServer(); // serves until the client exits
  } else if (argv[0] === 'kernel') {
    kernelMain(argv.slice(1)).then((c) => { process.exitCode = c; },
      (e) => { process.stderr.write(`mmscope: internal error: ${(e as Error).message}\n`); process.exitCode = 2; });
  } else {
    let code = 2;
    try { code = main(argv); }
    catch (e) { process.stderr.write(`mmscope: internal error: ${(e as Error).message}\n`); code = 2; }
    process.exitCode = code;
  }
}
