// The language server's node entry point (dist/lsp.js): `mmscope lsp --stdio` calls
// startStdioServer(); the VS Code extension starts this file as a child process with
// `--node-ipc`, and it then serves that channel at once. A document whose runs are cheap runs
// inline; a big or slow one on a worker thread of its own (dist/worker.js, next to this
// bundle), so that a long run can be cancelled and never holds up the answers
// (routedBackend.ts); without that file (the tests' compiled sources) all run inline.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { createConnection, ProposedFeatures, type Connection } from 'vscode-languageserver/node';
import { InlineBackend, type Backend } from '../service/backend';
import { RoutedBackend } from '../service/routedBackend';
import { WorkerBackend } from '../service/workerBackend';
import { serve } from './server';

/** a turn of the event loop without a timer's minimum delay */
const yieldNow = () => new Promise<void>((r) => setImmediate(r));

function backend(): Backend {
  const worker = path.join(__dirname, 'worker.js');
  const inline = new InlineBackend(yieldNow);
  return fs.existsSync(worker) ? new RoutedBackend(new WorkerBackend(worker), inline) : inline;
}

export function startServer(connection: Connection): void { serve(connection, backend(), yieldNow); }

/** `mmscope lsp --stdio` */
export function startStdioServer(): void {
  startServer(createConnection(ProposedFeatures.all, process.stdin, process.stdout));
}

if (process.argv.includes('--node-ipc')) startServer(createConnection(ProposedFeatures.all));
