// `npm run selftests`: the kernel's mm selftests against mmscope (issue #18, docs/selftests.md).
//
//   npm run selftests                          the table from the cached kernel results
//   npm run selftests -- --markdown            the same as Markdown (docs/selftests.md)
//   npm run selftests -- --json                rows and summary as JSON
//   npm run selftests -- --reparse             rebuild kernel-results.json from the committed
//                                              serial logs (test/selftests/kernel-<K>.log)
//   npm run selftests -- --rerun [6.1|6.12|all]  rebuild (scripts/selftests/build.sh), boot
//                                              the oracle's kernels, run the tests, rewrite
//                                              test/selftests/kernel-results.json, then print
//   npm run selftests -- --rerun gup-6.1|gup-6.12|gup
//                                              the same with the gup kernels (Debian's source,
//                                              minimal config + CONFIG_GUP_TEST, built by
//                                              scripts/oracle/build-kernel.sh): cow.c only
//
// Kernel results: test/selftests/kernel-results.json (committed). Engine: every
// test/selftests/*.mms, run at each kernel's upstream release (6.1.192, 6.12.118);
// test/selftests/v2/*.mms are listed as "awaits v2" until the language has their constructs.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type ResultsCache, type EngineCell, buildRows, formatTable, releaseOf, summarize } from '../../src/selftests/compare';
import { oracleCacheDir } from '../../src/oracle/run';
import { runSelftestsInGuest, selftestsDir } from '../../src/selftests/guest';
import { type SelftestScenario, engineVerdicts, loadScenarios } from '../../src/selftests/scenarios';
import { parseSelftestLog } from '../../src/selftests/tap';

export const TESTS = ['cow', 'mkdirty', 'soft-dirty', 'mremap_test', 'uffd-wp-mremap', 'pfnmap', 'rmap', 'migration', 'madv_populate', 'pagemap_ioctl'];
// the repository: scripts/selftests/selftests.sh runs this bundle from the repository root
const ROOT = path.dirname(path.dirname(selftestsDir(process.cwd())));
const CACHE = path.join(ROOT, 'test/selftests/kernel-results.json');
const BUILD = path.join(ROOT, '.cache/selftests');

function readJson<T>(f: string): T { return JSON.parse(fs.readFileSync(f, 'utf8')) as T; }

/** mmscope's own probes (scripts/selftests/probes/*.c), not kernel selftests: their own table. */
export const PROBES = ['ropin_unshare'];
/** The gup kernels: Debian's 6.1 / 6.12 source with CONFIG_GUP_TEST, for cow.c's R/O pin cases. */
const GUP_TESTS = ['cow', ...PROBES];

async function rerun(which: string): Promise<void> {
  const kernels = which === 'all' ? ['6.1', '6.12'] : which === 'gup' ? ['gup-6.1', 'gup-6.12'] : [which];
  const b = spawnSync('bash', [path.join(ROOT, 'scripts/selftests/build.sh'), 'all'], { stdio: 'inherit' });
  if (b.status !== 0) throw new Error('scripts/selftests/build.sh failed');
  for (const k of kernels.filter((x) => !fs.existsSync(path.join(oracleCacheDir(), x, 'env.json')))) {
    // the Debian kernels are downloaded by setup.sh; the gup kernels built (minutes of CPU)
    const s = k.startsWith('gup-')
      ? spawnSync('sh', [path.join(ROOT, 'scripts/oracle/build-kernel.sh'), k], { stdio: 'inherit', env: { ...process.env, MMSCOPE_ORACLE_CACHE: oracleCacheDir() } })
      : spawnSync('sh', [path.join(ROOT, 'src/oracle/guest/setup.sh'), k], { stdio: 'inherit', env: { ...process.env, MMSCOPE_ORACLE_CACHE: oracleCacheDir() } });
    if (s.status !== 0) throw new Error(`${k}: ${k.startsWith('gup-') ? 'scripts/oracle/build-kernel.sh' : 'src/oracle/guest/setup.sh'} failed`);
  }
  const cache: ResultsCache = fs.existsSync(CACHE) ? readJson(CACHE) : { notInRelease: {}, kernels: {} };
  const built: Record<string, { debianVersion: string; built: string[]; missing: string[] }> = {};
  for (const r of ['6.1', '6.12']) built[r] = readJson(path.join(BUILD, r, 'build.json'));
  for (const r of Object.keys(built)) cache.notInRelease[r] = built[r].missing;
  for (const k of kernels) {
    // the kernel's own release's tests; a file its tree lacks, from the other release's tree
    const r = releaseOf(k);
    const plan = (k.startsWith('gup-') ? GUP_TESTS : TESTS).flatMap((t) => {
      if (built[r].built.includes(t)) return [{ t, from: r }];
      const other = Object.keys(built).find((r) => built[r].built.includes(t));
      return other ? [{ t, from: other }] : [];
    });
    const bins = path.join(BUILD, `guest-${k}`);
    fs.rmSync(bins, { recursive: true, force: true });
    fs.mkdirSync(bins, { recursive: true });
    for (const p of plan) fs.copyFileSync(path.join(BUILD, p.from, 'bin', p.t), path.join(bins, p.t));
    process.stderr.write(`selftests: booting ${k}: ${plan.map((p) => p.t + (p.from !== r ? `(${p.from})` : '')).join(' ')}\n`);
    const res = await runSelftestsInGuest({
      kernel: k, binDir: bins, tests: plan.map((p) => p.t), workDir: path.join(BUILD, `work-${k}`),
      onLine: (l) => { if (/^SELFTEST-(BEGIN|END)/.test(l)) process.stderr.write(`  ${k}: ${l}\n`); },
    });
    process.stderr.write(`selftests: ${k}: ${res.exit} after ${(res.wallMs / 1000).toFixed(0)} s${res.error ? ': ' + res.error : ''}\n`);
    if (!res.done) throw new Error(`${k}: the guest did not finish (serial log in ${path.join(BUILD, `work-${k}`)}); cache not updated`);
    const from = Object.fromEntries(plan.map((p) => [p.t, p.from]));
    fs.writeFileSync(logFile(k), res.log);
    cache.kernels[k] = {
      release: res.release, debianVersion: res.debianVersion, upstream: res.upstream ?? k,
      measured: new Date().toISOString(), guest: res.info,
      files: filesFromLog(res.log, from, r),
    };
    fs.writeFileSync(CACHE, JSON.stringify(cache, null, 1) + '\n');
  }
}

