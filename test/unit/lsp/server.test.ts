// `mmscope lsp --stdio` (src/lsp/server.ts, node.ts), spoken to over stdio as an editor would.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { LspClient } from './lspClient';

// the server as compiled with the tests (out/src/lsp/node.js); `mmscope lsp` loads the same
// code from its bundle, and test/e2e/suites/neovim.e2e.js runs that bundle in Neovim
const SERVER = path.resolve(__dirname, '../../../src/lsp/node.js');
const URI = 'file:///tmp/lsp-test.mms';
const TEXT = [
  'file f pages 4',
  'process p',
  'mmap p f at 0x7f0000000000 pages 4 shared rw as m',
  'write p m[0]',
  'expect faults p 5',
  'mmap p f at 0x7ffffffff000 pages 2 shared rw as n',
  '',
].join('\n');

interface PublishParams { uri: string; version?: number; diagnostics: { range: { start: { line: number } }; code: string; severity: number; message: string }[] }

describe('the language server (mmscope lsp --stdio) an editor talks to', function () {
  this.timeout(30_000);
  let c: LspClient;
  before(async () => {
    c = new LspClient(SERVER);
    const init = await c.request<{ capabilities: Record<string, unknown> }>('initialize', { processId: process.pid, rootUri: null, capabilities: {}, initializationOptions: { kernel: '6.15' } });
    for (const cap of ['hoverProvider', 'completionProvider', 'definitionProvider', 'referencesProvider', 'renameProvider', 'documentFormattingProvider', 'documentSymbolProvider', 'codeLensProvider']) {
      assert.ok(init.capabilities[cap], `capability ${cap}`);
    }
    c.notify('initialized', {});
    c.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'mmscope', version: 1, text: TEXT } });
  });
  after(async () => { if (c) await c.close(); });

  it('publishes the failing expectation (MMS701) and the mapping the kernel refuses (MMS501) as errors at their lines', async () => {
    const p = await c.waitFor<PublishParams>('textDocument/publishDiagnostics', (x) => x.uri === URI && x.diagnostics.length > 0);
    const at = (line: number) => p.diagnostics.filter((d) => d.range.start.line === line);
    assert.ok(at(4).some((d) => d.code === 'MMS701' && d.severity === 1 && /5 page faults/.test(d.message)), JSON.stringify(p.diagnostics));
    assert.ok(at(5).some((d) => d.code === 'MMS501' && d.severity === 1 && /ENOMEM/.test(d.message)), JSON.stringify(p.diagnostics));
  });

  it('hovers a write with the kernel path the engine took', async () => {
    const h = await c.request<{ contents: { kind: string; value: string } }>('textDocument/hover', { textDocument: { uri: URI }, position: { line: 3, character: 2 } });
    assert.equal(h.contents.kind, 'markdown');
    assert.match(h.contents.value, /#PF 0x6/);
    assert.match(h.contents.value, /do_shared_fault/);
  });

  it('completes PTE flags after `expect pte p m[0] `', async () => {
    c.notify('textDocument/didChange', { textDocument: { uri: URI, version: 2 }, contentChanges: [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 0 } }, text: 'expect pte p m[0] ' }] });
    const items = await c.request<{ label: string }[]>('textDocument/completion', { textDocument: { uri: URI }, position: { line: 6, character: 18 } });
    const labels = items.map((i) => i.label);
    assert.ok(labels.includes('present') && labels.includes('!write'), labels.join(', '));
    // the list carries no documentation; completionItem/resolve adds it to the item shown
    const present = items.find((i) => i.label === 'present') as { label: string; documentation?: unknown; data?: unknown };
    assert.equal(present.documentation, undefined);
    const resolved = await c.request<{ label: string; documentation?: { kind: string; value: string } }>('completionItem/resolve', present);
    assert.equal(resolved.documentation?.kind, 'markdown');
    assert.match(resolved.documentation!.value, /_PAGE_PRESENT|present/i);
    const stale = await c.request<{ documentation?: unknown }>('completionItem/resolve', { ...present, data: [0, 0] });
    assert.equal(stale.documentation, undefined, 'an item of an older list gets no documentation');
    c.notify('textDocument/didChange', { textDocument: { uri: URI, version: 3 }, contentChanges: [{ range: { start: { line: 6, character: 0 }, end: { line: 6, character: 18 } }, text: '' }] });
  });

  it('goes to a definition, renames a label everywhere, outlines, formats and shows the Check lens', async () => {
    const def = await c.request<{ range: { start: { line: number } } }>('textDocument/definition', { textDocument: { uri: URI }, position: { line: 3, character: 6 } });
    assert.equal(def.range.start.line, 1, 'process p is declared on line 2');
    const edit = await c.request<{ changes: Record<string, { newText: string }[]> }>('textDocument/rename', { textDocument: { uri: URI }, position: { line: 3, character: 9 }, newName: 'buf' });
    assert.equal(edit.changes[URI].length, 2, 'the label m: its declaration and its use');
    const syms = await c.request<{ name: string }[]>('textDocument/documentSymbol', { textDocument: { uri: URI } });
    assert.deepEqual(syms.map((s) => s.name).sort(), ['f', 'p']);
    const fmt = await c.request<{ newText: string }[]>('textDocument/formatting', { textDocument: { uri: URI }, options: { tabSize: 2, insertSpaces: true } });
    assert.ok(Array.isArray(fmt));
    const lenses = await c.request<{ command: { title: string } }[]>('textDocument/codeLens', { textDocument: { uri: URI } });
    assert.match(lenses[0].command.title, /^Check: 0 passed, 1 failed, 1 error \(Linux 6\.15\)$/);
  });

  it('clears the diagnostics of a closed document', async () => {
    c.notify('textDocument/didClose', { textDocument: { uri: URI } });
    await c.waitFor<PublishParams>('textDocument/publishDiagnostics', (x) => x.uri === URI && x.diagnostics.length === 0);
    assert.equal(c.stderr, '');
    assert.deepEqual(c.notifications.filter((n) => n.method.startsWith('mmscope/')), [], 'VS Code\'s notifications only for VS Code');
  });
});
