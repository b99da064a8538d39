#!/usr/bin/env node
// The long fuzz run. Compile first: `npx tsc -p tsconfig.test.json`, then
//   node scripts/fuzz.mjs --runs 20000 [--seed N] [--cli]
// Runs the same properties as test/unit/fuzz (front end + engine never throw and give
// valid diagnostic ranges; engine invariants after every step; fb_defio 6.14 ≡ 6.15),
// over --runs cases each; --cli adds the CLI (slower: it writes a file per case).
// Prints the seed; a failure prints the shrunk input. Exit 1 on any failure.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';

const require = createRequire(import.meta.url);
const arg = (name, def) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : def; };
const runs = Number(arg('--runs', 20000));
const seed = Number(arg('--seed', Date.now() % 2 ** 31));
const withCli = process.argv.includes('--cli');
const out = new URL('../out/test/unit/fuzz/', import.meta.url).pathname;
if (!existsSync(out + 'gen.js')) { console.error('fuzz: compile first: npx tsc -p tsconfig.test.json'); process.exit(2); }

const fc = require('fast-check');
const gen = require(out + 'gen.js');
const props = require(out + 'props.js');
const { invariantViolations } = require(out + 'harness.js');
const { defioObservables } = require(out + 'harness.js');

const must = (problems, text) => { if (problems.length) throw new Error(`${problems.slice(0, 5).join('\n')}\n--- input ---\n${text}`); };
const properties = [
  ['front end + engine, any scenario', fc.property(gen.anyScenario(40), (t) => must(props.frontEndAndEngineProblems(t), t))],
  ['engine invariants after every step', fc.property(gen.scenarioText(60), (t) => must(invariantViolations(t), t))],
  ['fb_defio 6.14 = 6.15 (T30)', fc.property(gen.defioScenario(40), (t) => {
    const a = defioObservables(t, '6.14'), b = defioObservables(t, '6.15');
    must(a.flatMap((x, i) => (x === b[i] ? [] : [`step ${i}\n6.14: ${x}\n6.15: ${b[i]}`])), t);
  })],
];
if (withCli) properties.push(['CLI check + run --json', fc.property(gen.anyScenario(20), (t) => must(props.cliTextProblems(t), t))]);

console.log(`fuzz: seed ${seed}, ${runs} runs per property`);
let failed = 0;
for (const [i, [name, prop]] of properties.entries()) {
  const t0 = Date.now();
  const r = fc.check(prop, { numRuns: runs, seed: seed + i });
  const s = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.failed) { failed++; console.log(`FAIL ${name} (${s} s)\n${fc.defaultReportMessage(r)}`); }
  else console.log(`ok   ${name}: ${r.numRuns} cases in ${s} s`);
}
process.exit(failed ? 1 : 0);
