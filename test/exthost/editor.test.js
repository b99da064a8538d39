'use strict';
// Runs INSIDE the VS Code extension host (see activation.test.js): the language features
// through VS Code's own provider commands, on an untitled scenario.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const SRC = [
  'file data pages 4',
  'process p',
  'mmap p data at 0x7f0000000000 pages 4 shared rw as m',
  'write p m[2]',
  'expect pte p m[2] present write dirty',
  'expect faults   p 3   # wrong on purpose',
  '',
].join('\n');

async function until(cond, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('editor features through the VS Code API', function () {
  this.timeout(60_000);
  let doc;
  before(async () => {
    await vscode.extensions.getExtension('mmscope.mmscope').activate();
    doc = await vscode.workspace.openTextDocument({ language: 'mmscope', content: SRC });
    await vscode.window.showTextDocument(doc);
  });

  it('publishes the failing expectation as an MMS701 error at its line', async () => {
    const d = await until(() => vscode.languages.getDiagnostics(doc.uri).find((x) => x.code === 'MMS701'), 20_000, 'MMS701');
    assert.equal(d.range.start.line, 5);
    assert.match(d.message, /expected p to have taken 3 page faults, found 1/);
  });

  it('hovers a write with its fault path', async () => {
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, new vscode.Position(3, 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => c.value ?? String(c))).join('\n');
    assert.match(text, /do_shared_fault/);
  });

  it('completes PTE flags after `expect pte p m[2] `', async () => {
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(4, 18));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('!write') && labels.includes('present'), labels.join(', '));
  });

  it('renames the mapping label everywhere', async () => {
    const edit = await vscode.commands.executeCommand('vscode.executeDocumentRenameProvider', doc.uri, new vscode.Position(3, 8), 'buf');
    assert.equal(edit.get(doc.uri).length, 3);
  });

  it('goes to the definition of a process', async () => {
    const locs = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', doc.uri, new vscode.Position(3, 6));
    assert.equal((locs[0].range ?? locs[0].targetRange).start.line, 1);
  });

  it('outlines the object and the process with its mapping', async () => {
    const syms = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(syms.map((s) => s.name), ['data', 'p']);
    assert.deepEqual(syms[1].children.map((s) => s.name), ['m']);
  });

  it('formats the scenario (spaces collapsed, comment kept)', async () => {
    const edits = await vscode.commands.executeCommand('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 2, insertSpaces: true });
    assert.ok(edits.length >= 1);
    const we = new vscode.WorkspaceEdit();
    we.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(we));
    assert.match(doc.getText(), /^expect faults p 3 {2}# wrong on purpose$/m);
    assert.match(doc.getText(), /^write p m\[2\]$/m);
  });

  it('shows the Check and Open Inspector CodeLenses on line 1', async () => {
    const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
    const titles = lenses.map((l) => l.command && l.command.title);
    assert.ok(titles.some((t) => /Check/.test(t)) && titles.some((t) => /Open Inspector/.test(t)), titles.join(' | '));
  });

  it('Check This Scenario reports passed and failed', async () => {
    const r = await vscode.commands.executeCommand('mmscope.check', doc.uri);
    assert.deepEqual(r, { passed: 1, failed: 1, exitStatus: 1 });
  });
});
