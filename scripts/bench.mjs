// npm run bench — mmscope's performance figures (docs/performance.md), each printed as a
// ratio or a count measured in this one run, with the machine described. No figure is
// asserted anywhere; this script only measures and prints.
//
//   BENCH_QUICK=1  smaller N for a smoke run (figures then are not the documented ones)
//   BENCH_RUNS=3   repetitions (best of) for the timed figures

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'test-output', 'bench');
fs.mkdirSync(out, { recursive: true });
const QUICK = !!process.env.BENCH_QUICK;
const RUNS = +(process.env.BENCH_RUNS ?? 3);
const cli = path.join(root, 'dist', 'cli.js');
if (!fs.existsSync(cli)) { console.error('build first: node scripts/build.mjs'); process.exit(2); }

// the library (runner + time travel) for the in-process figures
const libFile = path.join(out, 'lib.cjs');
await esbuild.build({
  stdin: { contents: "export * from './src/scenario/run'; export * from './src/scenario/timeTravel'; export * from './src/language/parser'; export * from './src/language/checker';", resolveDir: root, loader: 'ts' },
  bundle: true, platform: 'node', format: 'cjs', outfile: libFile, logLevel: 'error',
});
const lib = createRequire(import.meta.url)(libFile);

const write = (name, text) => { const f = path.join(out, name); fs.writeFileSync(f, text); return f; };
const fmt = (x, d = 2) => Number(x).toFixed(d);
const best = (xs) => Math.min(...xs);

/** `mmscope check FILE` in a child: wall ms, cpu ms, peak RSS (bytes). */
function cliRun(file) {
  const wrapper = `const t0=process.hrtime.bigint();process.argv=[process.argv[0],${JSON.stringify(cli)},'check',${JSON.stringify(file)}];` +
    `process.on('exit',()=>{const r=process.resourceUsage();require('fs').writeSync(2,'\\nBENCH '+JSON.stringify({wall:Number(process.hrtime.bigint()-t0)/1e6,cpu:(r.userCPUTime+r.systemCPUTime)/1e3,maxRSS:r.maxRSS*1024})+'\\n')});` +
    `const m=require(${JSON.stringify(cli)});process.exitCode=m.main(['check',${JSON.stringify(file)}]);`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['-e', wrapper], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const total = Number(process.hrtime.bigint() - t0) / 1e6;
  const m = /BENCH (.*)/.exec(r.stderr);
  if (!m) throw new Error(`check ${file} failed: ${r.stderr.slice(0, 500)}`);
  const j = JSON.parse(m[1]);
  return { total, cpu: j.cpu, maxRSS: j.maxRSS, status: r.status, stdout: r.stdout };
}

const shmemScenario = (n) => `shmem m pages ${n}\nprocess p\nmmap p m at 0x10000000 pages ${n} shared rw as b\nwrite p b[0..${n - 1}]\nexpect pte p b[${n - 1}] present write dirty\n`;

