// Where scenarios run for the language server (src/lsp/): a backend serves each document
// key's scenario service (src/service/scenarioService.ts). The server's node entry point uses
// worker threads (workerBackend.ts), its browser one (a web worker) runs the same service
// inline after a yield. No editor's extension host runs a scenario.

import type { ServiceReply, ServiceRequest } from './protocol';
import { ScenarioService } from './scenarioService';
import type { InspectorAnswer, InspectorQuery } from '../views/inspectorService';
import type { EditorRunOptions, RunSummary, StaticInfo } from '../views/summary';
import { stats } from './stats';

/** Request without the id the backend assigns. */
type Req = ServiceRequest extends infer R ? R extends { id: number } ? Omit<R, 'id'> : never : never;

export interface Backend {
  /** Runs `text` as run `runId` of `key`; undefined when the run was cancelled. */
  run(key: string, runId: number, text: string, opts: EditorRunOptions, o?: { oneShot?: boolean }): Promise<RunSummary | undefined>;
  /** A question about run `runId` of `key`: 'stale' when the key's service holds another run. */
  inspect(key: string, runId: number, query: InspectorQuery): Promise<InspectorAnswer | 'stale' | undefined>;
  hover(key: string, runId: number, line: number, character: number): Promise<string | 'stale' | undefined>;
  /** Parse + check only (Testing items and outline), off the host's thread for big documents. */
  staticInfo(key: string, text: string, opts: EditorRunOptions): Promise<StaticInfo | undefined>;
  /** Stops the run in flight for `key`, if any (its promise resolves undefined). */
  cancel(key: string): void;
  /** Drops everything held for `key`. */
  forget(key: string): void;
  dispose(): void;
}

/** Turns a service reply into what the Backend's callers want. */
export const fromReply = {
  run: (r: ServiceReply | undefined): RunSummary | undefined => (r?.type === 'run' ? r.summary : undefined),
  inspect: (r: ServiceReply | undefined): InspectorAnswer | 'stale' | undefined =>
    !r ? undefined : r.type === 'stale' ? 'stale' : r.type === 'error' ? { q: 'none', reason: r.error } : r.type === 'inspect' ? r.answer : undefined,
  hover: (r: ServiceReply | undefined): string | 'stale' | undefined =>
    r?.type === 'stale' ? 'stale' : r?.type === 'hover' ? r.markdown : undefined,
  static: (r: ServiceReply | undefined): StaticInfo | undefined => (r?.type === 'static' ? r.info : undefined),
};

/**
 * The service runs inline, after a yield (so that a change that came meanwhile can cancel
 * it): the browser's server, which has no threads of its own, and the node server's
 * documents whose runs are cheap (routedBackend.ts). `yieldNow`: the yield (node passes
 * setImmediate, which does not wait for a timer's minimum delay).
 */
export class InlineBackend implements Backend {
  private readonly services = new Map<string, ScenarioService>();
  private nextId = 1;
  private readonly cancelled = new Set<string>();

  constructor(private readonly yieldNow: () => Promise<void> = () => new Promise((r) => setTimeout(r, 0))) {}

  private async ask(key: string, req: Req): Promise<ServiceReply | undefined> {
    this.cancelled.delete(key);
    await this.yieldNow();
    if (this.cancelled.has(key)) return undefined;
    let s = this.services.get(key);
    if (!s) { s = new ScenarioService(); this.services.set(key, s); }
    const t0 = Date.now();
    const reply = s.handle({ ...req, id: this.nextId++ } as ServiceRequest);
    if (req.type === 'run') stats.recordInlineRun(Date.now() - t0);
    return reply;
  }
  async run(key: string, runId: number, text: string, opts: EditorRunOptions, o: { oneShot?: boolean } = {}) {
    const r = fromReply.run(await this.ask(key, { type: 'run', runId, text, opts }));
    if (o.oneShot) this.forget(key);
    return r;
  }
  async inspect(key: string, runId: number, query: InspectorQuery) { return fromReply.inspect(await this.ask(key, { type: 'inspect', runId, query })); }
  async hover(key: string, runId: number, line: number, character: number) { return fromReply.hover(await this.ask(key, { type: 'hover', runId, line, character })); }
  async staticInfo(key: string, text: string, opts: EditorRunOptions) { return fromReply.static(await this.ask(`static:${key}`, { type: 'static', text, opts })); }
  cancel(key: string): void { this.cancelled.add(key); }
  forget(key: string): void { this.services.delete(key); this.services.delete(`static:${key}`); }
  dispose(): void { this.services.clear(); }
}
