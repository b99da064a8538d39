#!/usr/bin/env node
'use strict';
// Entry point of the real-VS-Code tests (`node test/e2e/run.js`):
//   1. setup (test/e2e/setup.sh) if .cache/ lacks node 24 / code-server or chromium is missing;
//   2. `npm run package` if mmscope.vsix is missing or older than its sources (skip: E2E_VSIX=<file>);
//   3. mocha INSIDE the extension host: test/exthost/*.test.js via ?payload= (ext-host-runner.js);
//   4. mocha over test/e2e/suites/*.e2e.js (one code-server + chromium per suite file).
// Usage: node test/e2e/run.js [suite files...] [--grep <regexp>] [--no-exthost | --only-exthost]
// Env: E2E_VSIX, E2E_EXT_DEV_PATH (extension folder for the ext-host run; default: the repo),
//      E2E_KEEP=1, E2E_TRACE=1, E2E_HEADLESS=0, E2E_SLOWMO=ms, E2E_TEST_TIMEOUT=ms — see docs/e2e.md.
// Exit code: 1 if any test failed, else 0. Prints `##mmscope-results {"passes":..,"failures":..}`
// as its last line so scripts/test-all.mjs can count.

const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const e2e = require('./lib');

const ROOT = e2e.ROOT;
const argv = process.argv.slice(2);
const flag = (f) => { const i = argv.indexOf(f); if (i >= 0) { argv.splice(i, 1); return true; } return false; };
const opt = (f) => { const i = argv.indexOf(f); if (i >= 0) { const v = argv[i + 1]; argv.splice(i, 2); return v; } return undefined; };
const noExthost = flag('--no-exthost');
const onlyExthost = flag('--only-exthost');
const grep = opt('--grep');
const suiteArgs = argv.map((f) => path.resolve(f));

const t0 = Date.now();
const phases = [];
function phase(name, fn) {
  const t = Date.now();
  return Promise.resolve(fn()).finally(() => {
    phases.push(`${name} ${((Date.now() - t) / 1000).toFixed(1)} s`);
  });
}

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`\`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
}

/** Newest mtime under the given repo paths (files or dirs, recursively). */
function newestMtime(rel) {
  let newest = 0;
  const walk = (p) => {
    let st;
    try { st = fs.statSync(p); } catch { return; }
    if (st.isDirectory()) { for (const c of fs.readdirSync(p)) walk(path.join(p, c)); } else newest = Math.max(newest, st.mtimeMs);
  };
  rel.forEach((r) => walk(path.join(ROOT, r)));
  return newest;
}
const VSIX_SOURCES = ['src', 'webview', 'media', 'syntaxes', 'snippets', 'examples', 'package.json', 'README.md',
  'LICENSE', 'language-configuration.json', '.vscodeignore', 'scripts/build.mjs', 'scripts/package.mjs'];

function ensureSetup() {
  const missing = e2e.checkInstalled();
  if (missing.length) {
    console.log(`e2e: missing ${missing.join(', ')} -> bash test/e2e/setup.sh`);
    sh('bash', [path.join(__dirname, 'setup.sh')]);
  }
}

function ensureVsix() {
  if (process.env.E2E_VSIX) {
    if (!fs.existsSync(e2e.paths.vsix)) throw new Error(`E2E_VSIX=${process.env.E2E_VSIX} does not exist`);
    console.log(`e2e: using E2E_VSIX=${e2e.paths.vsix}`);
    return;
  }
  const vsix = e2e.paths.vsix;
  const have = fs.existsSync(vsix) ? fs.statSync(vsix).mtimeMs : 0;
  const need = newestMtime(VSIX_SOURCES);
  if (have && have >= need) { console.log(`e2e: ${path.relative(ROOT, vsix)} is up to date`); return; }
  console.log(`e2e: ${have ? 'sources changed' : 'no vsix yet'} -> npm run package`);
  sh(process.execPath, [path.join(ROOT, 'scripts/package.mjs')]);
}

/** Mocha inside the extension host (payload pattern). Returns {passes, failures, pending}. */
async function runExtHost() {
  const dir = path.join(ROOT, 'test/exthost');
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')) : [];
  if (!files.length) { console.log('e2e: no test/exthost/*.test.js'); return { passes: 0, failures: 0, pending: 0 }; }
  const devPath = path.resolve(process.env.E2E_EXT_DEV_PATH || ROOT);
  const main = require(path.join(devPath, 'package.json')).main;
  if (!fs.existsSync(path.join(devPath, main))) {
    if (devPath !== ROOT) throw new Error(`${path.join(devPath, main)} missing`);
    console.log(`e2e: ${main} missing -> node scripts/build.mjs`);
    sh(process.execPath, [path.join(ROOT, 'scripts/build.mjs')]);
  }
  fs.mkdirSync(e2e.paths.output, { recursive: true });
  const resultsFile = path.join(e2e.paths.output, 'exthost-results.json');
  const logFile = path.join(e2e.paths.output, 'exthost-mocha.log');
  fs.rmSync(resultsFile, { force: true });
  fs.writeFileSync(logFile, '');
  let printed = 0;
  const tail = () => { // stream the in-host spec reporter's output as it grows
    const buf = fs.readFileSync(logFile);
    if (buf.length > printed) { process.stdout.write(buf.subarray(printed).toString().replace(/^(?=.)/gm, '  ')); printed = buf.length; }
  };
  const tailTimer = setInterval(tail, 250);
  tailTimer.unref();
  console.log(`\ne2e: ext-host mocha (${files.length} file(s), extension from ${devPath})`);
  let exitCode;
  let onExit;
  const exited = new Promise((res) => { onExit = res; });
  const t = Date.now();
  let session;
  try {
    session = await e2e.startSession({
      name: 'exthost', workspace: 'examples', vsix: false,
      extensionDevelopmentPath: devPath,
      extensionTestsPath: path.join(__dirname, 'ext-host-runner'),
      env: { MMSCOPE_EXTHOST_RESULTS: resultsFile, MMSCOPE_EXTHOST_LOG: logFile, ...(grep ? { MMSCOPE_EXTHOST_GREP: grep } : {}) },
      onExit: (code) => { exitCode = code; onExit(code); },
      waitExplorer: false,
    });
    await e2e.withTimeout(exited, Number(process.env.E2E_EXTHOST_TIMEOUT || 300_000), 'ext-host tests (codeAutomationExit)');
  } catch (err) {
    console.error(`e2e: ext-host run failed: ${err.stack || err}`);
    exitCode = exitCode ?? 1;
  } finally {
    clearInterval(tailTimer);
    tail();
    if (session) await e2e.closeSession(session, { failed: exitCode !== 0 });
  }
  let res = { passes: 0, failures: 0, pending: 0, tests: [] };
  try { res = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { /* no results: crashed before run() */ }
  if (exitCode !== 0 && !res.failures) res.failures = 1; // a crash counts as one failure
  console.log(`e2e: ext-host mocha: ${res.passes} passed, ${res.failures} failed, ${res.pending} pending (exit ${exitCode}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return res;
}

