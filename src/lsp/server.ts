// `mmscope lsp --stdio`: the language server for Neovim, Emacs (eglot) and any LSP client,
// from the same language, scenario and views code the VS Code extension uses: diagnostics
// (parse, check, run, failing expectations), hover with the kernel path, completion,
// definition, references, highlights, rename, formatting, document symbols and a Check lens.
// A document runs once per version, at once while its runs are cheap; a big one (needsWorker)
// or a slow one waits `updateDelay` ms after the last change. Runs happen in this process (it
// serves nothing else), on the scenario service that keeps the run for hover.

import {
  CodeLens, CompletionItem, CompletionItemKind, createConnection, Diagnostic as LspDiagnostic, DiagnosticSeverity,
  DocumentHighlight, DocumentHighlightKind, DocumentSymbol, Hover, Location, MarkupKind, ProposedFeatures,
  Range as LspRange, SymbolKind, TextDocumentSyncKind, TextDocuments, TextEdit, WorkspaceEdit, type Connection,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Range } from '../language/ast';
import { check, type CheckResult } from '../language/checker';
import { completionsAt, type CompletionKind } from '../language/completion';
import type { Diagnostic } from '../language/diagnostics';
import { formatScenario } from '../language/formatting';
import { parse } from '../language/parser';
import { documentOutline, referencesAt, renameAt, type OutlineNode } from '../language/symbols';
import { ScenarioService } from '../service/scenarioService';
import { needsWorker, type EditorRunOptions, type RunSummary } from '../views/summary';

/** A run this long or longer makes its document wait for typing to pause (ms). */
const SLOW_RUN_MS = 50;

export interface ServerOptions { /** kernel release when a scenario has no `kernel` line */ kernel?: string; updateDelay?: number }

const SEVERITY = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };
const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  keyword: CompletionItemKind.Keyword, process: CompletionItemKind.Class, object: CompletionItemKind.File,
  label: CompletionItemKind.Variable, flag: CompletionItemKind.EnumMember, value: CompletionItemKind.Value,
};
const SYMBOL_KIND = { process: SymbolKind.Class, object: SymbolKind.File, label: SymbolKind.Variable };

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

interface DocRun { version: number; runId: number; summary: RunSummary }

/** Serves one connection until the client exits. */
export function serve(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let options: ServerOptions = {};
  const services = new Map<string, ScenarioService>();
  const runs = new Map<string, DocRun>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const checks = new Map<string, { version: number; result: CheckResult }>();
  let nextRunId = 1, nextId = 1;

  const runOptions = (): EditorRunOptions => ({ defaultKernel: options.kernel });
  const service = (uri: string) => { let s = services.get(uri); if (!s) { s = new ScenarioService(); services.set(uri, s); } return s; };

  function checked(doc: TextDocument): CheckResult {
    const c = checks.get(doc.uri);
    if (c && c.version === doc.version) return c.result;
    const result = check(parse(doc.getText()).scenario, { defaultKernel: options.kernel });
    checks.set(doc.uri, { version: doc.version, result });
    return result;
  }

  /** Runs the document's current version now and publishes its diagnostics. */
  function runNow(doc: TextDocument): DocRun | undefined {
    const runId = nextRunId++;
    const reply = service(doc.uri).handle({ type: 'run', id: nextId++, runId, text: doc.getText(), opts: runOptions() });
    if (reply.type !== 'run') {
      connection.console.error(`mmscope: ${doc.uri}: ${reply.type === 'error' ? reply.error : reply.type}`);
      return undefined;
    }
    const r: DocRun = { version: doc.version, runId, summary: reply.summary };
    runs.set(doc.uri, r);
    void connection.sendDiagnostics({ uri: doc.uri, version: doc.version, diagnostics: r.summary.diagnostics.map((d) => toLspDiagnostic(d, doc.uri)) });
    void connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
    return r;
  }

  /** After a change: at once (after this turn, so a burst of changes runs once) or, for a big or slow document, after a pause. */
  function schedule(doc: TextDocument): void {
    clearTimeout(timers.get(doc.uri));
    const slow = (runs.get(doc.uri)?.summary.ms ?? 0) >= SLOW_RUN_MS || needsWorker(doc.getText());
    timers.set(doc.uri, setTimeout(() => {
      timers.delete(doc.uri);
      const current = documents.get(doc.uri);
      if (current && runs.get(current.uri)?.version !== current.version) runNow(current);
    }, slow ? options.updateDelay ?? 300 : 0));
  }

  /** The run of the document's current version (running it now if needed). */
  function current(doc: TextDocument): DocRun | undefined {
    const r = runs.get(doc.uri);
    if (r && r.version === doc.version) return r;
    clearTimeout(timers.get(doc.uri));
    timers.delete(doc.uri);
    return runNow(doc);
  }

  connection.onInitialize((params) => {
    const init = (params.initializationOptions ?? {}) as ServerOptions;
    options = { kernel: typeof init.kernel === 'string' ? init.kernel : undefined, updateDelay: typeof init.updateDelay === 'number' ? init.updateDelay : undefined };
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' ', '!', ':'] },
        definitionProvider: true, referencesProvider: true, documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentFormattingProvider: true, documentSymbolProvider: true, codeLensProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'mmscope', version: '0.1.0' },
    };
  });

  documents.onDidOpen((e) => schedule(e.document));
  documents.onDidChangeContent((e) => schedule(e.document));
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    for (const m of [timers, runs, services, checks]) m.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  connection.onHover((p): Hover | undefined => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return undefined;
    const line = doc.getText({ start: { line: p.position.line, character: 0 }, end: { line: p.position.line + 1, character: 0 } });
    const hash = line.indexOf('#');
    if (!line.trim() || (hash >= 0 && p.position.character >= hash)) return undefined;
    const r = current(doc);
    if (!r) return undefined;
    const reply = service(doc.uri).handle({ type: 'hover', id: nextId++, runId: r.runId, line: p.position.line, character: p.position.character });
    return reply.type === 'hover' && reply.markdown ? { contents: { kind: MarkupKind.Markdown, value: reply.markdown } } : undefined;
  });

  connection.onCompletion((p): CompletionItem[] => {
    const doc = documents.get(p.textDocument.uri);
    if (!doc) return [];
    const lineText = doc.getText({ start: { line: p.position.line, character: 0 }, end: { line: p.position.line, character: Number.MAX_SAFE_INTEGER } }).replace(/\r?\n$/, '');
    return completionsAt(lineText, p.position.character, checked(doc)).map((e, i) => ({
      label: e.label, kind: COMPLETION_KIND[e.kind], detail: e.detail, insertText: e.insertText,
      documentation: e.documentation ? { kind: MarkupKind.Markdown, value: e.documentation } : undefined,
      sortText: String(i).padStart(4, '0'),
    }));
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
    const doc = documents.get(p.textDocument.uri);
    const r = doc ? runs.get(doc.uri) : undefined;
    if (!doc || !r) return [];
    const s = r.summary;
    const errors = s.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701').length;
    const title = `Check: ${s.passed} passed, ${s.failed} failed${errors ? `, ${errors} error${errors === 1 ? '' : 's'}` : ''} (Linux ${s.kernel})`;
    return [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, command: { title, command: '' } }];
  });

  documents.listen(connection);
  connection.listen();
}

/** `mmscope lsp --stdio` */
export function startStdioServer(): void {
  serve(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}
