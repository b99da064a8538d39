// npm run mutate [-- key|path ...]: mutation testing (StrykerJS) of the modules every other
// check trusts, one Stryker run per module (stryker.config.mjs lists them), then a table of
// the scores. Exit status 1 when a module scores under 90% (the config's break threshold).
//   npm run mutate                      every module
//   npm run mutate -- expect rmap       some of them (a key of the list, or a path)
//   npm run mutate:expect               the expectation evaluator only (what CI runs)
// Reports: reports/mutation/<key>.html and .json. See docs/testing.md.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { modules } from '../stryker.config.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const wanted = process.argv.slice(2);
const keys = wanted.length ? wanted : Object.keys(modules);
const stryker = path.join(root, 'node_modules', '@stryker-mutator', 'core', 'bin', 'stryker.js');

/** Score of a Stryker JSON report (mutation-testing-report-schema): detected / valid mutants. */
function score(report) {
  const c = { Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0, CompileError: 0, RuntimeError: 0, Ignored: 0 };
  for (const f of Object.values(report.files)) for (const m of f.mutants) c[m.status] = (c[m.status] ?? 0) + 1;
  const detected = c.Killed + c.Timeout, valid = detected + c.Survived + c.NoCoverage;
  return { ...c, detected, valid, score: valid ? (100 * detected) / valid : 100 };
}

const rows = [];
let failed = false;
for (const key of keys) {
  const file = modules[key] ?? key;
  const name = modules[key] ? key : Object.keys(modules).find((k) => modules[k] === file) ?? file.replace(/[^A-Za-z0-9]+/g, '-');
  console.log(`\n━━━ mutate ${name}: ${file}`);
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [stryker, 'run', 'stryker.config.mjs'], { cwd: root, stdio: 'inherit', env: { ...process.env, MMSCOPE_MUTATE: file } });
  const seconds = (Date.now() - t0) / 1000;
  const json = path.join(root, 'reports', 'mutation', `${name}.json`);
  if (!fs.existsSync(json)) { rows.push({ name, file, seconds, error: `no report (exit ${r.status})` }); failed = true; continue; }
  const s = score(JSON.parse(fs.readFileSync(json, 'utf8')));
  rows.push({ name, file, seconds, ...s });
  if (r.status !== 0 || s.score < 90) failed = true;
}

console.log('\n| module | score | killed | timeout | survived | no coverage | minutes |');
console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const r of rows) {
  if (r.error) { console.log(`| ${r.file} | ${r.error} | | | | | ${(r.seconds / 60).toFixed(1)} |`); continue; }
  console.log(`| ${r.file} | ${r.score.toFixed(2)}% | ${r.Killed} | ${r.Timeout} | ${r.Survived} | ${r.NoCoverage} | ${(r.seconds / 60).toFixed(1)} |`);
}
process.exitCode = failed ? 1 : 0;
