// Time travel over a finished run: the state (PTEs of every process, folio fields, VMAs)
// as it was at the end of any step, rebuilt from checkpoints plus the recorded deltas.
//
// The trace records every PTE change with its before and after value and every traced
// folio field change, so the state after step s is the initial (empty) state with the
// deltas of steps 0..s applied. TraceIndex keeps a working state (the "cursor") and full
// snapshots of it every `checkpointEvents` events (taken on a first pass); a seek goes
// forward from the cursor, or restores the nearest checkpoint at or before the target and
// goes forward from there, so a seek costs at most one checkpoint interval of replay.
//
// Folio state covers what the trace records: PG_* flags, mapping, index and whether the
// folio is in a page cache (with the flags and index it entered with). Transient bits the
// engine flips without a record (PG_locked inside a fault, PG_readahead marks set by
// readahead after insertion), mapcount/refcount, and frees are not reconstructed.

import type { RunResult } from './run';
import { TraceCursor, type TraceRecorder, type VmaSnapshot } from './trace';

const TABLE_PAGES = 512;
const TABLE_SPAN = TABLE_PAGES * 4096;

interface Table { flags: Uint32Array; pfn: Uint32Array; used: number }
/** pid → table number (addr / 2 MiB) → table */
type PteState = Map<number, Map<number, Table>>;

interface FolioState { flags: Uint16Array; mapping: Int32Array; index: Float64Array; cached: Int32Array }

interface Checkpoint { step: number; events: number; ptes: PteState; folios: FolioState }

/** One PTE at a step. */
export interface PteAt { pid: number; addr: number; flags: number; pfn: number }
/** One folio's traced fields at a step. */
export interface FolioAt { pfn: number; flags: number; mapping: number; index: number; cached: number }
/** Which PTEs `ptesAt` lists. */
export interface PteFilter {
  pid: number;
  /** address range [start, end) (default: all) */
  start?: number; end?: number;
  /** include none entries inside tables that exist (default false) */
  includeNone?: boolean;
}

function clonePtes(s: PteState): PteState {
  const out: PteState = new Map();
  for (const [pid, m] of s) {
    const c = new Map<number, Table>();
    for (const [k, t] of m) c.set(k, { flags: t.flags.slice(), pfn: t.pfn.slice(), used: t.used });
    out.set(pid, c);
  }
  return out;
}

function newFolios(n: number): FolioState {
  return { flags: new Uint16Array(n), mapping: new Int32Array(n), index: new Float64Array(n), cached: new Int32Array(n) };
}

/**
 * Random access to the state of a finished run at any step.
 *
 * ```ts
 * const ti = new TraceIndex(run);
 * ti.pteAt(12, pid, 0x7f0000001000);            // { flags, pfn } after step 12
 * ti.ptesAt(12, { pid }, 2000, 100);           // rows 2000..2099 of pid's PTE table
 * ti.vmasAt(12, pid); ti.folioAt(12, 0x2000);
 * ```
 * Steps are indexes into `run.steps`; "at step s" means after step s ran (-1: before the
 * first step, everything empty). Seeks are cheapest in increasing step order.
 */
export class TraceIndex {
  private readonly rec: TraceRecorder;
  private readonly nSteps: number;
  private readonly checkpoints: Checkpoint[] = [];
  private ptes: PteState = new Map();
  private folios: FolioState;
  private cur = -1;
  private readonly c = new TraceCursor();
  private readonly apply = (c: TraceCursor) => this.applyRecord(c);

