// The language server's browser entry point (dist/web/lsp.js): the web extension starts it
// in a web worker. No threads of its own there, so scenarios run inline, after a yield.

import { BrowserMessageReader, BrowserMessageWriter, createConnection } from 'vscode-languageserver/browser';
import { InlineBackend } from '../service/backend';
import { serve } from './server';

// the worker's global scope: a message port like a Worker's (DOM typings, no WebWorker lib here)
const port = self as unknown as Worker;
serve(createConnection(new BrowserMessageReader(port), new BrowserMessageWriter(port)), new InlineBackend());
