'use strict';
// Runs INSIDE the VS Code extension host (node test/e2e/run.js --only-exthost --grep commands):
// the "MM Scope" commands (Check Workspace, Export Trace as JSON, New Scenario from Example),
// the Testing view's controller (items, a run, a continuous run after an edit) and the
// walkthrough. The workspace is a copy of examples/; this suite adds a folder mmscope-cmd-test/
// with a failing scenario and a scenario without expectations, and deletes it at the end.
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const vscode = require('vscode');

const EXTENSION_ID = 'mmscope.mmscope';
const DIR = 'mmscope-cmd-test';
// line 4 (0-based 3) passes, line 5 (0-based 4) fails: one fault was taken, not 3
const FAILING = [
  'process p',
  'mmap p anon at 0x1000000 pages 2 private rw as heap',
  'write p heap[0]',
  'expect pte p heap[0] present write dirty   # holds',
  'expect faults p 3                          # wrong on purpose',
  '',
].join('\n');
const NO_EXPECT = 'process p\nmmap p anon at 0x1000000 pages 1 private rw as m\nwrite p m[0]\n';
const CONTINUOUS = [
  'process p',
  'mmap p anon at 0x1000000 pages 2 private rw as heap',
  'write p heap[0]',
  'expect faults p 1',
  '',
].join('\n');

const enc = new TextEncoder();
const dec = new TextDecoder();
const expectLines = (text) => text.split(/\r?\n/).filter((l) => /^\s*expect\b/.test(l)).length;

async function until(cond, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await cond();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The next onDidEndRun report that satisfies `pred`. */
function nextReport(api, pred, ms, what) {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { sub.dispose(); reject(new Error(`timed out after ${ms} ms waiting for ${what}`)); }, ms);
    const sub = api.tests.onDidEndRun((r) => { if (pred(r)) { clearTimeout(t); sub.dispose(); resolve(r); } });
  });
}

