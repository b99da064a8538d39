'use strict';
// The inspector's accessibility in real VS Code (code-server) with the high-contrast themes:
// axe-core run inside the real webview frame (the inspector's iframe inside the webview's outer
// iframe) on every tab, the theme's variables as the webview tests use them, and a screenshot
// per theme (test-output/e2e/a11y-<theme>.png).
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const e2e = require('../lib');
const { runAxe, severe, describe: describeViolations } = require('../../webview/axe');

const FILE = 'fbdefio-6.15.mms';
const TAB = `Inspector: ${FILE}`;
const TABS = [['spaces', '.proc'], ['objects', '.object'], ['walks', '.walk'], ['ptes', '.pte-scroll .pte-row:not([hidden])'], ['compare', '.compare-sel']];

describe('accessibility: the inspector in the high-contrast themes', function () {
  const s = e2e.useSession(this, { workspace: 'examples' });
  this.timeout(300_000);

  before(async () => {
    await e2e.openFile(s.page, FILE);
    await e2e.runCommand(s.page, 'MM Scope: Open Inspector to the Side');
    await e2e.tab(s.page, TAB).first().waitFor();
  });

  for (const [label, kind, file] of [['Dark High Contrast', 'vscode-high-contrast', 'hc-dark'], ['Light High Contrast', 'vscode-high-contrast-light', 'hc-light']]) {
    it(`${label}: axe finds no serious or critical violation on any tab inside the real webview`, async () => {
      await e2e.setColorTheme(s.page, label);
      const wv = await e2e.webviewFrame(s.page, TAB);
      await wv.locator(`body[data-vscode-theme-kind="${kind}"]`).waitFor();
      await wv.locator('.tl-row', { hasText: 'wait 50ms' }).first().click();
      await wv.locator('.step-num', { hasText: /· line 20 ·/ }).waitFor();
      const frame = await (await wv.locator('html').elementHandle()).ownerFrame();
      assert.ok(frame.parentFrame() && frame.parentFrame().parentFrame(), 'the inspector frame is inside the webview\'s outer frame');

      // what the webview tests apply for this theme kind is what this VS Code gives a webview
      const vars = await wv.locator('html').evaluate((html) => Object.fromEntries([...html.style].filter((k) => k.startsWith('--vscode-')).map((k) => [k, html.style.getPropertyValue(k).trim()])));
      const captured = JSON.parse(fs.readFileSync(path.join(e2e.ROOT, `test/webview/themes/${file}.json`), 'utf8')).vars;
      assert.deepEqual(vars, captured, `test/webview/themes/${file}.json is out of date: node test/webview/capture-themes.js`);
      assert.ok(vars['--vscode-contrastBorder'] && vars['--vscode-contrastActiveBorder'], 'a high-contrast theme defines the contrast borders');

      const bad = [];
      const other = new Map(); // rule -> nodes, below serious or undecided (needs review)
      for (const [id, ready] of TABS) {
        await wv.locator(`vscode-tab-header[data-tab="${id}"]`).click();
        await wv.locator(ready).first().waitFor();
        const { violations, incomplete } = await runAxe(frame);
        const v = severe(violations);
        if (v.length) bad.push(`tab ${id}:\n    ${describeViolations(v)}`);
        for (const x of [...violations.filter((y) => !v.includes(y)), ...incomplete]) other.set(x.id, (other.get(x.id) || 0) + x.nodes.length);
      }
      console.log(`      axe below serious or needs review: ${[...other].map(([k, n]) => `${k} (${n} nodes)`).join(', ') || 'none'}`);
      const doc = fs.readFileSync(path.join(e2e.ROOT, 'docs/accessibility.md'), 'utf8');
      assert.deepEqual([...other.keys()].filter((k) => !doc.includes(`\`${k}\``)), [], 'reported by axe but not explained in docs/accessibility.md');
      await wv.locator('vscode-tab-header[data-tab="walks"]').click();
      await wv.locator('.walk').nth(1).waitFor();
      await s.page.screenshot({ path: path.join(e2e.paths.output, `a11y-${file}.png`) });
      assert.deepEqual(bad, [], 'serious or critical axe violations');
    });
  }

  it('the keyboard moves between tabs and steps, and a PTE change is announced, inside the real webview', async () => {
    const wv = await e2e.webviewFrame(s.page, TAB);
    await wv.locator('.tl-row', { hasText: 'expect folio fb0[1] mapping none' }).first().click();
    await wv.locator('.step-num', { hasText: /· line 18 ·/ }).waitFor();
    await wv.locator('.timeline-list').focus();
    await s.page.keyboard.press('ArrowDown'); // wait 50ms: the deferred work write-protects the two listed pages
    await wv.locator('.pte-live', { hasText: /^Step \d+: 2 PTEs changed: / }).waitFor();
    assert.match(await wv.locator('.pte-live').textContent(), new RegExp('^Step \\d+: 2 PTEs changed: xorg fb\\[1\\] at 0x7f0000001000: present, dirty → present, read-only; ' +
      'app fb\\[0\\] at 0x7e0000000000: present, dirty → present, read-only\\.$'));
    await wv.locator('vscode-tab-header[aria-selected="true"]').focus();
    const before = await wv.locator('vscode-tab-header[aria-selected="true"]').getAttribute('data-tab');
    await s.page.keyboard.press('ArrowRight');
    const after = await wv.locator('vscode-tab-header[aria-selected="true"]').getAttribute('data-tab');
    assert.notEqual(after, before, 'ArrowRight selects the next tab');
    assert.equal(await wv.locator('vscode-tab-header:focus').getAttribute('data-tab'), after, 'and focuses it');
  });
});
