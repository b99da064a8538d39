// Wiring only, for both entry points (extension.node.ts, extension.browser.ts): each
// provider and command lives in its own file (docs/architecture.md). One DocumentRuns runs
// each document once per version and feeds diagnostics, Testing, CodeLens, hover and the
// inspector; the entry point chooses where runs happen (the backend).
import * as vscode from 'vscode';
import type { Backend } from './backend';
import { registerCodeLens } from './codelens';
import { registerCommands } from './commands';
import { registerCompletion } from './completion';
import { registerDefinition } from './definition';
import { Diagnostics } from './diagnostics';
import { DocumentChecks } from './documentChecks';
import { DocumentRuns } from './documentRuns';
import { registerFormatting } from './formatting';
import { registerHover } from './hover';
import { registerInspector } from './inspectorPanel';
import { registerRename } from './rename';
import { startStats } from './stats';
import { registerSymbols } from './symbols';
import { ScenarioTests } from './testing';

/** What activate() returns (used by the extension-host tests). */
export interface MmscopeApi { readonly tests: ScenarioTests }

export function activateWith(context: vscode.ExtensionContext, backend: Backend, platform: vscode.Disposable[]): MmscopeApi {
  const runs = new DocumentRuns(backend);
  const checks = new DocumentChecks(backend);
  const diagnostics = new Diagnostics(runs);
  const output = vscode.window.createOutputChannel('MM Scope');
  const tests = new ScenarioTests(runs, checks, backend);
  context.subscriptions.push(
    { dispose: () => backend.dispose() }, runs, checks, diagnostics, output, startStats(),
    registerHover(runs),
    registerCompletion(checks),
    registerSymbols(checks),
    ...registerDefinition(checks),
    registerRename(checks),
    registerFormatting(),
    ...registerCodeLens(runs),
    tests,
    ...registerCommands(context, runs, diagnostics, output),
    ...registerInspector(context, runs),
    ...platform,
  );
  return { tests };
}
