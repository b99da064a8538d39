'use strict';
// Hostile text in the inspector (real VS Code, code-server + Chromium). Names in a scenario
// are [A-Za-z_][A-Za-z0-9_-]*, so user text reaches the panel only through the FILE NAME (tab
// title "Inspector: <name>", the panel header) and the source lines (the timeline and the step
// detail show each statement's source WITHOUT its comment). The scenario is saved as
// `<img src=x onerror=alert(1)>.mms` with HTML/script in its comments; the test opens the
// inspector, selects every step and proves nothing ran: no dialog, `window.__pwned` undefined in
// the webview and the workbench, no <img src="x"> anywhere, no CSP violation, the file name
// shown as text in the tab and the header, and no comment text in the panel.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const e2e = require('../lib');

const FILE = '<img src=x onerror=alert(1)>.mms';
const TAB = `Inspector: ${FILE}`;
const SRC = [
  '# <img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>',
  'process p',
  'mmap p anon at 0x1000000 pages 2 private rw as m',
  'write p m[0] # <img src=x onerror="window.__pwned=1">',
  'expect pte p m[0] present write dirty   # <svg onload="window.__pwned=3"></svg>',
  'read p m[1]  # </code><img src=x onerror=alert(1)><code>',
  'expect faults p 3   # fails on purpose: <iframe srcdoc="<script>parent.__pwned=4</script>">',
  '',
].join('\n');

// the workspace folder with the hostile file name (useSession copies it into its run dir)
const WS = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mms-sec-')), 'hostile');
fs.mkdirSync(WS, { recursive: true });
fs.writeFileSync(path.join(WS, FILE), SRC);

describe('security: hostile file name and comments in the inspector', function () {
  const s = e2e.useSession(this, { workspace: WS });
  this.timeout(300_000);
  const dialogs = [];
  let wv;

  it('the file is saved under its hostile name', () => {
    assert.equal(fs.readdirSync(path.join(s.workspace)).includes(FILE), true, fs.readdirSync(s.workspace).join(', '));
    s.page.on('dialog', (d) => { dialogs.push(`${d.type()}: ${d.message()}`); void d.dismiss().catch(() => {}); }); // not a check: every dialog is recorded and asserted below
  });

  it('opening the inspector and selecting every step runs none of the hostile text', async () => {
    // open from the explorer (the name is not a fuzzy-search friendly string)
    await s.page.locator('.explorer-folders-view .monaco-list-row', { hasText: FILE }).first().click();
    await e2e.activeTab(s.page, FILE).waitFor();
    await e2e.waitForLanguage(s.page, 'MM Scope scenario');
    await e2e.runCommand(s.page, 'MM Scope: Open Inspector to the Side');
    await e2e.tab(s.page, TAB).first().waitFor({ timeout: 60_000 });
    wv = await e2e.webviewFrame(s.page, TAB);
    const rows = wv.locator('.tl-row');
    await rows.first().waitFor({ timeout: 60_000 });
    const n = await rows.count();
    assert.ok(n >= 6, `a row per statement (${n})`);
    for (let i = 0; i < n; i++) {
      await rows.nth(i).click();
      await wv.locator('.step-num', { hasText: new RegExp(`^step ${i + 1}/${n} `) }).waitFor();
      for (const tabId of ['spaces', 'objects', 'walks', 'ptes']) await wv.locator(`vscode-tab-header[data-tab="${tabId}"]`).click();
      await wv.locator('vscode-tab-header[data-tab="spaces"]').click();
    }
    await wv.locator('.fail-msg').waitFor(); // the last step, a failing expectation, is selected
    await e2e.screenshot(s.page, 'security--hostile-file-name');

    // nothing ran
    assert.deepEqual(dialogs, [], 'no alert/confirm/prompt dialog');
    assert.equal(await wv.locator('body').evaluate(() => typeof window.__pwned), 'undefined', 'webview: window.__pwned');
    assert.equal(await s.page.evaluate(() => typeof window.__pwned), 'undefined', 'workbench: window.__pwned');
    assert.equal(await wv.locator('img[src="x"], svg[onload], iframe[srcdoc]').count(), 0, 'no injected element in the webview');
    assert.equal(await wv.locator('img').count(), 0, 'no img at all in the webview');
    assert.equal(await s.page.locator('img[src="x"]').count(), 0, 'no injected img in the workbench');

    // the file name is text: in the tab title and in the panel header
    assert.equal((await wv.locator('header.top .title').textContent()).trim(), FILE, 'panel header shows the file name as text');
    const tabLabel = await e2e.tab(s.page, TAB).first().locator('.label-name').first().textContent();
    assert.equal(tabLabel.trim(), TAB, 'tab title shows the file name as text');

    // comments never reach the panel; the statements do, as text
    const srcs = (await wv.locator('.tl-src').allTextContents()).map((t) => t.trim());
    assert.deepEqual(srcs, ['process p', 'mmap p anon at 0x1000000 pages 2 private rw as m', 'write p m[0]',
      'expect pte p m[0] present write dirty', 'read p m[1]', 'expect faults p 3']);
    const body = await wv.locator('body').innerText();
    assert.ok(!/__pwned|<script|<svg|srcdoc|fails on purpose/.test(body), `no comment text in the panel:\n${body}`);
    assert.ok(body.includes('expected p to have taken 3 page faults'), 'the failure message is shown');

    const csp = s.console.filter((l) => /Content Security Policy|Refused to|securitypolicyviolation/i.test(l));
    assert.deepEqual(csp, [], 'no CSP violation');
  });
});
