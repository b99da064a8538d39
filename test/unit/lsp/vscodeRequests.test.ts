// The language server's custom requests (src/lsp/protocol.ts), as the VS Code extension asks
// them (initializationOptions.vscode): the run of each version announced with its id, asked
// again by id (mmscope/currentRun, mmscope/inspect), a stale id answered null, one-off runs
// and Testing items of closed files, the lens with VS Code's commands, and the stats.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { DidRunParams, StatsResult } from '../../../src/lsp/protocol';
import type { InspectorAnswer } from '../../../src/views/inspectorService';
import type { RunSummary, StaticInfo } from '../../../src/views/summary';
import { LspClient } from './lspClient';

const SERVER = path.resolve(__dirname, '../../../src/lsp/node.js');
const URI = 'file:///tmp/lsp-vscode-test.mms';
const URI2 = 'file:///tmp/lsp-vscode-test-lens.mms';
const TEXT = ['file f pages 4', 'process p', 'mmap p f at 0x7f0000000000 pages 4 shared rw as m', 'write p m[0]', 'expect faults p 5', ''].join('\n');

describe('the language server\'s custom requests for VS Code (mmscope/*)', function () {
  this.timeout(30_000);
  let c: LspClient;
  before(async () => {
    c = new LspClient(SERVER);
    await c.request('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { kernel: '6.15', vscode: true, stats: true } });
    c.notify('initialized', {});
    c.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'mmscope', version: 1, text: TEXT } });
  });
  after(async () => { if (c) await c.close(); });

  it('announces the run of each version (mmscope/didRun) and answers mmscope/currentRun with that same run', async () => {
    const run = await c.waitFor<DidRunParams>('mmscope/didRun', (p) => p.uri === URI && p.version === 1);
    assert.equal(run.summary.failed, 1);
    assert.equal(run.summary.passed, 0);
    const cur = await c.request<DidRunParams>('mmscope/currentRun', { uri: URI, version: 1 });
    assert.equal(cur.runId, run.runId, 'no second run of the same version');
  });

  it('gives VS Code the diagnostics in mmscope/didRun, and no textDocument/publishDiagnostics', async () => {
    const run = await c.waitFor<DidRunParams>('mmscope/didRun', (p) => p.uri === URI && p.version === 1);
    assert.deepEqual(run.summary.diagnostics.map((d) => [d.code, d.range.start.line]), [['MMS701', 4]], 'the failing expectation, at its line');
    // a publishDiagnostics would have been sent before the run's notification
    assert.deepEqual(c.notifications.filter((n) => n.method === 'textDocument/publishDiagnostics'), []);
  });

  it('asks for the lenses again when a run changes their counts: at once after the open, once typing pauses after an edit', async () => {
    const refreshes = () => c.notifications.filter((n) => n.method === 'workspace/codeLens/refresh').length;
    // the open: the run's counts differ from the lens the client has (none yet), and no edit came: a refresh
    const atOpen = refreshes();
    c.notify('textDocument/didOpen', { textDocument: { uri: URI2, languageId: 'mmscope', version: 1, text: TEXT } });
    await c.waitFor<DidRunParams>('mmscope/didRun', (p) => p.uri === URI2 && p.version === 1);
    await c.waitForCount('workspace/codeLens/refresh', atOpen + 1);
    // the client asks for the lenses (it shows 0 passed, 1 failed); the refresh it was sent came before this answer
    await c.request('textDocument/codeLens', { textDocument: { uri: URI2 } });
    const before = refreshes();
    // the edit changes the counts (1 passed, 0 failed): a refresh comes once typing pauses
    c.notify('textDocument/didChange', { textDocument: { uri: URI2, version: 2 }, contentChanges: [{ text: TEXT.replace('expect faults p 5', 'expect faults p 1') }] });
    const run = await c.waitFor<DidRunParams>('mmscope/didRun', (p) => p.uri === URI2 && p.version === 2);
    assert.equal(run.summary.passed, 1);
    await c.waitForCount('workspace/codeLens/refresh', before + 1);
    const lenses = await c.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: URI2 } });
    assert.match(lenses[0].command.title, /Check: 1 passed, 0 failed/);
    c.notify('textDocument/didClose', { textDocument: { uri: URI2 } });
  });

  it('answers the inspector about a run by its id, and null once a newer version replaced it', async () => {
    const run = await c.waitFor<DidRunParams>('mmscope/didRun', (p) => p.uri === URI && p.version === 1);
    const a = await c.request<InspectorAnswer>('mmscope/inspect', { uri: URI, runId: run.runId, query: { q: 'run' } });
    assert.equal(a.q, 'run');
    assert.ok(a.q === 'run' && a.run.rows.some((r) => /write p m\[0\]/.test(r.source)), 'the timeline holds the write');
    c.notify('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ range: { start: { line: 4, character: 16 }, end: { line: 4, character: 17 } }, text: '1' }] });
    const next = await c.waitFor<DidRunParams>('mmscope/didRun', (p) => p.uri === URI && p.version === 2);
    assert.notEqual(next.runId, run.runId);
    assert.equal(next.summary.failed, 0, '`expect faults p 1` holds');
    assert.equal(await c.request('mmscope/inspect', { uri: URI, runId: run.runId, query: { q: 'run' } }), null);
  });

  it('runs a closed file once and lists a text\'s expectations (Check Workspace, the Testing view)', async () => {
    const s = await c.request<RunSummary>('mmscope/runOnce', { key: 'workspace:x', uri: 'file:///tmp/x.mms', text: TEXT });
    assert.deepEqual([s.passed, s.failed, s.exitStatus], [0, 1, 1]);
    const info = await c.request<StaticInfo>('mmscope/staticInfo', { key: 'file:///tmp/x.mms', uri: 'file:///tmp/x.mms', text: TEXT });
    assert.deepEqual(info.expectations.map((e) => [e.line, e.label]), [[4, 'expect faults p 5']]);
  });

  it('gives VS Code the Check and Open Inspector lenses with their commands and the document as argument', async () => {
    await c.waitFor<DidRunParams>('mmscope/didRun', (p) => p.uri === URI && p.version === 2);
    const lenses = await c.request<{ command: { title: string; command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.deepEqual(lenses.map((l) => [l.command.title, l.command.command, l.command.arguments]), [
      ['$(pass) Check: 1 passed, 0 failed', 'mmscope.check', [URI]],
      ['$(preview) Open Inspector', 'mmscope.openInspector', [URI]],
    ]);
  });

  it('counts its runs and records the diagnostics pipeline of an edit (mmscope/stats)', async () => {
    const st = await c.request<StatsResult>('mmscope/stats', {});
    assert.ok(st.workerRuns + st.inlineRuns >= 3, `runs: ${st.workerRuns} on workers, ${st.inlineRuns} inline`);
    assert.ok(st.edits.length >= 1, 'the edit of version 2');
    for (const e of st.edits) assert.equal(e.length, 4, 'change seen, run started, run replied, published');
    await c.request('mmscope/stats', { reset: true });
    const after = await c.request<StatsResult>('mmscope/stats', {});
    assert.deepEqual([after.workerRuns, after.inlineRuns, after.edits.length], [0, 0, 0]);
  });
});
