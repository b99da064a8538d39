// The language server: `mmscope lsp --stdio` for Neovim, Emacs (eglot) and any LSP client,
// and the VS Code extension's own (a node IPC child on the desktop, a web worker in the
// browser). From the same language, scenario and views code: diagnostics (parse, check, run,
// failing expectations), hover with the kernel path, completion, definition, references,
// highlights, rename, formatting, document symbols and the Check lens. When a document runs
// is DocumentRuns' one policy (documentRuns.ts); where it runs is the backend the entry point
// gives (worker threads in node, inline in a web worker). What only VS Code shows asks the
// custom requests of protocol.ts (custom.ts).

import {
  CompletionItemKind, DiagnosticSeverity, DocumentHighlightKind, Location, MarkupKind, SymbolKind, TextDocumentSyncKind, TextDocuments, TextEdit,
  type CodeLens, type CompletionItem, type Connection, type Diagnostic as LspDiagnostic, type DocumentHighlight, type DocumentSymbol,
  type Hover, type Range as LspRange, type WorkspaceEdit,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from '../language/ast';
import { check, type CheckResult } from '../language/checker';
import { completionsAt, type CompletionKind } from '../language/completion';
import type { Diagnostic } from '../language/diagnostics';
import { formatScenario } from '../language/formatting';
import { parse } from '../language/parser';
import { documentOutline, referencesAt, renameAt, type OutlineNode } from '../language/symbols';
import type { Backend } from '../service/backend';
import { stats } from '../service/stats';
import type { EditorRunOptions, RunSummary } from '../views/summary';
import { registerCustom } from './custom';
import { DocumentRuns } from './documentRuns';
import { warmUp } from './warmUp';
import { DidRun, DidStart, type DidRunParams, type DidStartParams, type InitOptions, type Settings } from './protocol';

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };
const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword, process: CompletionItemKind.Class, object: CompletionItemKind.File,
  label: CompletionItemKind.Variable, flag: CompletionItemKind.EnumMember, value: CompletionItemKind.Value,
};
const SYMBOL_KIND = { process: SymbolKind.Class, object: SymbolKind.File, label: SymbolKind.Variable, pipe: SymbolKind.Interface, buffer: SymbolKind.Interface };

const toLsp = (r: Range): LspRange => ({ start: { ...r.start }, end: { ...r.end } });

export function toLspDiagnostic(d: Diagnostic, uri: string): LspDiagnostic {
  return {
    range: toLsp(d.range), severity: SEVERITY[d.severity], code: d.code, source: 'mmscope', message: d.message,
    relatedInformation: d.related?.map((r) => ({ location: { uri, range: toLsp(r.range) }, message: r.message })),
  };
}

function toSymbol(n: OutlineNode): DocumentSymbol {
  return { name: n.name, detail: n.detail, kind: SYMBOL_KIND[n.kind], range: toLsp(n.range), selectionRange: toLsp(n.selectionRange), children: n.children.map(toSymbol) };
}

/** The Check lens's title: `icons` for VS Code (codicons), plain text for other editors. */
export function checkTitle(s: RunSummary | undefined, icons: boolean): string {
  if (!s) return icons ? '$(play) Check' : 'Check';
  const errors = s.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701').length;
  const text = `Check: ${s.passed} passed, ${s.failed} failed${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''}`;
  return icons ? `$(${s.failed || errors ? 'error' : 'pass'}) ${text}` : `${text} (Linux ${s.kernel})`;
}

function optionsFrom(init: InitOptions, s: Settings | undefined): { opts: EditorRunOptions; updateDelay: number } {
  const kernel = s?.kernel?.defaultVersion || init.kernel;
  const delay = typeof s?.updateDelay === 'number' ? s.updateDelay : init.updateDelay;
  const pos = (v: unknown) => (typeof v === 'number' && v > 0 ? v : undefined);
  const l = s?.limits ?? init.limits;
  const limits = l ? { maxPagesPerObject: pos(l.maxPagesPerObject), maxEvents: pos(l.maxEvents), maxRunMs: pos(l.maxRunMs) } : undefined;
  return { opts: { defaultKernel: typeof kernel === 'string' ? kernel : undefined, ...(limits ? { limits } : {}) }, updateDelay: Math.max(0, typeof delay === 'number' ? delay : 300) };
}

/** A new run's counts reach the lens this long after the last run (ms), when the client has not asked for lenses by then. */
export const LENS_REFRESH_QUIET_MS = 300;

/**
 * Serves one connection until the client exits; runs happen on `backend`. `yieldNow` lets
 * pending messages in (the warm-up runs one scenario per turn).
 */
