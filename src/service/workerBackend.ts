// The language server's node backend: one worker thread (dist/worker.js) per document key,
// kept alive between runs so that the inspector's and the hover's questions are answered
// from the run it holds. Cancelling a run terminates its worker; the next request starts a
// fresh one (about 90 ms cold), so DocumentRuns cancels only runs of big documents.

import { Worker } from 'node:worker_threads';
import type { ServiceReply, ServiceRequest } from './protocol';
import type { InspectorQuery } from '../views/inspectorService';
import type { EditorRunOptions } from '../views/summary';
import { fromReply, type Backend } from './backend';
import { stats } from './stats';

type Req = ServiceRequest extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never;

class DocWorker {
  readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: ServiceReply | undefined) => void; run: boolean }>();
  constructor(file: string, onGone: () => void) {
    this.worker = new Worker(file);
    stats.workersStarted++;
    this.worker.on('message', (m: ServiceReply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      p.resolve(m);
    });
    const fail = () => { onGone(); this.drop(); };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }
  /** whether a run is in flight */
  get running(): boolean { for (const p of this.pending.values()) if (p.run) return true; return false; }
  get idle(): boolean { return this.pending.size === 0; }
  request(req: ServiceRequest): Promise<ServiceReply | undefined> {
    return new Promise((resolve) => {
      this.pending.set(req.id, { resolve, run: req.type === 'run' });
      this.worker.postMessage(req);
    });
  }
  drop(): void {
    for (const p of this.pending.values()) p.resolve(undefined);
    this.pending.clear();
  }
  terminate(): void { this.drop(); void this.worker.terminate(); }
}

export class WorkerBackend implements Backend {
  private readonly workers = new Map<string, DocWorker>();
  private nextId = 1;
  constructor(private readonly workerFile: string) {}

  private worker(key: string): DocWorker {
    let w = this.workers.get(key);
    if (!w) {
      const created: DocWorker = new DocWorker(this.workerFile, () => { if (this.workers.get(key) === created) this.workers.delete(key); });
      w = created;
      this.workers.set(key, w);
    }
    return w;
  }
  private ask(key: string, req: Req): Promise<ServiceReply | undefined> {
    return this.worker(key).request({ ...req, id: this.nextId++ } as ServiceRequest);
  }

  async run(key: string, runId: number, text: string, opts: EditorRunOptions, o: { oneShot?: boolean } = {}) {
    const w = this.worker(key);
    const reply = await this.ask(key, { type: 'run', runId, text, opts });
    if (o.oneShot && this.workers.get(key) === w && w.idle) this.forget(key);
    const summary = fromReply.run(reply);
    if (summary) stats.recordWorkerRun(summary.ms);
    return summary;
  }
  async inspect(key: string, runId: number, query: InspectorQuery) {
    if (!this.workers.has(key)) return 'stale' as const; // its run is gone with its worker
    return fromReply.inspect(await this.ask(key, { type: 'inspect', runId, query }));
  }
  async hover(key: string, runId: number, line: number, character: number) {
    if (!this.workers.has(key)) return 'stale' as const;
    return fromReply.hover(await this.ask(key, { type: 'hover', runId, line, character }));
  }
  /** On a short-lived worker of its own: the document's worker may be busy with a long run. */
  async staticInfo(key: string, text: string, opts: EditorRunOptions) {
    const skey = `static:${key}`;
    this.cancel(skey);
    const w = this.worker(skey);
    const reply = await this.ask(skey, { type: 'static', text, opts });
    if (this.workers.get(skey) === w && w.idle) this.forget(skey);
    return fromReply.static(reply);
  }
  cancel(key: string): void {
    const w = this.workers.get(key);
    if (w?.running) { this.workers.delete(key); w.terminate(); }
  }
  forget(key: string): void {
    for (const k of [key, `static:${key}`]) {
      const w = this.workers.get(k);
      if (w) { this.workers.delete(k); w.terminate(); }
    }
  }
  dispose(): void { for (const k of [...this.workers.keys()]) this.forget(k); }
}
