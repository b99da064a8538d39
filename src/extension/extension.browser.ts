// The browser (web worker) extension host's entry point: no threads and no processes, so
// scenarios run inline (after a yield) and "Run on a Real Kernel" says what it needs.
import * as vscode from 'vscode';
import { InlineBackend } from './backend';
import { activateWith, type MmscopeApi } from './extension.shared';

export function activate(context: vscode.ExtensionContext): MmscopeApi {
  const realKernel = vscode.commands.registerCommand('mmscope.runOnRealKernel', () =>
    void vscode.window.showInformationMessage('Running on a real kernel needs the desktop extension host (QEMU on this machine).'));
  return activateWith(context, new InlineBackend(), [realKernel]);
}

export function deactivate(): void { /* disposables do the work */ }