describe('commands, Testing view and walkthrough', function () {
  this.timeout(180_000);
  let api, ext, root, dir, failingUri, noExpectUri, continuousUri;

  before(async () => {
    ext = vscode.extensions.getExtension(EXTENSION_ID);
    api = await ext.activate();
    assert.ok(api && api.tests, 'activate() returns { tests }');
    root = vscode.workspace.workspaceFolders[0].uri;
    dir = vscode.Uri.joinPath(root, DIR);
    failingUri = vscode.Uri.joinPath(dir, 'failing.mms');
    noExpectUri = vscode.Uri.joinPath(dir, 'no-expect.mms');
    continuousUri = vscode.Uri.joinPath(dir, 'continuous.mms');
    await vscode.workspace.fs.createDirectory(dir);
    await vscode.workspace.fs.writeFile(failingUri, enc.encode(FAILING));
    await vscode.workspace.fs.writeFile(noExpectUri, enc.encode(NO_EXPECT));
    await vscode.workspace.fs.writeFile(continuousUri, enc.encode(CONTINUOUS));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    try { await vscode.workspace.fs.delete(dir, { recursive: true }); } catch { /* gone */ }
  });

  it('Check Workspace returns the totals of every scenario and publishes each file\'s problems', async () => {
    const files = await vscode.workspace.findFiles('**/*.mms', '**/node_modules/**');
    // every example's expectations hold; failing.mms: 1 holds, 1 fails; continuous.mms: 1 holds
    let expected = 0;
    for (const f of files) {
      if (f.path.includes(`/${DIR}/`)) continue;
      expected += expectLines(dec.decode(await vscode.workspace.fs.readFile(f)));
    }
    assert.ok(expected > 50, `the examples hold many expectations (${expected})`);
    const r = await vscode.commands.executeCommand('mmscope.checkWorkspace');
    assert.deepEqual(r, { files: files.length, passed: expected + 2, failed: 1, withErrors: 0 });

    // closed files get their problems too
    const fail = vscode.languages.getDiagnostics(failingUri).filter((d) => d.code === 'MMS701');
    assert.equal(fail.length, 1, 'one MMS701 in failing.mms');
    assert.equal(fail[0].range.start.line, 4);
    assert.match(fail[0].message, /expected p to have taken 3 page faults, found 1/);
    const oops = vscode.languages.getDiagnostics(files.find((f) => f.path.endsWith('/carveout-oops.mms')));
    assert.ok(oops.some((d) => d.code === 'MMS802'), `carveout-oops.mms: the kernel oops warning (${oops.map((d) => d.code)})`);
    const hello = vscode.languages.getDiagnostics(files.find((f) => f.path.endsWith('/hello.mms')));
    assert.equal(hello.filter((d) => d.severity === vscode.DiagnosticSeverity.Error).length, 0, 'hello.mms has no errors');
  });

  it('Export Trace as JSON writes an mmscope-trace v1 file to the given target', async () => {
    const [hello] = await vscode.workspace.findFiles('hello.mms', undefined, 1);
    const target = vscode.Uri.file(path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mms-trace-')), 'hello.trace.json'));
    const written = await vscode.commands.executeCommand('mmscope.exportTrace', hello, target);
    assert.equal(written && written.toString(), target.toString(), 'resolves with the file written');
    const json = JSON.parse(fs.readFileSync(target.fsPath, 'utf8'));
    assert.equal(json.format, 'mmscope-trace');
    assert.equal(json.version, 1);
    assert.equal(json.file, 'hello.mms');
    assert.ok(Array.isArray(json.steps) && json.steps.length >= 10, `steps: ${json.steps && json.steps.length}`);
  });

  it('New Scenario from Example opens an untitled mmscope document with the example\'s text', async () => {
    const doc = await vscode.commands.executeCommand('mmscope.newFromExample', 'fork-cow.mms');
    assert.ok(doc, 'resolves with the new document');
    const want = dec.decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'examples', 'fork-cow.mms')));
    assert.equal(doc.isUntitled, true);
    assert.equal(doc.languageId, 'mmscope');
    assert.equal(doc.getText(), want);
    assert.equal(vscode.window.activeTextEditor && vscode.window.activeTextEditor.document, doc, 'shown in the active editor');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('the test controller lists one item per .mms with expectations and one child per expectation', async () => {
    const ctrl = api.tests.ctrl;
    await ctrl.refreshHandler();
    const files = await vscode.workspace.findFiles('**/*.mms', '**/node_modules/**');
    const want = [];
    for (const f of files) {
      const text = dec.decode(await vscode.workspace.fs.readFile(f));
      if (expectLines(text)) want.push(f.toString());
    }
    // (files opened from outside the workspace, e.g. the big-document test's, are items too)
    const items = [];
    ctrl.items.forEach((i) => { if (i.uri.toString().startsWith(`${root.toString()}/`)) items.push(i); });
    assert.deepEqual(items.map((i) => i.id).sort(), want.sort(), 'one item per file with expectations');
    assert.ok(!ctrl.items.get(noExpectUri.toString()), 'no item for a file without expectations');

    const failing = ctrl.items.get(failingUri.toString());
    assert.equal(failing.label, 'failing.mms');
    const kids = [];
    failing.children.forEach((c) => kids.push(c));
    kids.sort((a, b) => a.range.start.line - b.range.start.line);
    assert.deepEqual(kids.map((c) => [c.label, c.range.start.line]),
      [['expect pte p heap[0] present write dirty', 3], ['expect faults p 3', 4]]);
    for (const i of items) {
      const n = expectLines(dec.decode(await vscode.workspace.fs.readFile(i.uri)));
      assert.equal(i.children.size, n, `${i.label}: one child per expectation`);
    }

    // a run of the failing file reports one pass and one failure
    const cts = new vscode.CancellationTokenSource();
    const done = nextReport(api, (r) => r.passed.concat(r.failed).some((id) => id.startsWith(failingUri.toString())), 60_000, 'the run of failing.mms');
    await api.tests.runProfile.runHandler(new vscode.TestRunRequest([failing], undefined, api.tests.runProfile), cts.token);
    const rep = await done;
    assert.deepEqual(rep.passed, [`${failingUri}#3`]);
    assert.deepEqual(rep.failed, [`${failingUri}#4`]);
    cts.dispose();
  });

  it('a continuous run re-runs the file after an edit is saved', async () => {
    const profile = api.tests.runProfile;
    assert.equal(profile.supportsContinuousRun, true);
    const ctrl = api.tests.ctrl;
    const item = ctrl.items.get(continuousUri.toString()) || await api.tests.updateFile(continuousUri);
    const cts = new vscode.CancellationTokenSource();
    try {
      const first = nextReport(api, (r) => r.continuous && r.passed.includes(`${continuousUri}#3`), 60_000, 'the first continuous run');
      await profile.runHandler(new vscode.TestRunRequest([item], undefined, profile, true), cts.token);
      await first;

      // edit: the expectation now fails (1 fault taken, 2 expected), and a new one is added
      const rerun = nextReport(api, (r) => r.continuous && r.failed.includes(`${continuousUri}#3`), 60_000, 're-run after the edit');
      const doc = await vscode.workspace.openTextDocument(continuousUri);
      const ed = await vscode.window.showTextDocument(doc);
      await ed.edit((b) => b.replace(doc.lineAt(3).range, 'expect faults p 2'));
      // (a save can be refused on a loaded box; then the file on disk changes, which the watcher reports)
      if (!(await doc.save())) await vscode.workspace.fs.writeFile(continuousUri, enc.encode(doc.getText()));
      const rep = await rerun;
      assert.deepEqual(rep.passed, []);
      assert.deepEqual(rep.failed, [`${continuousUri}#3`]);
      await new Promise((r) => setTimeout(r, 2000)); // let a second re-run (file watcher) finish
    } finally {
      cts.cancel();
      cts.dispose();
    }
    // after cancellation, a save does not re-run
    let late = false;
    const sub = api.tests.onDidEndRun((r) => { if (r.continuous && r.passed.includes(`${continuousUri}#3`)) late = true; });
    const doc = await vscode.workspace.openTextDocument(continuousUri);
    const ed = await vscode.window.showTextDocument(doc);
    await ed.edit((b) => b.replace(doc.lineAt(3).range, 'expect faults p 1'));
    if (!(await doc.save())) await vscode.workspace.fs.writeFile(continuousUri, enc.encode(doc.getText()));
    await new Promise((r) => setTimeout(r, 3000));
    sub.dispose();
    assert.equal(late, false, 'no continuous re-run after the run was cancelled');
  });

  it('contributes the walkthrough, and it opens', async () => {
    const wts = ext.packageJSON.contributes.walkthroughs;
    const wt = wts.find((w) => w.id === 'mmscope.gettingStarted');
    assert.ok(wt, `walkthroughs: ${wts.map((w) => w.id)}`);
    assert.deepEqual(wt.steps.map((s) => s.id), ['openExample', 'openInspector', 'openTesting']);
    for (const s of wt.steps) {
      const md = vscode.Uri.joinPath(ext.extensionUri, s.media.markdown);
      assert.ok((await vscode.workspace.fs.stat(md)).size > 0, `${s.media.markdown} exists`);
    }
    const cmds = await vscode.commands.getCommands(true);
    for (const c of ['mmscope.newFromExample', 'mmscope.openInspector']) assert.ok(cmds.includes(c), `${c} is registered`);

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#mmscope.gettingStarted`, false);
    // the walkthrough shows in the Welcome editor (its webview-free page: the tab is "Welcome")
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const tab = await until(() => tabs().find((t) => /Welcome|Get started with MM Scope/.test(t.label)), 30_000, 'the Welcome tab with the walkthrough')
      .catch((e) => { throw new Error(`${e.message}; tabs: ${JSON.stringify(tabs().map((t) => t.label))}`); });
    assert.ok(tab);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