const logFile = (k: string): string => path.join(ROOT, 'test/selftests', `kernel-${k}.log`);

function filesFromLog(log: string, from: Record<string, string>, k: string): ResultsCache['kernels'][string]['files'] {
  return Object.fromEntries(parseSelftestLog(log).files.map((f) => [f.test, { from: from[f.test] ?? k, rc: f.rc, cases: f.cases }]));
}

/** Re-parse the committed logs (after a change to src/selftests/tap.ts), keeping the rest. */
function reparse(): void {
  const cache: ResultsCache = readJson(CACHE);
  for (const [k, kr] of Object.entries(cache.kernels)) {
    if (!fs.existsSync(logFile(k))) continue;
    const from = Object.fromEntries(Object.entries(kr.files).map(([t, f]) => [t, f.from]));
    kr.files = filesFromLog(fs.readFileSync(logFile(k), 'utf8'), from, releaseOf(k));
  }
  fs.writeFileSync(CACHE, JSON.stringify(cache, null, 1) + '\n');
}

function engineLookup(cache: ResultsCache, runnable: SelftestScenario[], waiting: SelftestScenario[]) {
  const verdicts = new Map<string, EngineCell>();
  const where = new Map<string, string>();
  const key = (t: string, n: string, k = ''): string => `${t}\0${n}\0${k}`;
  for (const s of waiting) for (const sec of s.sections) {
    where.set(key(sec.test, sec.name), path.relative(ROOT, s.file));
    for (const k of Object.keys(cache.kernels)) verdicts.set(key(sec.test, sec.name, k), 'awaits v2');
  }
  for (const s of runnable) {
    for (const [k, kr] of Object.entries(cache.kernels)) {
      for (const v of engineVerdicts(s, kr.upstream)) {
        where.set(key(v.test, v.name), path.relative(ROOT, s.file));
        verdicts.set(key(v.test, v.name, k), v.verdict);
        if (v.verdict !== 'pass' && process.env.MMSCOPE_SELFTESTS_VERBOSE) process.stderr.write(`${s.file} @${kr.upstream} ${v.name}: ${v.failed.join('; ')}\n`);
      }
    }
  }
  return {
    verdict: (t: string, n: string, k: string) => verdicts.get(key(t, n, k)),
    scenario: (t: string, n: string) => where.get(key(t, n)),
  };
}

async function main(argv: string[]): Promise<number> {
  const i = argv.indexOf('--rerun');
  if (i >= 0) await rerun(argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : 'all');
  if (argv.includes('--reparse')) reparse();
  if (!fs.existsSync(CACHE)) { process.stderr.write(`${CACHE} missing: run with --rerun\n`); return 2; }
  const cache = readJson<ResultsCache>(CACHE);
  const runnable = loadScenarios(path.join(ROOT, 'test/selftests'));
  const waiting = loadScenarios(path.join(ROOT, 'test/selftests/v2'));
  const rows = buildRows(cache, TESTS, engineLookup(cache, runnable, waiting));
  const kernels = Object.keys(cache.kernels).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const sum = summarize(rows);
  if (argv.includes('--json')) {
    process.stdout.write(JSON.stringify({ summary: sum, rows, notInRelease: cache.notInRelease }, null, 1) + '\n');
  } else {
    process.stdout.write(formatTable(rows, kernels, argv.includes('--markdown')));
    const probeRows = buildRows(cache, PROBES, engineLookup(cache, runnable, waiting));
    if (probeRows.length) {
      process.stdout.write(`\nmmscope's own probes (scripts/selftests/probes/; not kernel selftests, not counted above):\n`);
      process.stdout.write(formatTable(probeRows, kernels, argv.includes('--markdown')));
    }
    process.stdout.write(`\n* the test file is not in this release's tree: the other release's file was run\n`);
    for (const [r, m] of Object.entries(cache.notInRelease)) process.stdout.write(`not in ${r}'s tree: ${m.join(', ')}\n`);
    for (const k of kernels) {
      const p = sum.perKernel[k];
      process.stdout.write(`kernel ${k} (${cache.kernels[k].debianVersion}): ${p.cases} cases: ${p.pass} pass, ${p.xfail} xfail, ${p.fail} fail, ${p.skip} skip\n`);
    }
    process.stdout.write(`${sum.cases} cases; expressed as scenarios ${sum.expressed} (${sum.awaitsV2} await v2); agree ${sum.agree}, disagree ${sum.disagree}\n`);
  }
  return sum.disagree ? 1 : 0;
}

main(process.argv.slice(2)).then((c) => { process.exitCode = c; }, (e: unknown) => { process.stderr.write(`selftests: ${(e as Error).message}\n`); process.exitCode = 2; });
