// A document's scenario service on a worker thread of the language server (dist/worker.js):
// requests are answered in order (src/service/protocol.ts). A run the server no longer wants
// is stopped by terminating the worker, so this loop never looks at the clock.

import { parentPort } from 'node:worker_threads';
import type { ServiceRequest } from './protocol';
import { ScenarioService } from './scenarioService';

if (parentPort) {
  const port = parentPort;
  const service = new ScenarioService();
  port.on('message', (req: ServiceRequest) => port.postMessage(service.handle(req)));
}
