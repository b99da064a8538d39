// The browser (web worker) extension host's entry point: the language server runs in a web
// worker of its own (dist/web/lsp.js; scenarios inline there), and "Run on a Real Kernel"
// says what it needs.
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/browser';
import { activateWith, clientOptions, type MmscopeApi } from './extension.shared';

/**
 * The server's worker. The web extension host refuses `new Worker` on a vscode-remote: URI
 * ("Creating workers from remote extensions is currently not supported": code-server serves
 * installed extensions so); the bundle is then read through the file system API and started
 * from a blob: URL of its text. Other schemes (a gallery's https:) start from the URI itself.
 */
async function serverWorker(extensionUri: vscode.Uri): Promise<Worker> {
  const main = vscode.Uri.joinPath(extensionUri, 'dist', 'web', 'lsp.js');
  if (main.scheme !== 'vscode-remote') return new Worker(main.toString(true));
  const text = await vscode.workspace.fs.readFile(main);
  return new Worker(URL.createObjectURL(new Blob([new TextDecoder().decode(text)], { type: 'text/javascript' })));
}

export async function activate(context: vscode.ExtensionContext): Promise<MmscopeApi> {
  const realKernel = vscode.commands.registerCommand('mmscope.runOnRealKernel', () =>
    void vscode.window.showInformationMessage('Running on a real kernel needs the desktop extension host (QEMU on this machine).'));
  const client = new LanguageClient('mmscope', 'MM Scope Language Server', clientOptions(), await serverWorker(context.extensionUri));
  return activateWith(context, client, [realKernel]);
}

export function deactivate(): void { /* disposables do the work */ }