// ---- machine ----------------------------------------------------------------------
const cpus = os.cpus();
const machine = {
  cpu: cpus[0]?.model ?? 'unknown', cores: cpus.length, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
  kernel: `${os.type()} ${os.release()}`, node: process.version, load: os.loadavg().map((x) => +x.toFixed(2)),
};
const virt = (() => { try { return fs.readFileSync('/proc/cmdline', 'utf8').includes('firecracker') ? 'Firecracker microVM' : ''; } catch { return ''; } })();
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, ${machine.kernel}${virt ? ` (${virt})` : ''}, node ${machine.node}, load ${machine.load.join(' ')}`);
const results = { machine, virt, figures: {} };

// ---- 1. engine vs kernel --------------------------------------------------------------
const Ns = QUICK ? [20_000, 100_000] : [200_000, 1_000_000];
{
  const src = path.join(root, 'bench', 'faults.c'), bin = path.join(out, 'faults');
  const gcc = spawnSync('gcc', ['-O2', '-o', bin, src], { encoding: 'utf8' });
  const one = write('shmem-1.mms', shmemScenario(1));
  const base = [];
  for (let i = 0; i < RUNS; i++) base.push(cliRun(one));
  const baseWall = best(base.map((r) => r.total)), baseCpu = best(base.map((r) => r.cpu));
  const fig = { startupMs: baseWall, rows: [] };
  for (const n of Ns) {
    const f = write(`shmem-${n}.mms`, shmemScenario(n));
    const eng = [];
    for (let i = 0; i < RUNS; i++) eng.push(cliRun(f));
    if (!eng[0].stdout.includes('1 passed')) throw new Error(`engine run of ${n} pages did not pass: ${eng[0].stdout}`);
    const engMs = best(eng.map((r) => r.total)) - baseWall, engCpu = best(eng.map((r) => r.cpu)) - baseCpu;
    let kMs;
    if (gcc.status === 0) {
      const ks = [];
      for (let i = 0; i < RUNS; i++) ks.push(Number(spawnSync(bin, [String(n)], { encoding: 'utf8' }).stdout.trim()) / 1e6);
      kMs = best(ks);
    }
    fig.rows.push({ n, engineMs: engMs, engineCpuMs: engCpu, kernelMs: kMs, ratio: kMs ? engMs / kMs : undefined });
    console.log(`1. engine vs kernel, N=${n}: engine CPU ${fmt(engCpu, 0)} ms (${fmt(engCpu * 1e6 / n, 0)} ns/fault; kernel/engine CPU ratio ${kMs ? fmt(engCpu / kMs, 3) : 'n/a'}); wall: engine ${fmt(engMs, 0)} ms (${fmt(engMs * 1e6 / n, 0)} ns/fault, start-up ${fmt(baseWall, 0)} ms subtracted)` +
      (kMs ? ` / kernel ${fmt(kMs, 0)} ms (${fmt(kMs * 1e6 / n, 0)} ns/fault) = ratio ${fmt(engMs / kMs, 3)}` : ' / kernel: gcc not found, not measured'));
  }
  results.figures.engineVsKernel = fig;
}

// ---- 2. memory per written page -------------------------------------------------------
{
  const n = QUICK ? 100_000 : 1_000_000;
  const one = cliRun(path.join(out, 'shmem-1.mms'));
  const big = cliRun(path.join(out, `shmem-${n}.mms`));
  const per = (big.maxRSS - one.maxRSS) / n;
  results.figures.memory = { n, bytesPerPage: per, peakRssOne: one.maxRSS, peakRssN: big.maxRSS };
  console.log(`2. memory, N=${n}: peak RSS growth ${fmt(per, 1)} bytes per mapped and written page (trace included; ${fmt(one.maxRSS / 2 ** 20, 0)} → ${fmt(big.maxRSS / 2 ** 20, 0)} MiB)`);
}

// ---- 3. rmap walk scaling ---------------------------------------------------------------
{
  const walkScenario = (n, k, walks) => {
    const l = ['kernel 6.15', 'file f pages 2', 'process p'];
    for (let i = 0; i < n; i++) l.push(`mmap p f at 0x${(0x10000000 + i * 0x2000).toString(16)} pages 1 offset ${i < k ? 0 : 1} shared rw as v${i}`);
    for (let i = 0; i < k; i++) l.push(`write p v${i}[0]`);
    for (let w = 0; w < walks; w++) l.push('wrprotect f[0..0]');
    return l.join('\n') + '\n';
  };
  const W = 2000, k = 4, rows = [];
  for (const n of [1_000, 100_000]) {
    const per = [];
    for (let r = 0; r < RUNS; r++) {
      const big = { limits: { maxRunMs: 600000 } };
      const a = lib.runText(walkScenario(n, k, 0), big);
      const t0 = process.hrtime.bigint();
      const b = lib.runText(walkScenario(n, k, W), big);
      const tb = Number(process.hrtime.bigint() - t0) / 1e6;
      const t1 = process.hrtime.bigint();
      lib.runText(walkScenario(n, k, 0), big);
      const ta = Number(process.hrtime.bigint() - t1) / 1e6;
      if (b.exitStatus !== 0 || a.exitStatus !== 0) throw new Error(`walk scenario n=${n} failed`);
      per.push(Math.max(0, (tb - ta) / W));
    }
    rows.push({ n, k, usPerWalk: best(per) * 1000 });
  }
  const ratio = rows[1].usPerWalk / rows[0].usPerWalk;
  results.figures.rmapWalk = { rows, ratio };
  console.log(`3. rmap walk (wrprotect of one page, k=${k} overlapping): ${fmt(rows[0].usPerWalk, 1)} µs/walk at n=1,000, ${fmt(rows[1].usPerWalk, 1)} µs/walk at n=100,000 → ratio ${fmt(ratio, 2)}`);
}

// ---- 4. parse and check -------------------------------------------------------------------
{
  const n = 100_000;
  const l = ['file f pages 64', 'shmem m pages 64', 'process p', 'mmap p f at 0x10000000 pages 64 shared rw as a', 'mmap p m at 0x20000000 pages 64 shared rw as b'];
  const kinds = (i) => [`write p a[${i % 64}]`, `read p b[${i % 64}]`, `expect pte p a[${i % 64}] present`, `wait 1ms`, `mkclean f[${i % 64}]`][i % 5];
  while (l.length < n) l.push(kinds(l.length));
  const text = l.join('\n') + '\n';
  write('statements-100k.mms', text);
  const ts = [];
  let diags = 0;
  for (let r = 0; r < RUNS; r++) {
    const t0 = process.hrtime.bigint();
    const p = lib.parse(text);
    const c = lib.check(p.scenario, {});
    ts.push(Number(process.hrtime.bigint() - t0) / 1e6);
    diags = p.diagnostics.length + c.diagnostics.length;
  }
  results.figures.parseCheck = { statements: n, ms: best(ts), diagnostics: diags };
  console.log(`4. parse + check of a generated ${n.toLocaleString('en')}-statement scenario: ${fmt(best(ts), 0)} ms (${fmt(best(ts) / 1000, 3)} of the 1 s budget; ${diags} diagnostics)`);
}

// ---- 5. time travel -----------------------------------------------------------------------
{
  // ~1,000,000 events over 2,000 steps: each step writes 100 pages (5 events each: fault,
  // page-cache insertion, PTE, dirty, access)
  const steps = 2000, per = 100, pages = steps * per;
  const l = [`shmem m pages ${pages}`, 'process p', `mmap p m at 0x10000000 pages ${pages} shared rw as b`];
  for (let s = 0; s < steps; s++) l.push(`write p b[${s * per}..${s * per + per - 1}]`);
  const run = lib.runText(l.join('\n') + '\n');
  const events = run.recorder.eventCount;
  const tb = process.hrtime.bigint();
  const ti = new lib.TraceIndex(run);
  const buildMs = Number(process.hrtime.bigint() - tb) / 1e6;
  let seed = 7, worst = 0, sum = 0;
  const seeks = 200;
  for (let i = 0; i < seeks; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const s = seed % run.steps.length;
    const t0 = process.hrtime.bigint();
    ti.ptesAt(s, { pid: 1 }, Math.floor(s * per / 2), 50);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    worst = Math.max(worst, ms); sum += ms;
  }
  results.figures.timeTravel = { events, steps: run.steps.length, worstMs: worst, meanMs: sum / seeks, indexBuildMs: buildMs };
  console.log(`5. time travel over a ${events.toLocaleString('en')}-event trace (${run.steps.length} steps): seek + 50-row PTE page, worst ${fmt(worst, 1)} ms, mean ${fmt(sum / seeks, 1)} ms of ${seeks} random seeks (index built once in ${fmt(buildMs, 0)} ms)`);
}

// ---- 6, 7. measured elsewhere ---------------------------------------------------------------
for (const [n, f, what] of [[6, 'test-output/e2e/latency.json', 'editor loop (end-to-end, real VS Code)'], [7, 'test-output/webview/perf.json', 'panel (1,000,000-PTE scenario)']]) {
  const p = path.join(root, f);
  if (fs.existsSync(p)) {
    const j = JSON.parse(fs.readFileSync(p, 'utf8'));
    results.figures[n === 6 ? 'editor' : 'panel'] = j;
    console.log(`${n}. ${what}: ${JSON.stringify(j)}`);
  } else console.log(`${n}. ${what}: run npm test first (${f} not found)`);
}

// ---- limits --------------------------------------------------------------------------
{
  const t0 = process.hrtime.bigint();
  const r = lib.runText('file f pages 100000000\nprocess p\n');
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const d = r.diagnostics.find((x) => x.severity === 'error');
  const t1 = process.hrtime.bigint();
  const r2 = lib.runText('shmem m pages 4000000\nprocess p\nmmap p m at 0x10000000 pages 4000000 shared rw as b\nwrite p b[0..3999999]\n', { limits: { maxRunMs: 1000 } });
  const ms2 = Number(process.hrtime.bigint() - t1) / 1e6;
  const d2 = r2.diagnostics.find((x) => x.severity === 'error');
  results.figures.limits = { oversizedObjectMs: ms, oversized: d && { line: d.range.start.line + 1, code: d.code }, hugeWriteMs: ms2, hugeWrite: d2 && { line: d2.range.start.line + 1, code: d2.code, message: d2.message } };
  console.log(`limits: 'file f pages 100000000' refused in ${fmt(ms, 1)} ms (${d ? `${d.code} at line ${d.range.start.line + 1}` : 'NOT refused'}); a 4,000,000-page write with maxRunMs 1000 stopped after ${fmt(ms2, 0)} ms (${d2 ? `${d2.code} at line ${d2.range.start.line + 1}: ${d2.message}` : 'no diagnostic'})`);
}

fs.writeFileSync(path.join(out, 'results.json'), JSON.stringify(results, null, 2));
console.log(`results: ${path.relative(root, path.join(out, 'results.json'))}`);
