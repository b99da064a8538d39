// Wiring only: each provider and command lives in its own file (docs/architecture.md).
import * as vscode from 'vscode';
import { registerCodeLens } from './codelens';
import { registerCommands } from './commands';
import { registerCompletion } from './completion';
import { registerDefinition } from './definition';
import { DiagnosticsController } from './diagnostics';
import { registerFormatting } from './formatting';
import { registerHover } from './hover';
import { registerInspectorOrStubs } from './inspectorLoader';
import { registerRealKernel } from './realKernel';
import { registerRename } from './rename';
import { ScenarioRunner } from './runner';
import { startStats } from './stats';
import { registerSymbols } from './symbols';
import { ScenarioTests } from './testing';

/** What activate() returns (used by the extension-host tests). */
export interface MmscopeApi { readonly tests: ScenarioTests }

export function activate(context: vscode.ExtensionContext): MmscopeApi {
  const runner = new ScenarioRunner(context.extensionUri);
  const diagnostics = new DiagnosticsController(runner);
  const output = vscode.window.createOutputChannel('MM Scope');
  const tests = new ScenarioTests(runner, diagnostics);
  context.subscriptions.push(
    runner, diagnostics, output, startStats(),
    registerHover(runner),
    registerCompletion(runner),
    registerSymbols(runner),
    ...registerDefinition(runner),
    registerRename(runner),
    registerFormatting(),
    ...registerCodeLens(diagnostics),
    tests,
    ...registerCommands(context, runner, diagnostics, output),
    ...registerInspectorOrStubs(context, runner),
    ...registerRealKernel(context),
  );
  return { tests };
}

export function deactivate(): void { /* disposables do the work */ }
