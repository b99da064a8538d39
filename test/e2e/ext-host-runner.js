'use strict';
// Loaded INSIDE the code-server extension host as `extensionTestsPath` (see run.js / lib.js):
// the workbench calls run() after the extension under development is loaded and reports the
// outcome to the driver through window.codeAutomationExit(0|1). Same contract as
// @vscode/test-electron's runner, so this file also works there.
// Runs test/exthost/*.test.js (plain JS, `require('vscode')`), filtered by MMSCOPE_EXTHOST_GREP.
// Mocha's spec output is appended to MMSCOPE_EXTHOST_LOG.
// Writes {passes, failures, pending, tests:[{fullTitle, state, error}]} to MMSCOPE_EXTHOST_RESULTS.

const fs = require('node:fs');
const path = require('node:path');

exports.run = async function run() {
  const m = require('mocha');
  const Mocha = m.default || m; // mocha >= 12 is ESM-only; require(esm) works on the ext host's node 24
  // The reporter's output also goes to MMSCOPE_EXTHOST_LOG, which run.js tails: the ext host's own
  // console only reaches the driver as pre-formatted log-service lines in the page console.
  if (process.env.MMSCOPE_EXTHOST_LOG) {
    const util = require('node:util');
    const base = Mocha.reporters.Base;
    const orig = base.consoleLog;
    base.consoleLog = (...a) => {
      fs.appendFileSync(process.env.MMSCOPE_EXTHOST_LOG, `${util.format(...a)}\n`);
      orig(...a);
    };
  }
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000, slow: 5_000 });
  if (process.env.MMSCOPE_EXTHOST_GREP) mocha.grep(process.env.MMSCOPE_EXTHOST_GREP);
  const dir = path.resolve(__dirname, '../exthost');
  for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.test.js')).sort()) mocha.addFile(path.join(dir, f));
  await mocha.loadFilesAsync();

  const tests = [];
  const failures = await new Promise((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => tests.push({ fullTitle: t.fullTitle(), state: 'passed', duration: t.duration }));
    runner.on('fail', (t, err) => tests.push({ fullTitle: t.fullTitle(), state: 'failed', error: String(err && (err.stack || err.message) || err).split('\n').slice(0, 6).join('\n') }));
    runner.on('pending', (t) => tests.push({ fullTitle: t.fullTitle(), state: 'pending' }));
  });
  const res = {
    passes: tests.filter((t) => t.state === 'passed').length,
    failures: tests.filter((t) => t.state === 'failed').length || failures,
    pending: tests.filter((t) => t.state === 'pending').length,
    tests,
  };
  if (process.env.MMSCOPE_EXTHOST_RESULTS) fs.writeFileSync(process.env.MMSCOPE_EXTHOST_RESULTS, JSON.stringify(res, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
};
