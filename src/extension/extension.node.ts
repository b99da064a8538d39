// The desktop (node) extension host's entry point: the language server is a node child
// process (dist/lsp.js over IPC; it runs scenarios on worker threads), and "Run on a Real
// Kernel" starts the CLI's QEMU oracle.
import * as vscode from 'vscode';
import { LanguageClient, TransportKind } from 'vscode-languageclient/node';
import { activateWith, clientOptions, type MmscopeApi } from './extension.shared';
import { registerRealKernel } from './realKernel';

export type { MmscopeApi };

export function activate(context: vscode.ExtensionContext): MmscopeApi {
  const module = vscode.Uri.joinPath(context.extensionUri, 'dist', 'lsp.js').fsPath;
  const server = { module, transport: TransportKind.ipc };
  const client = new LanguageClient('mmscope', 'MM Scope Language Server', { run: server, debug: server }, clientOptions());
  return activateWith(context, client, registerRealKernel(context));
}

export function deactivate(): void { /* disposables do the work */ }
