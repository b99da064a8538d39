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

export function activate(context: vscode.ExtensionContext): void {
  const runner = new ScenarioRunner(context.extensionUri);
  const diagnostics = new DiagnosticsController(runner);
  const output = vscode.window.createOutputChannel('MM Scope');
  context.subscriptions.push(
    runner, diagnostics, output, startStats(),
    registerHover(runner),
    registerCompletion(runner),
    registerSymbols(runner),
    ...registerDefinition(runner),
    registerRename(runner),
    registerFormatting(),
    ...registerCodeLens(diagnostics),
    new ScenarioTests(runner, diagnostics),
    ...registerCommands(context, runner, diagnostics, output),
    ...registerInspectorOrStubs(context, runner),
    ...registerRealKernel(context),
  );
}

export function deactivate(): void { /* disposables do the work */ }
