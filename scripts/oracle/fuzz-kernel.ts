// Differential fuzzing against real kernels (docs/real-kernel.md, "Differential fuzzing").
//   npm run fuzz:kernel -- --count N --seed S [--real 6.1,6.12] [--batch B] [--shrink K] [--out DIR] [--from I] [--lang v1|v2] [--dry]
// Generates N realisable scenarios (fast-check, seeded: test/unit/fuzz/realisable.ts for
// --lang v1, the default; test/unit/fuzz/realisableV2.ts for v2: THP, swap, madvise, mremap,
// split, migrate),
// keeps the lines the checker accepts, runs them in batches of B per guest boot on each
// kernel and compares every statement with the engine run at the booted release
// (compareOracleRun, the same comparison as `mmscope kernel`). A scenario with a row that
// differs is shrunk (line deletion, one boot per round for all candidates) to a minimal
// one that still differs, which is written to DIR (default test/regressions/) with the
// kernel's answer; at most K shrinks per run (default 3), the rest are listed.
// --dry: generate and check only (no boot). Exit 1 when any scenario differs, 2 on errors.
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { parse } from '../../src/language/parser';
import { check } from '../../src/language/checker';
import { runOracle } from '../../src/oracle';
import { compareOracleRun } from '../../src/oracle/kernelCommand';
import type { ScenarioComparison } from '../../src/oracle/compare';
import { keepValid, realisableScenario } from '../../test/unit/fuzz/realisable';
import { realisableV2Scenario } from '../../test/unit/fuzz/realisableV2';

const argv = process.argv.slice(2);
const arg = (name: string, def: string): string => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] ?? def : def; };
const count = Number(arg('--count', '20'));
const seed = Number(arg('--seed', String(Date.now() % 2 ** 31)));
const kernels = arg('--real', '6.1,6.12').split(',').filter(Boolean);
const batch = Number(arg('--batch', '50'));
const maxShrinks = Number(arg('--shrink', '3'));
const outDir = arg('--out', path.join(process.cwd(), 'test', 'regressions'));
const dry = argv.includes('--dry');
const lang = arg('--lang', 'v1');
if (lang !== 'v1' && lang !== 'v2') throw new Error(`--lang wants v1 or v2, not ${lang}`);
/** skip the first N scenarios of the seed (resume an interrupted run: the same seed gives the same scenarios) */
const from = Number(arg('--from', '0'));

interface Case { name: string; text: string }
const retries: string[] = [];
const asInput = (c: Case) => {
  const { scenario } = parse(c.text);
  return { name: c.name, file: c.name, text: c.text, scenario, invalid: check(scenario).invalid };
};

const differRows = (c: ScenarioComparison) => c.steps.filter((s) => s.verdict === 'differ');

/** One boot of `kernel` for `cases`; the comparison per case (null: the case did not run). */
async function boot(kernel: string, cases: Case[]): Promise<{ cmp: (ScenarioComparison | null)[]; secs: number; release: string; engine: string }> {
  const t0 = Date.now();
  const inputs = cases.map(asInput);
  let res = await runOracle(inputs, { kernel, keep: !!process.env.MMSCOPE_FUZZ_KEEP });
  if (res.scenarios.length && res.scenarios.every((s) => s.status === 'not-run')) {
    // counted in the report (retries), never hidden: the boot printed no results at all
    retries.push(`${kernel}: a boot of ${inputs.length} scenarios returned every one not-run (${res.exit}${res.error ? `: ${res.error.slice(0, 200)}` : ''}); booted again`);
    console.log(`  ${retries[retries.length - 1]}`);
    res = await runOracle(inputs, { kernel, keep: !!process.env.MMSCOPE_FUZZ_KEEP });
  }
  if (!res.ok) console.log(`  ${kernel}: boot ${res.exit}${res.error ? `: ${res.error.slice(0, 400)}` : ''}${res.workDir ? ` (kept ${res.workDir})` : ''}`);
  const { report } = compareOracleRun(inputs, res);
  const cmp = report.files.map((f, i) => (res.scenarios[i]?.status === 'ok' ? f : null));
  return { cmp, secs: (Date.now() - t0) / 1000, release: res.kernel.release, engine: report.engineKernel };
}

/** Smallest variant of `c` (by deleting lines) that still has a differing row on `kernel`. */
async function shrink(kernel: string, c: Case, log: (s: string) => void): Promise<{ text: string; cmp: ScenarioComparison } | null> {
  let cur = c.text.trimEnd().split('\n');
  let best: ScenarioComparison | null = null;
  for (let round = 0; round < 25; round++) {
    const cands: string[] = [];
    const seen = new Set<string>();
    const add = (lines: string[]) => {
      const v = keepValid(lines.join('\n') + '\n');
      if (v && !seen.has(v) && v.trimEnd().split('\n').length < cur.length) { seen.add(v); cands.push(v); }
    };
    // chunks first (halves, quarters, eighths), then single lines
    for (const parts of [2, 4, 8]) {
      const sz = Math.ceil(cur.length / parts);
      for (let i = 0; i < cur.length; i += sz) add([...cur.slice(0, i), ...cur.slice(i + sz)]);
    }
    for (let i = 0; i < cur.length; i++) add([...cur.slice(0, i), ...cur.slice(i + 1)]);
    if (!cands.length) break;
    const r = await boot(kernel, cands.map((t, i) => ({ name: `${c.name}-s${round}-${i}.mms`, text: t })));
    let pick = -1;
    r.cmp.forEach((cmp, i) => {
      if (cmp && differRows(cmp).length && (pick < 0 || cands[i].length < cands[pick].length)) pick = i;
    });
    log(`  shrink round ${round}: ${cands.length} candidates, ${pick < 0 ? 'none differs: minimal' : `kept ${cands[pick].trimEnd().split('\n').length} lines`} (${r.secs.toFixed(0)} s)`);
    if (pick < 0) break;
    cur = cands[pick].trimEnd().split('\n');
    best = r.cmp[pick];
  }
  return best ? { text: cur.join('\n') + '\n', cmp: best } : null;
}

