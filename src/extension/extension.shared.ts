// Wiring only, for both entry points (extension.node.ts, extension.browser.ts). The language
// features (hover, completion, definition, references, rename, formatting, symbols, the
// Check lens) and the one run per document version come from the language server (src/lsp/),
// through vscode-languageclient; the diagnostics come with each run's mmscope/didRun and
// ServerRuns sets them (serverRuns.ts); the entry point says where the server
// runs (a node child process, a web worker). What only VS Code has (the Testing view, the
// inspector panel, the commands) asks the server the custom requests of src/lsp/protocol.ts.
import * as vscode from 'vscode';
import type { BaseLanguageClient, LanguageClientOptions } from 'vscode-languageclient';
import type { InitOptions } from '../lsp/protocol';
import { registerCommands } from './commands';
import { registerInspector } from './inspectorPanel';
import { ServerRuns } from './serverRuns';
import { readSettings } from './settings';
import { startStats, statsFile } from './stats';
import { ScenarioTests } from './testing';

/** What activate() returns (used by the extension-host tests). */
export interface MmscopeApi { readonly tests: ScenarioTests }

/** The client's options, the same for both entry points. */
export function clientOptions(): LanguageClientOptions {
  const s = readSettings();
  const init: InitOptions = { kernel: s.defaultKernel, updateDelay: s.updateDelay, limits: s.limits, vscode: true, stats: !!statsFile() };
  return {
    documentSelector: [{ language: 'mmscope' }],
    synchronize: { configurationSection: 'mmscope' },
    initializationOptions: init,
    middleware: {
      // the server's lens commands name their document by its URI string; the commands take a Uri
      async provideCodeLenses(doc, token, next) {
        const lenses = await next(doc, token);
        for (const l of lenses ?? []) if (l.command?.arguments) l.command.arguments = l.command.arguments.map((a: unknown) => (typeof a === 'string' ? vscode.Uri.parse(a, true) : a));
        return lenses;
      },
    },
  };
}

export function activateWith(context: vscode.ExtensionContext, client: BaseLanguageClient, platform: vscode.Disposable[]): MmscopeApi {
  const runs = new ServerRuns(client);
  const output = vscode.window.createOutputChannel('MM Scope');
  const tests = new ScenarioTests(runs);
  context.subscriptions.push(
    { dispose: () => void client.stop() }, runs, output, startStats(client),
    tests,
    ...registerCommands(context, runs, output),
    ...registerInspector(context, runs),
    ...platform,
  );
  // not awaited: activation (and a command that waits for it) does not wait for the server to
  // start; requests to it wait for the start themselves (BaseLanguageClient.sendRequest)
  client.start().catch((e: unknown) => output.appendLine(`The language server did not start: ${(e as Error).message}`));
  return { tests };
}
