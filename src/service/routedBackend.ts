// The language server's node backend: each document runs where it costs least. A document
// whose runs are cheap and whose text is not big runs inline, on the server's thread
// (the server is its own process: a short run there blocks no editor, and it saves the two
// thread hops and the third thread to schedule that a worker run costs on every keystroke);
// a big document, or one whose runs are not cheap or not known yet, runs on its
// worker thread, where a long run can be cancelled. "Cheap" reads the cheaper of the last two
// runs (RunCost): one slow run moves nothing. The document's run, and so its hover
// and inspector answers, lives on the side that ran it last; moving drops the other side.

import type { Backend } from './backend';
import type { InspectorQuery } from '../views/inspectorService';
import { needsWorker, type EditorRunOptions } from '../views/summary';
import { RunCost } from './runCost';

/** Runs at most this long (ms; the cheaper of the last two) let the document's next run be inline. */
export const INLINE_RUN_MS = 15;

type Side = 'inline' | 'worker';

export class RoutedBackend implements Backend {
  /** where each key's last run happened, and what its runs cost */
  private readonly last = new Map<string, { side: Side; cost: RunCost }>();

  constructor(private readonly worker: Backend, private readonly inline: Backend) {}

  private on(side: Side): Backend { return side === 'inline' ? this.inline : this.worker; }

  /** Where `key`'s next run of `text` goes. */
  side(key: string, text: string): Side {
    const l = this.last.get(key);
    const ms = l?.cost.ms;
    return ms !== undefined && ms <= INLINE_RUN_MS && !needsWorker(text) ? 'inline' : 'worker';
  }

  async run(key: string, runId: number, text: string, opts: EditorRunOptions, o: { oneShot?: boolean } = {}) {
    if (o.oneShot) return this.worker.run(key, runId, text, opts, o);
    const side = this.side(key, text);
    const l = this.last.get(key) ?? { side, cost: new RunCost() };
    if (l.side !== side) this.on(l.side).forget(key);
    l.side = side;
    this.last.set(key, l);
    const summary = await this.on(side).run(key, runId, text, opts);
    // a run cancelled, or superseded by a run on the other side, says nothing about the cost
    if (summary && this.last.get(key) === l && l.side === side) l.cost.record(summary.ms);
    return summary;
  }

  private held(key: string): Backend { return this.on(this.last.get(key)?.side ?? 'worker'); }

  inspect(key: string, runId: number, query: InspectorQuery) { return this.held(key).inspect(key, runId, query); }
  hover(key: string, runId: number, line: number, character: number) { return this.held(key).hover(key, runId, line, character); }
  /** Parse + check: inline unless the text is big (the worker keeps the server's thread free). */
  staticInfo(key: string, text: string, opts: EditorRunOptions) {
    return (needsWorker(text) ? this.worker : this.inline).staticInfo(key, text, opts);
  }
  cancel(key: string): void { this.worker.cancel(key); this.inline.cancel(key); }
  forget(key: string): void { this.last.delete(key); this.worker.forget(key); this.inline.forget(key); }
  dispose(): void { this.last.clear(); this.worker.dispose(); this.inline.dispose(); }
}
