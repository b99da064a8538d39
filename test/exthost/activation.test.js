'use strict';
// Runs INSIDE the VS Code extension host (code-server) via test/e2e/ext-host-runner.js:
// `node test/e2e/run.js --only-exthost`. Plain JS; `vscode` is the real API.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'mmscope.mmscope';

async function until(cond, ms, what) {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('extension activation', () => {
  let doc;

  it('a .mms document gets language id "mmscope"', async () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is loaded`);
    const [uri] = await vscode.workspace.findFiles('**/*.mms', undefined, 1);
    assert.ok(uri, 'the workspace holds a .mms file');
    doc = await vscode.workspace.openTextDocument(uri);
    assert.equal(doc.languageId, 'mmscope');
  });

  // This workspace holds .mms files, so `workspaceContains:**/*.mms` may have activated the
  // extension before any editor opened: which event did it cannot be told apart here. What is
  // checked: both events are declared, and the extension is active with no activate() call.
  it('declares onLanguage:mmscope and workspaceContains:**/*.mms, and is active without an activate() call', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    const events = ext.packageJSON.activationEvents || [];
    assert.ok(events.includes('onLanguage:mmscope'), `activationEvents: ${events.join(', ')}`);
    assert.ok(events.includes('workspaceContains:**/*.mms'), `activationEvents: ${events.join(', ')}`);
    await vscode.window.showTextDocument(doc);
    // no ext.activate() here: a user only opens the file
    await until(() => ext.isActive, 20_000, `${EXTENSION_ID} to be active with a .mms editor open`);
    assert.equal(vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.languageId, 'mmscope');
  });

  it('activate() resolves without throwing', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });
});
