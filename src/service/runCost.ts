// A document's run cost as the run policies read it (where it runs: routedBackend.ts; when:
// src/lsp/documentRuns.ts): the cheaper of its last two runs. One slow run (a garbage
// collection, code the JIT had not compiled yet, a new worker's first run) is not a trend and
// moves nothing; two in a row are. Measured: in the editor latency test a single 30 ms inline run
// sent a cheap 200-line document to a new worker, whose cold first run then took 58 ms.

export class RunCost {
  private last: number | undefined;
  private before: number | undefined;

  /** A run of the document finished after `ms`. */
  record(ms: number): void { this.before = this.last; this.last = ms; }

  /** The cheaper of the last two runs (the only one after one run); undefined before any run. */
  get ms(): number | undefined {
    if (this.last === undefined) return undefined;
    return this.before === undefined ? this.last : Math.min(this.last, this.before);
  }
}
