'use strict';
// The packaged extension installs into a real VS Code (code-server) and owns `.mms` files.
const assert = require('node:assert/strict');
const e2e = require('../lib');

const languageName = require('../../../package.json').contributes.languages
  .find((l) => l.id === 'mmscope').aliases[0]; // "MM Scope scenario"

describe('smoke: the packaged vsix in code-server', function () {
  const s = e2e.useSession(this, { workspace: 'examples' });

  it('lists the example scenarios in the explorer', async () => {
    await s.page.locator('.explorer-folders-view .monaco-list-row', { hasText: /\.mms$/ }).first().waitFor();
  });

  it(`opens a .mms file as "${languageName}"`, async () => {
    const files = require('node:fs').readdirSync(s.workspace).filter((f) => f.endsWith('.mms')).sort();
    const file = files.includes('hello.mms') ? 'hello.mms' : files[0];
    assert.ok(file, 'examples/ holds at least one .mms file');
    await e2e.openFile(s.page, file);
    await e2e.waitForLanguage(s.page, languageName);
    assert.equal(await e2e.statusBarLanguage(s.page), languageName);
    await e2e.screenshot(s.page, 'smoke-mms-open');
  });

  it('the installed extension activates without an error', async () => {
    const event = await e2e.waitForActivation(s.session); // from the ext host log of this session
    assert.match(event, /^(onLanguage:mmscope|workspaceContains:|onStartupFinished|\*)/);
  });

  it('the extension is installed in the isolated extensions dir', async () => {
    const dirs = require('node:fs').readdirSync(require('node:path').join(s.runDir, 'extensions'));
    assert.ok(dirs.some((d) => d.startsWith(`${e2e.EXTENSION_ID}-`)), `extensions dir holds ${dirs.join(', ')}`);
  });
});