  /**
   * @param run a finished run (`runScenario` / `runText`)
   * @param checkpointEvents events between two checkpoints (bounds the replay of one seek)
   */
  constructor(run: RunResult, readonly checkpointEvents = 1 << 18) {
    this.rec = run.recorder;
    this.nSteps = run.steps.length;
    let maxPfn = 0;
    this.rec.decode(0, this.nSteps, (c) => { if (c.t === 'folio' && c.pfn > maxPfn) maxPfn = c.pfn; });
    this.folios = newFolios(maxPfn + 1);
    this.checkpoints.push({ step: -1, events: 0, ptes: new Map(), folios: newFolios(maxPfn + 1) });
    // first pass: checkpoints every checkpointEvents events, at step boundaries
    let last = 0;
    for (let s = 0; s < this.nSteps; s++) {
      const st = run.steps[s];
      if (st.eventEnd - last >= checkpointEvents || s === this.nSteps - 1) {
        this.forwardTo(s);
        this.checkpoints.push({ step: s, events: st.eventEnd, ptes: clonePtes(this.ptes), folios: this.cloneFolios() });
        last = st.eventEnd;
      }
    }
  }

  /** Number of steps in the run. */
  get stepCount(): number { return this.nSteps; }

  /** Move the working state to the end of `step` (-1 ≤ step < stepCount). */
  seek(step: number): void {
    step = Math.max(-1, Math.min(step, this.nSteps - 1));
    if (step === this.cur) return;
    // nearest checkpoint at or before step; use it unless the cursor is closer
    let lo = 0, hi = this.checkpoints.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (this.checkpoints[mid].step <= step) lo = mid; else hi = mid - 1; }
    const cp = this.checkpoints[lo];
    if (!(this.cur <= step && this.cur >= cp.step)) {
      this.restore(cp);
      this.cur = cp.step;
    }
    this.forwardTo(step);
  }

  /** The PTE of pid at addr after `step` ({flags: 0, pfn: 0} = none). */
  pteAt(step: number, pid: number, addr: number): { flags: number; pfn: number } {
    this.seek(step);
    const t = this.ptes.get(pid)?.get(Math.floor(addr / TABLE_SPAN));
    const i = Math.floor(addr / 4096) % TABLE_PAGES;
    return t ? { flags: t.flags[i], pfn: t.pfn[i] } : { flags: 0, pfn: 0 };
  }

  /** Number of non-none PTEs of pid after `step` inside [start, end) — for a virtualised table's scrollbar. */
  pteCount(step: number, filter: PteFilter): number {
    this.seek(step);
    let n = 0;
    for (const [, t, base] of this.tablesOf(filter)) {
      if (filter.includeNone) n += this.clipCount(base, filter);
      else if (filter.start === undefined && filter.end === undefined) n += t.used;
      else for (let i = 0; i < TABLE_PAGES; i++) { const a = base + i * 4096; if (this.inRange(a, filter) && (t.flags[i] || t.pfn[i])) n++; }
    }
    return n;
  }

  /**
   * A page of pid's PTEs after `step`, in address order: rows offset .. offset+count-1 of
   * the filtered list (non-none entries unless includeNone). Whole tables are skipped by
   * their counts, so deep pages cost no scan of the rows before them.
   */
  ptesAt(step: number, filter: PteFilter, offset: number, count: number): PteAt[] {
    this.seek(step);
    const out: PteAt[] = [];
    let skip = offset;
    const whole = filter.start === undefined && filter.end === undefined && !filter.includeNone;
    for (const [, t, base] of this.tablesOf(filter)) {
      if (out.length >= count) break;
      if (whole && skip >= t.used) { skip -= t.used; continue; }
      for (let i = 0; i < TABLE_PAGES && out.length < count; i++) {
        const a = base + i * 4096;
        if (!this.inRange(a, filter)) continue;
        if (!filter.includeNone && !t.flags[i] && !t.pfn[i]) continue;
        if (skip > 0) { skip--; continue; }
        out.push({ pid: filter.pid, addr: a, flags: t.flags[i], pfn: t.pfn[i] });
      }
    }
    return out;
  }

  /** pid's VMAs at the end of `step` (snapshots are taken at steps that changed them). */
  vmasAt(step: number, pid: number): VmaSnapshot[] {
    return this.rec.vmasAt(step, pid);
  }

  /** The traced fields of the folio at pfn after `step` (all 0: never traced or not yet allocated). */
  folioAt(step: number, pfn: number): FolioAt {
    this.seek(step);
    const f = this.folios;
    if (pfn >= f.flags.length) return { pfn, flags: 0, mapping: 0, index: 0, cached: 0 };
    return { pfn, flags: f.flags[pfn], mapping: f.mapping[pfn], index: f.index[pfn], cached: f.cached[pfn] };
  }

  // ---- internals -----------------------------------------------------------------

  private forwardTo(step: number): void {
    if (step > this.cur) {
      this.rec.decode(this.cur + 1, step + 1, this.apply, this.c);
      this.cur = step;
    }
  }

  private applyRecord(c: TraceCursor): void {
    if (c.t === 'pte') {
      let m = this.ptes.get(c.pid);
      if (!m) { m = new Map(); this.ptes.set(c.pid, m); }
      const key = Math.floor(c.addr / TABLE_SPAN);
      let t = m.get(key);
      if (!t) { t = { flags: new Uint32Array(TABLE_PAGES), pfn: new Uint32Array(TABLE_PAGES), used: 0 }; m.set(key, t); }
      const i = Math.floor(c.addr / 4096) % TABLE_PAGES;
      const was = t.flags[i] !== 0 || t.pfn[i] !== 0;
      t.flags[i] = c.af; t.pfn[i] = c.ap;
      const is = c.af !== 0 || c.ap !== 0;
      if (was && !is) t.used--; else if (!was && is) t.used++;
    } else if (c.t === 'folio') {
      const f = this.folios, p = c.pfn;
      switch (c.field) {
        case 'flags': f.flags[p] = c.after; break;
        case 'mapping': f.mapping[p] = c.after; break;
        case 'index': f.index[p] = c.after; break;
        case 'cached':
          f.cached[p] = c.after;
          if (c.after) { f.flags[p] = c.initFlags; f.mapping[p] = c.after; f.index[p] = c.initIndex; }
          break;
      }
    }
  }

  /**
   * Copy a checkpoint into the working state in place: the typed arrays and PTE tables
   * that exist are overwritten (no allocation, so a seek leaves no garbage behind); only
   * tables the working state lacks are allocated, and tables the checkpoint lacks dropped.
   */
  private restore(cp: Checkpoint): void {
    const f = this.folios, g = cp.folios;
    f.flags.set(g.flags); f.mapping.set(g.mapping); f.index.set(g.index); f.cached.set(g.cached);
    for (const pid of [...this.ptes.keys()]) if (!cp.ptes.has(pid)) this.ptes.delete(pid);
    for (const [pid, cm] of cp.ptes) {
      let m = this.ptes.get(pid);
      if (!m) { m = new Map(); this.ptes.set(pid, m); }
      for (const key of [...m.keys()]) if (!cm.has(key)) m.delete(key);
      for (const [key, ct] of cm) {
        const t = m.get(key);
        if (t) { t.flags.set(ct.flags); t.pfn.set(ct.pfn); t.used = ct.used; }
        else m.set(key, { flags: ct.flags.slice(), pfn: ct.pfn.slice(), used: ct.used });
      }
    }
  }

  private cloneFolios(): FolioState {
    const f = this.folios;
    return { flags: f.flags.slice(), mapping: f.mapping.slice(), index: f.index.slice(), cached: f.cached.slice() };
  }

  private inRange(a: number, f: PteFilter): boolean {
    return (f.start === undefined || a >= f.start) && (f.end === undefined || a < f.end);
  }
  private clipCount(base: number, f: PteFilter): number {
    const lo = Math.max(base, f.start ?? base), hi = Math.min(base + TABLE_SPAN, f.end ?? base + TABLE_SPAN);
    return hi > lo ? Math.ceil((hi - lo) / 4096) : 0;
  }

  /** pid's tables overlapping the filter's range, in address order: [key, table, base address]. */
  private *tablesOf(f: PteFilter): IterableIterator<[number, Table, number]> {
    const m = this.ptes.get(f.pid);
    if (!m) return;
    const keys = [...m.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      const base = k * TABLE_SPAN;
      if (f.end !== undefined && base >= f.end) break;
      if (f.start !== undefined && base + TABLE_SPAN <= f.start) continue;
      yield [k, m.get(k)!, base];
    }
  }
}