/** Mocha (programmatic) over the UI suites. Returns {passes, failures, pending}. */
async function runSuites() {
  const Mocha = require('mocha');
  const dir = path.join(__dirname, 'suites');
  const files = suiteArgs.length ? suiteArgs
    : fs.readdirSync(dir).filter((f) => f.endsWith('.e2e.js')).sort().map((f) => path.join(dir, f));
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: Number(process.env.E2E_TEST_TIMEOUT || 120_000), bail: false, slow: 10_000 });
  if (grep) mocha.grep(grep);
  files.forEach((f) => mocha.addFile(f));
  await mocha.loadFilesAsync();
  return new Promise((resolve) => {
    const runner = mocha.run(() => resolve({ passes: runner.stats.passes, failures: runner.stats.failures, pending: runner.stats.pending }));
  });
}

async function main() {
  let total = { passes: 0, failures: 0, pending: 0 };
  const add = (r) => { total = { passes: total.passes + r.passes, failures: total.failures + r.failures, pending: total.pending + (r.pending || 0) }; };
  try {
    await phase('setup', ensureSetup);
    if (!onlyExthost) await phase('package', ensureVsix); // the ext-host run loads the repo folder itself
    if (!noExthost && !suiteArgs.length) add(await phase('exthost', runExtHost));
    if (!onlyExthost) add(await phase('suites', runSuites));
  } catch (err) {
    console.error(`e2e: ${err.stack || err}`);
    total.failures += 1;
  }
  console.log(`\ne2e: ${phases.join(', ')}; total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${total.passes} passed, ${total.failures} failed, ${total.pending} pending`);
  console.log(`##mmscope-results ${JSON.stringify(total)}`);
  process.exitCode = total.failures > 0 ? 1 : 0;
}

// lib.js kills every code-server process group on 'exit'; make signals go through it
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.on(sig, () => { console.error(`e2e: ${sig}`); process.exit(code); });
main();
