// The desktop (node) extension host's entry point: scenarios run on worker threads, and
// "Run on a Real Kernel" starts the CLI's QEMU oracle.
import * as vscode from 'vscode';
import { activateWith, type MmscopeApi } from './extension.shared';
import { registerRealKernel } from './realKernel';
import { WorkerBackend } from './workerBackend';

export type { MmscopeApi };

export function activate(context: vscode.ExtensionContext): MmscopeApi {
  const backend = new WorkerBackend(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath);
  return activateWith(context, backend, registerRealKernel(context));
}

export function deactivate(): void { /* disposables do the work */ }