async function main(): Promise<number> {
  const raw = fc.sample(lang === 'v2' ? realisableV2Scenario() : realisableScenario(), { seed, numRuns: count });
  const cases: Case[] = [];
  let dropped = 0, linesIn = 0;
  const refused = new Map<string, number>();
  raw.forEach((t, i) => {
    const v = keepValid(t);
    linesIn += t.trimEnd().split('\n').length;
    if (dry && v) {
      const kept = new Set(v.trimEnd().split('\n'));
      for (const l of t.trimEnd().split('\n')) if (!kept.has(l)) { const k = l.split(' ')[0]; refused.set(k, (refused.get(k) ?? 0) + 1); }
    }
    if (v) cases.push({ name: `fuzz-${lang === 'v2' ? 'v2-' : ''}${seed}-${i}.mms`, text: v }); else dropped++;
  });
  const lines = cases.reduce((n, c) => n + c.text.trimEnd().split('\n').length, 0);
  console.log(`fuzz:kernel ${lang} seed ${seed}: ${cases.length} scenarios (${dropped} unusable), ${(lines / Math.max(1, cases.length)).toFixed(1)} lines on average; kernels ${kernels.join(', ')}; ${batch} per boot`);
  if (dry) console.log(`generated ${linesIn} lines; the checker refused: ${[...refused].map(([k, n]) => `${k} ${n}`).join(', ')}`);
  if (dry) { for (const c of cases.slice(0, 3)) console.log(`--- ${c.name}\n${c.text}`); return 0; }
  let status = 0;
  let shrinks = 0;
  for (const k of kernels) {
    const tot = { ran: 0, notRun: 0, agree: 0, differ: 0, notObservable: 0, directives: 0, differing: [] as { c: Case; cmp: ScenarioComparison }[] };
    let release = '', engine = '';
    const t0 = Date.now();
    for (let b = from; b < cases.length; b += batch) {
      const part = cases.slice(b, b + batch);
      const r = await boot(k, part);
      release = r.release; engine = r.engine;
      r.cmp.forEach((cmp, i) => {
        if (!cmp) { tot.notRun++; return; }
        tot.ran++;
        tot.agree += cmp.summary.agree; tot.differ += cmp.summary.differ; tot.notObservable += cmp.summary.notObservable; tot.directives += cmp.summary.directives;
        if (differRows(cmp).length) tot.differing.push({ c: part[i], cmp });
      });
      console.log(`${k}: boot ${Math.floor(b / batch) + 1} (scenarios ${b}..${b + part.length - 1}): ${part.length} in ${r.secs.toFixed(0)} s; so far ${tot.ran} ran, ${tot.notRun} not run, ${tot.differing.length} differ; rows ${tot.agree}/${tot.differ}/${tot.notObservable} agree/differ/not observable, ${tot.directives} directives`);
    }
    const rows = tot.agree + tot.differ + tot.notObservable;
    console.log(`${k} (${release}, engine ${engine}): ${tot.ran} of ${cases.length} scenarios ran (${tot.notRun} not run); rows ${rows}: ${tot.agree} agree, ${tot.differ} differ, ${tot.notObservable} not observable (${(100 * tot.notObservable / Math.max(1, rows)).toFixed(1)}%), ${tot.directives} directives (not outcomes, not counted); ${tot.differing.length} scenarios differ; ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    for (const d of tot.differing) {
      status = 1;
      const rowsTxt = differRows(d.cmp).map((s) => `L${s.line} ${s.text}: ${s.values.filter((v) => v.verdict === 'differ').map((v) => `${v.subject} ${v.field} engine ${v.engine} kernel ${v.kernel}${v.reason ? ` (${v.reason})` : ''}`).join('; ')}`);
      console.log(`  differs: ${d.c.name}\n    ${rowsTxt.join('\n    ')}`);
      if (shrinks >= maxShrinks) continue;
      shrinks++;
      const s = await shrink(k, d.c, console.log);
      const text = s?.text ?? d.c.text;
      const cmp = s?.cmp ?? d.cmp;
      const answer = differRows(cmp).flatMap((st) => st.values.filter((v) => v.verdict === 'differ')
        .map((v) => `#   L${st.line} ${st.text}: ${v.subject} ${v.field}: kernel ${v.kernel} (engine ${v.engine})${v.reason ? `: ${v.reason}` : ''}`));
      fs.mkdirSync(outDir, { recursive: true });
      const file = path.join(outDir, `fuzz-${lang === 'v2' ? 'v2-' : ''}${k.replace(/\./g, '_')}-${seed}-${d.c.name.replace(/^fuzz-(v2-)?\d+-|\.mms$/g, '')}.mms`);
      fs.writeFileSync(file, `# Differential fuzz (npm run fuzz:kernel -- --seed ${seed} --real ${k}), shrunk${lang === 'v2' ? ' (--lang v2)' : ''}.\n` +
        `# The kernel's answer on ${release} (the engine ran as ${engine}) (Ln: line n of the scenario below these comments):\n${answer.join('\n')}\n${text}`);
      console.log(`  wrote ${path.relative(process.cwd(), file)}`);
    }
  }
  console.log(`boots that returned nothing and were repeated: ${retries.length}`);
  return status;
}

main().then((c) => process.exit(c), (e) => { console.error(e); process.exit(2); });