export function serve(connection: Connection, backend: Backend, yieldNow: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))): void {
  const documents = new TextDocuments(TextDocument);
  let init: InitOptions = {};
  let settings = optionsFrom({}, undefined);
  const checks = new Map<string, { version: number; result: CheckResult }>();
  /** the lens title each document showed last (a new run refreshes the lenses only when it changes) */
  const shown = new Map<string, string>();

  /** when each document last changed (Date.now()), and its pending lens refresh (see didRun) */
  const lastChange = new Map<string, number>();
  const lensTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Asks the client for the lenses again after `delay` ms (0: now; a pending refresh is replaced), if they still show other counts than the latest run's. */
  const refreshLens = (uri: string, delay: number) => {
    clearTimeout(lensTimers.get(uri));
    lensTimers.delete(uri);
    const send = () => {
      lensTimers.delete(uri);
      const r = runs.latest(uri);
      if (r && documents.get(uri) && shown.get(uri) !== checkTitle(r.summary, !!init.vscode)) void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    };
    if (delay > 0) lensTimers.set(uri, setTimeout(send, delay)); else send();
  };

  const runs = new DocumentRuns(backend, (uri) => documents.get(uri), () => settings, {
    didRun(r) {
      // VS Code's client takes the diagnostics from mmscope/didRun, with the rest of the run
      // (one message, set at once); any other client gets them the standard way
      if (init.vscode) void connection.sendNotification(DidRun, { uri: r.uri, version: r.version, runId: r.runId, opts: r.opts, summary: r.summary } satisfies DidRunParams);
      else void connection.sendDiagnostics({ uri: r.uri, version: r.version, diagnostics: r.summary.diagnostics.map((d) => toLspDiagnostic(d, r.uri)) });
      stats.diagnosticsPublished++;
      // The lens shows the run's counts. The client asks for lenses again by itself a while
      // after an edit (VS Code: at least 250 ms after typing pauses), and then gets this run's;
      // a refresh is needed only when no such request comes, so it waits for typing to pause:
      // a refresh per keystroke had the client ask for lenses and re-lay the editor on each.
      if (shown.get(r.uri) === checkTitle(r.summary, !!init.vscode)) return;
      refreshLens(r.uri, Date.now() - (lastChange.get(r.uri) ?? 0) >= LENS_REFRESH_QUIET_MS ? 0 : LENS_REFRESH_QUIET_MS);
    },
    didStart(uri, big) { if (init.vscode && big) void connection.sendNotification(DidStart, { uri, big } satisfies DidStartParams); },
  });

  function checked(doc: TextDocument): CheckResult {
    const c = checks.get(doc.uri);
    if (c && c.version === doc.version) return c.result;
    const result = check(parse(doc.getText()).scenario, settings.opts);
    checks.set(doc.uri, { version: doc.version, result });
    return result;
  }

  connection.onInitialize((params) => {
    const o = (params.initializationOptions ?? {}) as InitOptions;
    init = {
      kernel: typeof o.kernel === 'string' ? o.kernel : undefined, updateDelay: typeof o.updateDelay === 'number' ? o.updateDelay : undefined,
      limits: typeof o.limits === 'object' && o.limits ? o.limits : undefined, vscode: o.vscode === true, stats: o.stats === true,
    };
    settings = optionsFrom(init, undefined);
    stats.enabled = !!init.stats;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', '!', ':'], resolveProvider: true },
        definitionProvider: true, referencesProvider: true, documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentFormattingProvider: true, documentSymbolProvider: true, codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'mmscope', version: '0.1.0' },
    };
  });
  connection.onDidChangeConfiguration((p) => {
    const s = (p.settings as { mmscope?: Settings } | undefined)?.mmscope;
    if (!s) return;
    const next = optionsFrom(init, s);
    // the client also sends its settings once at start: only a change runs the documents again
    if (JSON.stringify(next) === JSON.stringify(settings)) return;
    settings = next;
    checks.clear();
    runs.rerunAll(documents.keys());
  });

  // TextDocuments fires onDidChangeContent right after onDidOpen for the opened text: that one is not a change
  let opening: string | undefined;
  documents.onDidOpen((e) => { opening = e.document.uri; runs.opened(e.document.uri); });
  documents.onDidChangeContent((e) => {
    if (opening === e.document.uri) { opening = undefined; return; }
    lastChange.set(e.document.uri, Date.now());
    runs.changed(e.document.uri);
  });
  documents.onDidClose((e) => {
    runs.closed(e.document.uri);
    checks.delete(e.document.uri);
    shown.delete(e.document.uri);
    clearTimeout(lensTimers.get(e.document.uri));
    lensTimers.delete(e.document.uri);
    lastChange.delete(e.document.uri);
    if (!init.vscode) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover(async (p): Promise<Hover | undefined> => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return undefined;
    const line = doc.getText({ start: { line: p.position.line, character: 0 }, end: { line: p.position.line + 1, character: 0 } });
    const hash = line.indexOf('#');
    if (!line.trim() || (hash >= 0 && p.position.character >= hash)) return undefined;
    let md: string | 'stale' | undefined = 'stale';
    // a newer run may replace the one asked about in between: ask about the newest once more
    for (let tries = 0; md === 'stale' && tries < 2; tries++) {
      const r = await runs.current(doc.uri);
      if (!r) return undefined;
      md = await backend.hover(doc.uri, r.runId, p.position.line, p.position.character);
    }
    return md && md !== 'stale' ? { contents: { kind: MarkupKind.Markdown, value: md } } : undefined;
  });

  // The documentation of the last completion list, sent only for the item the editor shows
  // (completionItem/resolve): a keystroke's list then carries labels, not every keyword's doc.
  let completionList = 0;
  let completionDocs: (string | undefined)[] = [];
  connection.onCompletion((p): CompletionItem[] => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const lineText = doc.getText({ start: { line: p.position.line, character: 0 }, end: { line: p.position.line, character: Number.MAX_SAFE_INTEGER } }).replace(/\r?\n$/, '');
    const entries = completionsAt(lineText, p.position.character, checked(doc));
    const list = ++completionList;
    completionDocs = entries.map((e) => e.documentation);
    return entries.map((e, i) => ({
      label: e.label, kind: COMPLETION_KIND[e.kind], detail: e.detail, insertText: e.insertText,
      sortText: String(i).padStart(4, '0'), data: [list, i],
    }));
  });
  connection.onCompletionResolve((item): CompletionItem => {
    const [list, i] = Array.isArray(item.data) ? item.data as [unknown, unknown] : [];
    const md = list === completionList && typeof i === 'number' ? completionDocs[i] : undefined;
    return md ? { ...item, documentation: { kind: MarkupKind.Markdown, value: md } } : item;
  });

  const symbolAt = (uri: string, line: number, character: number) => {
    const doc = documents.get(uri);
    return doc ? { doc, sym: checked(doc).symbolAt(line, character) } : undefined;
  };
  connection.onDefinition((p) => {
    const s = symbolAt(p.textDocument.uri, p.position.line, p.position.character);
    return s?.sym ? Location.create(p.textDocument.uri, toLsp(s.sym.decl)) : null;
  });
  connection.onReferences((p) => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    return referencesAt(checked(doc), p.position.line, p.position.character, p.context.includeDeclaration).map((r) => Location.create(doc.uri, toLsp(r)));
  });
  connection.onDocumentHighlight((p): DocumentHighlight[] => {
    const s = symbolAt(p.textDocument.uri, p.position.line, p.position.character)?.sym;
    if (!s) return [];
    return [{ range: toLsp(s.decl), kind: DocumentHighlightKind.Write }, ...s.refs.map((r) => ({ range: toLsp(r), kind: DocumentHighlightKind.Read }))];
  });
  connection.onPrepareRename((p) => {
    const s = symbolAt(p.textDocument.uri, p.position.line, p.position.character)?.sym;
    if (!s) return null;
    const at = [s.decl, ...s.refs].find((r) => r.start.line === p.position.line && r.start.character <= p.position.character && p.position.character <= r.end.character);
    return { range: toLsp(at ?? s.decl), placeholder: s.name };
  });
  connection.onRenameRequest((p): WorkspaceEdit | null => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return null;
    const r = renameAt(checked(doc), p.position.line, p.position.character, p.newName);
    if (!r.ok) throw new Error(r.message);
    return { changes: { [doc.uri]: r.ranges.map((range) => TextEdit.replace(toLsp(range), p.newName)) } };
  });
  connection.onDocumentFormatting((p): TextEdit[] => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const text = doc.getText();
    const out = formatScenario(text);
    return out === text ? [] : [TextEdit.replace({ start: { line: 0, character: 0 }, end: doc.positionAt(text.length) }, out)];
  });
  connection.onDocumentSymbol((p): DocumentSymbol[] => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const lines = doc.getText().split(/\r?\n/);
    return documentOutline(checked(doc), (l) => lines[l]?.length ?? 0).map(toSymbol);
  });
  connection.onCodeLens((p): CodeLens[] => {
    const uri = p.textDocument.uri;
    const r = runs.latest(uri);
    if (!documents.get(uri) || (!r && !init.vscode)) return [];
    const title = checkTitle(r?.summary, !!init.vscode);
    shown.set(uri, title);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (!init.vscode) return [{ range, command: { title, command: '' } }];
    return [
      { range, command: { title, command: 'mmscope.check', arguments: [uri], tooltip: 'Run this scenario and check its expectations' } as CodeLens['command'] },
      { range, command: { title: '$(preview) Open Inspector', command: 'mmscope.openInspector', arguments: [uri], tooltip: 'Step through the run beside the source' } as CodeLens['command'] },
    ];
  });

  registerCustom(connection, runs, backend, () => settings.opts);
  let down = false;
  connection.onInitialized(() => { void warmUp(yieldNow, () => down); });
  connection.onShutdown(() => {
    down = true;
    lensTimers.forEach((t) => clearTimeout(t));
    lensTimers.clear();
    runs.dispose();
  });
  documents.listen(connection);
  connection.listen();
}
