// `npm test`: every test suite, in order, output streamed; fails if any step fails.
//   typecheck -> lint (no unsanitized HTML sinks, no eval) -> build -> unit + scenario mocha -> webview (if test/webview/run.js) -> e2e (test/e2e/run.js)
// All steps run even after a failure, so one run shows everything that is broken.
// Counting: a step that prints `##mmscope-results {"passes":N,"failures":M}` (test/e2e/run.js) is
// counted from that line; otherwise from mocha-style summary lines (`N passing`, `M failing`,
// also `N passing, M failing` on one line as test/webview/run.js prints). A step that exits non-zero
// without any counted failure (tsc, esbuild, a crash) counts as one failure.
// The last line is exactly `N passed, M failed`.
//   node scripts/test-all.mjs [--skip <step>[,<step>...]]      steps: typecheck,lint,build,unit,webview,e2e
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const skipIdx = process.argv.indexOf('--skip');
const skip = new Set(skipIdx >= 0 ? process.argv[skipIdx + 1].split(',') : (process.env.TEST_SKIP || '').split(',').filter(Boolean));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const steps = [
  { name: 'typecheck', cmd: npm, args: ['run', '--silent', 'typecheck'] },
  { name: 'lint', cmd: npm, args: ['run', '--silent', 'lint'] },
  { name: 'build', cmd: process.execPath, args: ['scripts/build.mjs'] },
  { name: 'unit', cmd: npm, args: ['run', '--silent', 'test:unit'] },
  { name: 'webview', cmd: process.execPath, args: ['test/webview/run.js'], when: () => existsSync(join(root, 'test/webview/run.js')) },
  { name: 'e2e', cmd: process.execPath, args: ['test/e2e/run.js'] },
];

// eslint-disable-next-line no-control-regex
const stripAnsi = (s) => s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');

function count(text) {
  const clean = stripAnsi(text);
  const marker = [...clean.matchAll(/^##mmscope-results (\{.*\})\s*$/gm)].pop();
  if (marker) {
    const r = JSON.parse(marker[1]);
    return { passes: r.passes || 0, failures: r.failures || 0, pending: r.pending || 0 };
  }
  const sum = (re) => [...clean.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
  return {
    passes: sum(/^\s*(\d+) passing\b/gm),
    failures: sum(/^\s*(\d+) failing\b/gm) + sum(/^\s*\d+ passing[^\n]*?,\s*(\d+) failing\b/gm),
    pending: sum(/^\s*(\d+) pending\b/gm),
  };
}

function runStep(step) {
  return new Promise((res) => {
    const t0 = Date.now();
    console.log(`\n━━━ ${step.name}: ${[step.cmd === process.execPath ? 'node' : step.cmd, ...step.args].join(' ')}`);
    const env = { ...process.env, ...(process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}) };
    const child = spawn(step.cmd, step.args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; process.stdout.write(d); });
    child.stderr.on('data', (d) => process.stderr.write(d));
    child.on('error', (e) => { console.error(`${step.name}: ${e.message}`); });
    child.on('close', (code, signal) => {
      const c = count(out);
      const ok = code === 0;
      if (!ok && c.failures === 0) c.failures = 1; // failed without a counted test failure
      res({ ...step, ok, code: code ?? signal, ...c, seconds: (Date.now() - t0) / 1000 });
    });
  });
}

const results = [];
for (const step of steps) {
  if (skip.has(step.name)) { results.push({ name: step.name, skipped: 'skipped (--skip)' }); continue; }
  if (step.when && !step.when()) { results.push({ name: step.name, skipped: 'not present' }); continue; }
  results.push(await runStep(step));
}

console.log('\n━━━ summary');
let passed = 0;
let failed = 0;
for (const r of results) {
  if (r.skipped) { console.log(`  ${r.name.padEnd(10)} ${r.skipped}`); continue; }
  passed += r.passes;
  failed += r.failures;
  const tests = r.passes || r.failures || r.pending ? `${r.passes} passed, ${r.failures} failed${r.pending ? `, ${r.pending} pending` : ''}` : '';
  console.log(`  ${r.name.padEnd(10)} ${r.ok ? 'ok  ' : 'FAIL'} ${r.seconds.toFixed(1).padStart(6)} s  ${tests}${r.ok ? '' : ` (exit ${r.code})`}`);
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = results.some((r) => !r.skipped && !r.ok) ? 1 : 0;
