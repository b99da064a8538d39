'use strict';
// The browser build, run: a web-only package (no "main", built by `node scripts/package.mjs
// --web`) installed in code-server, which then runs mmscope in the browser's web worker
// extension host (dist/web/extension.js, with its language server in a web worker of its own,
// dist/web/lsp.js: scenarios run inline there; no worker threads, no processes).
// Diagnostics, the Check lens and the inspector must work there as on the desktop.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const e2e = require('../lib');

const WEB_VSIX = path.join(e2e.paths.output, 'mmscope-web.vsix');

describe('web: the browser build in the web worker extension host', function () {
  before(function () {
    this.timeout(120_000);
    const r = spawnSync(process.execPath, [path.join(e2e.ROOT, 'scripts/package.mjs'), '--web', '--no-build', '--out', WEB_VSIX], { encoding: 'utf8' });
    assert.equal(r.status, 0, `package --web failed: ${r.stderr}`);
  });
  const s = e2e.useSession(this, { workspace: 'test/e2e/fixtures/editor', vsix: WEB_VSIX });

  it('runs in the web worker: "Run on a Real Kernel" says it needs the desktop extension host', async () => {
    await e2e.openFile(s.page, 'failing.mms');
    await e2e.runCommand(s.page, 'MM Scope: Run on a Real Kernel');
    const msgs = await e2e.notificationsUntil(s.page, /needs the desktop extension host/);
    assert.ok(msgs.some((m) => /needs the desktop extension host/.test(m)), `notifications: ${msgs.join(' | ')}`);
  });

  it('publishes the failing expectation as an error, from an inline run', async () => {
    await e2e.openFile(s.page, 'failing.mms');
    await e2e.waitForProblems(s.page, { errors: 1 });
    await e2e.runCommand(s.page, 'MM Scope: Check This Scenario');
    const msgs = await e2e.notificationsUntil(s.page, /failing\.mms: \d+ passed/);
    assert.ok(msgs.some((m) => /failing\.mms: 1 passed, 1 failed/.test(m)), `notifications: ${msgs.join(' | ')}`);
  });

  it('opens the inspector, which tells each step in kernel words', async () => {
    await e2e.openFile(s.page, 'writeback.mms');
    await e2e.runCommand(s.page, 'MM Scope: Open Inspector to the Side');
    const wv = await e2e.webviewFrame(s.page, 'Inspector: writeback.mms');
    await wv.locator('.tl-row').first().waitFor({ timeout: 30_000 });
    const texts = await wv.locator('.tl-row .tl-text').allTextContents();
    assert.ok(texts.some((t) => /#PF 0x6 .*do_shared_fault/.test(t)), texts.slice(0, 8).join(' | '));
    await e2e.screenshot(s.page, 'web-inspector');
  });
});
