// The browser (web worker) extension host's entry point: the language server runs in a web
// worker of its own (dist/web/lsp.js; scenarios inline there), and "Run on a Real Kernel"
// says what it needs.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateWith, clientOptions, type MmscopeApi } from './extension.shared';

export function activate(context: vscode.ExtensionContext): Promise<MmscopeApi> {
  const realKernel = vscode.commands.registerCommand('mmscope.runOnRealKernel', () =>
    void vscode.window.showInformationMessage('Running on a real kernel needs the desktop extension host (QEMU on this machine).'));
  const worker = new Worker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'web', 'lsp.js').toString(true));
  const client = new LanguageClient('mmscope', 'MM Scope', clientOptions(), worker);
  return activateWith(context, client, [realKernel]);
}

export function deactivate(): void { /* disposables do the work */ }
