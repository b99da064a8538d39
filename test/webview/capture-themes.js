'use strict';
// Captures what real VS Code (code-server, see docs/e2e.md) gives a webview for each theme kind:
// the --vscode-* variables on <html>, the body classes and data attributes, and VS Code's default
// webview styles (#_defaultStyles). Writes test/webview/themes/<kind>.json, which the webview
// test harness (host.js) applies. Run again when code-server is upgraded:
//   npm run package && node test/webview/capture-themes.js

const fs = require('node:fs');
const path = require('node:path');
const e2e = require('../e2e/lib');

/** [file name, label in the theme picker, theme id (settings), body data-vscode-theme-kind] */
const THEMES = [
  ['dark', 'Dark Modern', 'Default Dark Modern', 'vscode-dark'],
  ['light', 'Light Modern', 'Default Light Modern', 'vscode-light'],
  ['hc-dark', 'Dark High Contrast', 'Default High Contrast', 'vscode-high-contrast'],
  ['hc-light', 'Light High Contrast', 'Default High Contrast Light', 'vscode-high-contrast-light'],
];
const OUT = path.join(__dirname, 'themes');
const FILE = 'fbdefio-6.15.mms';

async function main() {
  const s = await e2e.startSession({ name: 'capture-themes', workspace: 'examples' });
  let failed = true;
  try {
    await e2e.openFile(s.page, FILE);
    await e2e.runCommand(s.page, 'MM Scope: Open Inspector to the Side');
    const version = JSON.parse(fs.readFileSync(path.join(e2e.paths.cache, 'code-server/node_modules/code-server/package.json'), 'utf8'));
    for (const [kind, label, id, themeKind] of THEMES) {
      await e2e.setColorTheme(s.page, label);
      const wv = await e2e.webviewFrame(s.page, `Inspector: ${FILE}`);
      await wv.locator('.tl-row').first().waitFor();
      // the theme reaches the webview asynchronously: wait until its kind is on <body>
      await wv.locator(`body[data-vscode-theme-kind="${themeKind}"]`).waitFor();
      const got = await wv.locator('html').evaluate((html) => {
        const vars = {};
        for (let i = 0; i < html.style.length; i++) {
          const k = html.style[i];
          if (k.startsWith('--vscode-')) vars[k] = html.style.getPropertyValue(k).trim();
        }
        const b = document.body;
        const data = {};
        for (const a of b.attributes) if (a.name.startsWith('data-vscode-')) data[a.name] = a.value;
        return { bodyClass: [...b.classList].filter((c) => c.startsWith('vscode-')), data, defaultStyles: document.getElementById('_defaultStyles')?.textContent ?? '', vars };
      });
      const doc = { source: `captured from code-server ${version.version} by test/webview/capture-themes.js`, kind, theme: id, ...got };
      fs.writeFileSync(path.join(OUT, `${kind}.json`), JSON.stringify(doc, null, 1) + '\n');
      console.log(`${kind}: ${Object.keys(got.vars).length} variables, body ${got.bodyClass.join(' ')}`);
    }
    failed = false;
  } finally {
    await e2e.closeSession(s, { failed });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
