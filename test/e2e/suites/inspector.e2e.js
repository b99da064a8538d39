'use strict';
// The inspector panel in real VS Code (code-server): opened beside fbdefio-6.15.mms, its
// steps, walks and PTEs read from inside the webview frames, keyboard stepping, source ↔
// panel sync, restored after a window reload, light and dark themes. Saves the screenshots
// docs/images/inspector-dark.png and docs/images/inspector-light.png.
const assert = require('node:assert/strict');
const path = require('node:path');
const e2e = require('../lib');

const FILE = 'fbdefio-6.15.mms';
const TAB = `Inspector: ${FILE}`;
const IMAGES = path.join(e2e.ROOT, 'docs/images');

describe('inspector: the panel beside a scenario', function () {
  const s = e2e.useSession(this, { workspace: 'examples' });
  this.timeout(300_000);
  let wv;
  const frame = async () => (wv = await e2e.webviewFrame(s.page, TAB));
  // statements may hold runs of spaces (`write app  fb[0]`): match any whitespace
  const row = (src) => wv.locator('.tl-row', { has: wv.locator('.tl-src', { hasText: new RegExp(`^${src.replace(/[[\]]/g, '\\$&').replace(/\s+/g, '\\s+')}$`) }) }).first();
  const selectedLine = async () => Number(await wv.locator('.tl-row.selected').getAttribute('data-line')) + 1;
  const cursorLine = async () => {
    const t = await s.page.locator('#status\\.editor\\.selection').first().textContent();
    return Number(/Ln (\d+)/.exec(t)[1]);
  };
  const until = async (fn, what, ms = 20_000) => {
    const end = Date.now() + ms;
    for (;;) { try { if (await fn()) return; } catch { /* retry */ } if (Date.now() > end) throw new Error(`timeout: ${what}`); await new Promise((r) => setTimeout(r, 200).unref()); }
  };

  it('opens to the side and tells each step in kernel words', async () => {
    await e2e.openFile(s.page, FILE);
    await e2e.runCommand(s.page, 'MM Scope: Open Inspector to the Side');
    await e2e.tab(s.page, TAB).first().waitFor();
    assert.equal(await s.page.locator('.editor-group-container').count(), 2, 'panel opened beside the editor');
    await frame();
    await wv.locator('.tl-row').first().waitFor({ timeout: 30_000 });
    const text = await row('write xorg fb[1]').locator('.tl-text').textContent();
    assert.ok(text.includes('#PF 0x7 → do_wp_page → wp_page_shared → fb_deferred_io_mkwrite: page 1 listed'), text);
    assert.ok((await row('write app  fb[0]').locator('.tl-text').textContent()).includes('#PF 0x6 → do_shared_fault'));
    assert.equal(await wv.locator('.tl-row.st-fail').count(), 0, 'every expectation passes');
  });

  it('a click on a step reveals its source line and shows the rmap walks in i_mmap order', async () => {
    await row('wait 50ms').click();
    await until(async () => (await cursorLine()) === 20, 'editor cursor on line 20');
    await wv.locator('vscode-tab-header[data-tab="walks"]').click();
    const walks = wv.locator('.walk');
    await walks.nth(1).waitFor();
    assert.deepEqual(await walks.nth(0).locator('.wvisit > .wbox.vma .wbox-title').allTextContents(), ['1. xorg:fb']);
    assert.deepEqual(await walks.nth(1).locator('.wvisit > .wbox.vma .wbox-title').allTextContents(), ['1. xorg:fb', '2. app:fb']);
    const pte = await walks.nth(1).locator('.wbox.pte').first().textContent();
    assert.ok(pte.includes('P RW U A D SD → P RO U A SD') && pte.includes('counted'), pte);
  });

  it('the PTE table shows every PTE at the step', async () => {
    await wv.locator('vscode-tab-header[data-tab="ptes"]').click();
    const r = wv.locator('.pte-scroll .pte-row:not([hidden])', { hasText: '0x7f0000001000' });
    await r.waitFor();
    const cells = await r.locator('.pc').allTextContents();
    assert.deepEqual([cells[0], cells[1], cells[2], cells[4], cells[5], cells[8], cells[11]], ['xorg', '0x7f0000001000', '254/0/0/1', 'P', '·', '·', 'fb0[1]']);
  });

  it('steps with the keyboard and moves the editor highlight', async () => {
    await wv.locator('vscode-tab-header[data-tab="spaces"]').click();
    await row('wait 50ms').click();
    const before = await selectedLine();
    await wv.locator('.timeline-list').focus();
    await s.page.keyboard.press('ArrowRight');
    await until(async () => (await selectedLine()) > before, 'ArrowRight selects the next statement');
    await s.page.keyboard.press('Home');
    await until(async () => (await selectedLine()) === 4, 'Home selects the first statement');
    await s.page.keyboard.press('End');
    await until(async () => (await selectedLine()) === 28, 'End selects the last statement');
    await wv.locator('.step-num', { hasText: /^step \d+\/\d+ · line 28/ }).waitFor();
  });

  it('moving the editor cursor selects that step', async () => {
    // focus the scenario's editor group first (the inspector's group is active)
    await s.page.locator('.editor-group-container', { has: s.page.locator('.tab.active', { hasText: /^fbdefio-6\.15\.mms/ }) }).locator('.monaco-editor .view-lines').first().click();
    await e2e.gotoLine(s.page, 14);
    await frame();
    await until(async () => (await selectedLine()) === 14, 'cursor on line 14 selects write xorg fb[1]');
    await wv.locator('.proc').first().waitFor();
    const cells = await wv.locator('.proc').first().locator('.strip .cell').evaluateAll((cs) => cs.map((c) => c.className));
    assert.ok(cells[1].includes('c-d') && cells[1].includes('changed'), `xorg fb[1] dirty and changed: ${cells}`);
  });

  it('survives a window reload (serializer + webview state)', async () => {
    // (lib's reloadWindow waits 60 s; a loaded CI box needs longer)
    const old = await s.page.evaluate(() => performance.timeOrigin);
    await e2e.runCommand(s.page, 'Developer: Reload Window');
    await s.page.waitForFunction((old) => performance.timeOrigin !== old, old, { timeout: 120_000 }); // the page did reload
    await e2e.waitForWorkbench(s.page, { timeout: 180_000 });
    await e2e.tab(s.page, TAB).first().waitFor({ timeout: 60_000 });
    await frame();
    await wv.locator('.tl-row').first().waitFor({ timeout: 120_000 });
    await until(async () => (await selectedLine()) === 14, 'the selected step is restored');
  });

  it('follows the theme: light and dark screenshots', async () => {
    await e2e.setColorTheme(s.page, 'Light Modern');
    await frame();
    await until(async () => (await wv.locator('body').getAttribute('class')).includes('vscode-light'), 'webview body is vscode-light');
    const bgLight = await wv.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    await row('wait 50ms').click();
    await wv.locator('vscode-tab-header[data-tab="walks"]').click();
    await wv.locator('.walk').nth(1).waitFor();
    await s.page.screenshot({ path: path.join(IMAGES, 'inspector-light.png') });
    await e2e.setColorTheme(s.page, 'Dark Modern');
    await frame();
    await until(async () => (await wv.locator('body').getAttribute('class')).includes('vscode-dark'), 'webview body is vscode-dark');
    const bgDark = await wv.locator('body').evaluate((b) => getComputedStyle(b).backgroundColor);
    assert.notEqual(bgLight, bgDark, 'the panel background follows the theme');
    await wv.locator('vscode-tab-header[data-tab="spaces"]').click();
    await row('write app  fb[0]').click();
    await wv.locator('.proc').first().waitFor();
    await s.page.screenshot({ path: path.join(IMAGES, 'inspector-dark.png') });
    const csp = s.console.filter((l) => /Content Security Policy|Refused to/.test(l));
    assert.deepEqual(csp, [], 'nothing blocked by the CSP');
  });
});
