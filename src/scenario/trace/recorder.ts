// The trace of a run (format `mmscope-trace` version 1, docs/trace-format.md): one step
// per statement, and inside each step the engine's events in the order they happened.
// TraceRecorder is the engine's Tracer: it turns hook calls into compact records.
//
// Storage (docs/performance.md): the common events (fault, pte, hw access, folio field
// change, call) are packed into a byte log — fixed 1 MiB chunks, never copied when they
// grow — with an op byte and varint fields delta-coded against the previous record (pid,
// address, pfn). The delta context resets at every step start and every chunk start, so
// any step (and any chunk) decodes on its own. A fault's call path is interned: the
// sequence of call() names is a node of a trie, and the record holds the node id. Rarer
// events (rmap walks with their visits, defio, signals, oopses, VMA changes, warnings)
// stay objects in a side table the log refers to by index. A written page (fault + PTE +
// page-cache insertion + dirty) costs about 25 bytes of trace. Runs of like records on
// consecutive pages (the PTEs of set_ptes() or of a PMD leaf, a large folio's per-page
// flags, the accesses the MMU makes without a fault) are one run record (codec.ts), which
// the decoder hands out as the records it stands for, one by one.
//
// `Step.events` is a view materialised from the log on each access; hot consumers
// (time travel) use `TraceRecorder.decode()` with a reusable cursor instead.

import type { DefioEvent, FaultOutcome, FolioField, Tracer, WalkApi } from '../../engine/trace';
import {
  CHUNK, CHUNK_SLACK, FIELDS, M_APLAST, M_APSAME, M_B0, M_BNONE, M_ERRSAME, M_SAMEADDR, M_SAMEPID, M_WRITE,
  MR_ANONE, MR_BNONE, MR_SAMEPID, MR_WRITE, RUN_FLAGS, RUN_HW, RUN_PTE, RUN_SHIFT,
  OP_CALL, OP_FAULT, OP_FLAGS_REP, OP_FOLIO, OP_HW, OP_PTE, OP_PTE_REP, OP_RARE, OUTCOME_CODE, OUTCOMES,
  decFlags, decPg, encFlags, encPg, unzig, zig,
} from './codec';
import { TraceBudgetExceeded, type TraceEvent, type VmaHistoryEntry, type VmaSnapshot, type WalkVisit } from './events';

/** One statement's slice of the trace. `events` is materialised from the log on access. */

export class Step {
  /** simulated time (ms) when the step ended */
  time = 0;
  /** value of a kernel operation (`expect result`) */
  result?: number;
  /** for expectations */
  expect?: { ok: boolean; message: string };
  /** the errno the kernel refused the statement with (mmap, mremap, mprotect, ...; `expect error`) */
  errno?: string;
  skipped?: boolean;
  /** log position of the step's first record and one past its last (chunk * 2^20 + offset) */
  logStart = 0;
  logEnd = 0;
  /** TraceRecorder.eventCount before and after the step */
  eventStart = 0;
  eventEnd = 0;
  constructor(
    private readonly rec: TraceRecorder,
    readonly index: number,
    /** 0-based source line of the statement */
    readonly line: number,
    readonly kind: string,
  ) {}
  /** Number of events in the step (without decoding them). */
  get eventCount(): number { return this.eventEnd - this.eventStart; }
  /** The step's events, decoded from the log (read-only; the last step decoded is cached). */
  get events(): TraceEvent[] { return this.rec.stepEvents(this.index); }
}

/**
 * A reusable decoding cursor: `TraceRecorder.decode()` fills its fields for each record.
 * `t` is the record kind; the other fields are valid for the kinds noted.
 */
export class TraceCursor {
  t: 'fault' | 'hw' | 'pte' | 'folio' | 'rare' | 'call' = 'call';
  /** fault, hw, pte */ pid = 0; addr = 0;
  /** fault */ err = 0; pathId = 0; outcome = 0;
  /** hw */ write = false;
  /** pte */ bf = 0; bp = 0; af = 0; ap = 0; whyId = 0;
  /** folio */ pfn = 0; field: FolioField = 'flags'; before = 0; after = 0;
  /** folio 'cached': the folio's PG_* flags and index when it entered the page cache */ initFlags = 0; initIndex = 0;
  /** rare: index into the side table; call: string id */ ref = 0;
}

export class TraceRecorder implements Tracer {
  readonly steps: Step[] = [];
  current: Step | undefined;
  eventCount = 0;
  oopsInStep = false;
  /** message of the last oops (for the runner's diagnostic) */
  lastOopsMessage = '';
  lastWalk: Extract<TraceEvent, { t: 'walk' }> | undefined;
  /** the last walk of each API (`expect walk API ...`) */
  readonly lastWalkOf = new Map<string, Extract<TraceEvent, { t: 'walk' }>>();
  /** Called every 65,536 events; returns false to stop the run (budget exceeded). */
  budget: (() => 'events' | 'time' | undefined) | undefined;
  /** Set by the runner: the PG_* flags of a pfn (recorded when a folio enters the page cache). */
  folioFlags: ((pfn: number) => number) | undefined;
  /** Set by the runner: the page-cache index of a pfn (recorded when a folio enters the page cache). */
  folioIndex: ((pfn: number) => number) | undefined;
  /** Set by the runner: the VMAs of pid now (a full snapshot). */
  vmaSource: ((pid: number) => VmaSnapshot[]) | undefined;
  /**
   * Set by the runner: the VMAs of pid inserted or changed, and the ids of those removed,
   * since the last call (the delta a step made).
   */
  vmaChanges: ((pid: number) => { changed: VmaSnapshot[]; removed: number[] }) | undefined;
  /**
   * pid → the VMA history in step order: at each step that changed pid's VMAs either a
   * full snapshot (`vmas`) or a delta against the entry before (`changed`, `removed`). A
   * full snapshot is taken when the deltas since the last one add up to the VMA count, so
   * the copies are amortised O(1) per changed VMA and rebuilding a step replays at most
   * one snapshot's worth of deltas. Read it with `vmasAt()`.
   */
  readonly vmaHistory = new Map<number, VmaHistoryEntry[]>();
  private vmaSinceFull = new Map<number, number>();
  private vmaDirty: number[] = [];

  // the log
  private chunks: Uint8Array[] = [];
  private chunkLen: number[] = [];
  private buf = new Uint8Array(0);
  private pos = CHUNK; // forces a chunk on the first record
  private ci = -1;
  // delta context
  private lastPid = 0;
  private lastAddr = 0;
  private lastPfn = 0;
  private lastErr = -1;
  private lastWhy = -1;
  private lastAf = -1;
  private lastFB = -1;
  private lastFX = -1;
  private lastIdx = -1;
  // side table, strings, call-path trie
  readonly rare: TraceEvent[] = [];
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  private trieParent: number[] = [0];
  private trieName: number[] = [-1];
  private trieChild: Map<string, number>[] = [new Map()];
  private trieLastName: (string | undefined)[] = [undefined];
  private trieLastKid: number[] = [0];
  private pathCache: (string[] | undefined)[] = [];
  // the open fault / walk
  private faultOpen = false;
  private faultNode = 0;
  private faultChunk: Uint8Array | undefined;
  private faultPathAt = 0;
  private walk: Extract<TraceEvent, { t: 'walk' }> | undefined;
  private visit: WalkVisit | undefined;

  beginStep(line: number, kind: string): Step {
    this.endStep();
    const s = new Step(this, this.steps.length, line, kind);
    s.logStart = s.logEnd = this.logPos();
    s.eventStart = s.eventEnd = this.eventCount;
    this.steps.push(s);
    this.current = s;
    this.oopsInStep = false;
    this.lastPid = this.lastAddr = this.lastPfn = 0; this.lastErr = this.lastWhy = this.lastAf = this.lastFB = this.lastFX = this.lastIdx = -1;
    return s;
  }

  /**
   * Close the current step (log end, VMA history). Called by beginStep and, with
   * final = true, by the runner at the end.
   */
  endStep(_final = false): void {
    const s = this.current;
    if (!s) return;
    s.logEnd = this.logPos();
    s.eventEnd = this.eventCount;
    if (this.vmaDirty.length && this.vmaSource) {
      for (const pid of this.vmaDirty) {
        let h = this.vmaHistory.get(pid);
        if (!h) { h = []; this.vmaHistory.set(pid, h); }
        const d = this.vmaChanges?.(pid);
        const since = (this.vmaSinceFull.get(pid) ?? 0) + (d ? d.changed.length + d.removed.length : 0);
        const last = h.length ? h[h.length - 1] : undefined;
        let e: VmaHistoryEntry;
        if (!d || !last || last.step === s.index || since * 2 >= this.vmaCountOf(pid) + 16) {
          e = { step: s.index, vmas: this.vmaSource(pid) };
          this.vmaSinceFull.set(pid, 0);
          this.vmaFullLen.set(pid, e.vmas!.length);
        } else {
          e = { step: s.index, changed: d.changed, removed: d.removed };
          this.vmaSinceFull.set(pid, since);
        }
        if (last && last.step === s.index) h[h.length - 1] = e; else h.push(e);
      }
      this.vmaDirty = [];
    }
  }

  /** the length of pid's last full snapshot (a size estimate for the snapshot policy) */
  private vmaCountOf(pid: number): number { return this.vmaFullLen.get(pid) ?? 0; }
  private vmaFullLen = new Map<number, number>();

  private vmaCache: { pid: number; entry: number; vmas: VmaSnapshot[] } | undefined;
  /** pid's VMAs at the end of `step` (in address order; [] before its first mapping). */
  vmasAt(step: number, pid: number): VmaSnapshot[] {
    const h = this.vmaHistory.get(pid);
    if (!h) return [];
    let lo = 0, hi = h.length - 1, best = -1;
    while (lo <= hi) { const mid = (lo + hi) >> 1; if (h[mid].step <= step) { best = mid; lo = mid + 1; } else hi = mid - 1; }
    if (best < 0) return [];
    if (h[best].vmas) return h[best].vmas!;
    const c = this.vmaCache;
    if (c && c.pid === pid && c.entry === best) return c.vmas;
    let f = best;
    while (!h[f].vmas) f--;
    const byId = new Map<number, VmaSnapshot>();
    for (const v of h[f].vmas!) byId.set(v.id, v);
    for (let i = f + 1; i <= best; i++) {
      for (const id of h[i].removed!) byId.delete(id);
      for (const v of h[i].changed!) byId.set(v.id, v);
    }
    const vmas = [...byId.values()].sort((a, b) => a.start - b.start);
    this.vmaCache = { pid, entry: best, vmas };
    return vmas;
  }

  /** Bytes used by the log (for the performance figures). */
  get logBytes(): number { return this.chunks.length ? (this.chunks.length - 1) * CHUNK + this.pos : 0; }

  private logPos(): number { return this.ci < 0 ? 0 : this.ci * CHUNK + this.pos; }

  /** Room for one record; a new chunk resets the delta context. */
  private room(): void {
    if (this.pos + CHUNK_SLACK <= CHUNK) return;
    if (this.ci >= 0) this.chunkLen[this.ci] = this.pos;
    this.buf = new Uint8Array(CHUNK);
    this.chunks.push(this.buf); this.chunkLen.push(0);
    this.ci++; this.pos = 0;
    this.lastPid = this.lastAddr = this.lastPfn = 0; this.lastErr = this.lastWhy = this.lastAf = this.lastFB = this.lastFX = this.lastIdx = -1;
  }

  private count(): void {
    if (!this.current) this.beginStep(-1, 'setup');
    if ((++this.eventCount & 0xffff) === 0 && this.budget) {
      const why = this.budget();
      if (why) throw new TraceBudgetExceeded(why);
    }
  }

  /** count() for n events at once: the budget is asked when a multiple of 65,536 is crossed, as count() would. */
  private countN(n: number): void {
    if (!this.current) this.beginStep(-1, 'setup');
    const before = this.eventCount;
    this.eventCount += n;
    if (this.budget && (before >>> 16) !== (this.eventCount >>> 16)) {
      const why = this.budget();
      if (why) throw new TraceBudgetExceeded(why);
    }
  }

  private u(v: number): void {
    const b = this.buf;
    let p = this.pos;
    while (v >= 0x80000000) { // above 31 bits: no bit operations
      b[p++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    while (v >= 0x80) {
      b[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    b[p++] = v;
    this.pos = p;
  }

  private addrField(op: number, pid: number, addr: number): number {
    if (pid === this.lastPid) op |= M_SAMEPID;
    if (addr === this.lastAddr) op |= M_SAMEADDR;
    return op;
  }
  /** pid unless same; address delta unless same: zigzag(pages) * 2 when page-aligned, else zigzag(bytes) * 2 + 1 */
  private addrRest(op: number, pid: number, addr: number): void {
    if (!(op & M_SAMEPID)) { this.u(pid); this.lastPid = pid; }
    if (op & M_SAMEADDR) return;
    this.addrDelta(addr);
  }
  private addrDelta(addr: number): void {
    const d = addr - this.lastAddr;
    if (addr % 4096 === 0 && this.lastAddr % 4096 === 0) this.u(zig(d / 4096) * 2);
    else this.u(zig(d) * 2 + 1);
    this.lastAddr = addr;
  }

  private lastInterned = '';
  private lastInternedId = -1;
  private intern(s: string): number {
    if (s === this.lastInterned && this.lastInternedId >= 0) return this.lastInternedId;
    let id = this.stringIds.get(s);
    if (id === undefined) { id = this.strings.length; this.strings.push(s); this.stringIds.set(s, id); }
    this.lastInterned = s; this.lastInternedId = id;
    return id;
  }
  /** The string with id (call names, PTE reasons). */
  str(id: number): string { return this.strings[id]; }

  /** The call path of an interned path id (shared array: do not modify). */
  path(node: number): string[] {
    let p = this.pathCache[node];
    if (p) return p;
    const out: string[] = [];
    for (let n = node; n !== 0; n = this.trieParent[n]) out.push(this.strings[this.trieName[n]]);
    p = out.reverse();
    this.pathCache[node] = p;
    return p;
  }

  private pushRare(e: TraceEvent): void {
    this.count();
    this.room();
    this.buf[this.pos++] = OP_RARE;
    this.u(this.rare.length);
    this.rare.push(e);
  }

  // ---- Tracer ------------------------------------------------------------------

  faultBegin(pid: number, addr: number, err: number): void {
    this.count();
    this.room();
    let op = this.addrField(OP_FAULT, pid, addr);
    if (err === this.lastErr) op |= M_ERRSAME;
    this.buf[this.pos++] = op;
    this.addrRest(op, pid, addr);
    if (!(op & M_ERRSAME)) { this.u(err); this.lastErr = err; }
    this.faultOpen = true; this.faultNode = 0;
    this.faultChunk = this.buf; this.faultPathAt = this.pos;
    // path node (21 bits) and outcome (3 bits), patched as the fault goes on
    this.buf[this.pos++] = 0; this.buf[this.pos++] = 0; this.buf[this.pos++] = 0;
  }
  call(fn: string): void {
    if (this.walk) { this.walk.path.push(fn); return; }
    if (this.faultOpen) {
      // fast path: the same name as last time from this node (string literals compare by identity)
      const node = this.faultNode;
      let n: number | undefined = this.trieLastName[node] === fn ? this.trieLastKid[node] : undefined;
      if (n === undefined) n = this.trieChild[node].get(fn);
      if (n === undefined) {
        const kids = this.trieChild[node];
        n = this.trieParent.length;
        this.trieParent.push(node); this.trieName.push(this.intern(fn)); this.trieChild.push(new Map());
        this.trieLastName.push(undefined); this.trieLastKid.push(0);
        kids.set(fn, n);
        if (n >= 1 << 21) throw new Error('trace: too many distinct fault paths');
      }
      this.trieLastName[node] = fn; this.trieLastKid[node] = n;
      this.faultNode = n;
      const b = this.faultChunk!, p = this.faultPathAt;
      b[p] = n & 0xff; b[p + 1] = (n >>> 8) & 0xff; b[p + 2] = (b[p + 2] & 0xe0) | (n >>> 16);
      return;
    }
    this.count();
    this.room();
    this.buf[this.pos++] = OP_CALL;
    this.u(this.intern(fn));
  }
  faultEnd(_pid: number, _addr: number, outcome: FaultOutcome): void {
    if (this.faultOpen) {
      const b = this.faultChunk!, p = this.faultPathAt + 2;
      b[p] = (b[p] & 0x1f) | ((OUTCOME_CODE.get(outcome) ?? 0) << 5);
    }
    this.faultOpen = false; this.faultChunk = undefined;
  }
  hwAccess(pid: number, addr: number, write: boolean): void {
    this.count();
    this.room();
    const op = this.addrField(OP_HW, pid, addr) | (write ? M_WRITE : 0);
    this.buf[this.pos++] = op;
    this.addrRest(op, pid, addr);
  }
  pteSet(pid: number, addr: number, bf: number, bp: number, af: number, ap: number, why: string): void {
    this.count();
    this.room();
    const bnone = bf === 0 && bp === 0;
    const whyId = this.intern(why), eaf = encFlags(af);
    if (bnone && ap === this.lastPfn && ap !== 0 && whyId === this.lastWhy && eaf === this.lastAf) {
      const rop = this.addrField(OP_PTE_REP, pid, addr);
      this.buf[this.pos++] = rop;
      this.addrRest(rop, pid, addr);
      return;
    }
    this.lastWhy = whyId; this.lastAf = eaf;
    let op = this.addrField(OP_PTE, pid, addr);
    if (bnone) op |= M_BNONE;
    if (ap === bp) op |= M_APSAME;
    else if (bnone && ap === this.lastPfn) op |= M_APLAST;
    this.buf[this.pos++] = op;
    this.addrRest(op, pid, addr);
    if (!bnone) { this.u(encFlags(bf)); this.u(zig(bp - this.lastPfn)); this.lastPfn = bp; }
    this.u(eaf);
    if (!(op & (M_APSAME | M_APLAST))) { this.u(zig(ap - this.lastPfn)); this.lastPfn = ap; }
    this.u(whyId);
  }
  /**
   * n PTE changes at addr, addr + 4096, ...: entry i from (bf, bp + i) — or none when bf
   * and bp are 0 — to (af, ap + i) — or none when af and ap are 0 — for one reason. The
   * same records as n pteSet() calls, stored as one run record.
   */
  pteSetRun(pid: number, addr: number, n: number, bf: number, bp: number, af: number, ap: number, why: string): void {
    if (n <= 1) { if (n === 1) this.pteSet(pid, addr, bf, bp, af, ap, why); return; }
    this.countN(n);
    this.room();
    const bnone = bf === 0 && bp === 0, anone = af === 0 && ap === 0;
    const op = OP_CALL | (RUN_PTE << RUN_SHIFT) | (bnone ? MR_BNONE : 0) | (anone ? MR_ANONE : 0) | (pid === this.lastPid ? MR_SAMEPID : 0);
    this.buf[this.pos++] = op;
    if (!(op & MR_SAMEPID)) { this.u(pid); this.lastPid = pid; }
    this.addrDelta(addr);
    this.u(n - 2);
    if (!bnone) { this.u(encFlags(bf)); this.u(zig(bp - this.lastPfn)); this.lastPfn = bp; }
    if (!anone) { this.u(encFlags(af)); this.u(zig(ap - this.lastPfn)); this.lastPfn = ap; }
    this.u(this.intern(why));
    this.lastAddr = addr + (n - 1) * 4096;
    this.lastWhy = this.lastAf = -1;
  }
  /** n hardware accesses at addr, addr + 4096, ...: the records of n hwAccess() calls, as one run record. */
  hwAccessRun(pid: number, addr: number, n: number, write: boolean): void {
    if (n <= 1) { if (n === 1) this.hwAccess(pid, addr, write); return; }
    this.countN(n);
    this.room();
    const op = OP_CALL | (RUN_HW << RUN_SHIFT) | (write ? MR_WRITE : 0) | (pid === this.lastPid ? MR_SAMEPID : 0);
    this.buf[this.pos++] = op;
    if (!(op & MR_SAMEPID)) { this.u(pid); this.lastPid = pid; }
    this.addrDelta(addr);
    this.u(n - 2);
    this.lastAddr = addr + (n - 1) * 4096;
  }
  /** PG_* flags of pfn, pfn + 1, ... (n pages) each from before to after: n folioSet(…, 'flags', …) records as one run record. */
  folioFlagsRun(pfn: number, n: number, before: number, after: number): void {
    if (n <= 1) { if (n === 1) this.folioSet(pfn, 'flags', before, after); return; }
    this.countN(n);
    this.room();
    const b0 = before === 0, x = (before ^ after) >>> 0;
    this.buf[this.pos++] = OP_CALL | (RUN_FLAGS << RUN_SHIFT) | (b0 ? M_B0 : 0);
    this.u(zig(pfn - this.lastPfn));
    this.u(n - 2);
    if (!b0) this.u(encPg(before));
    this.u(encPg(x));
    this.lastPfn = pfn + n - 1; this.lastFB = before; this.lastFX = x;
  }
  folioSet(pfn: number, field: FolioField, before: number, after: number): void {
    this.count();
    this.room();
    const f = field === 'flags' ? 0 : field === 'mapping' ? 1 : field === 'index' ? 2 : 3;
    if (f === 0) {
      const x = (before ^ after) >>> 0;
      if (pfn === this.lastPfn && before === this.lastFB && x === this.lastFX) { this.buf[this.pos++] = OP_FLAGS_REP; return; }
      this.lastFB = before; this.lastFX = x;
    }
    const b0 = before === 0;
    this.buf[this.pos++] = OP_FOLIO | (f << 4) | (b0 ? M_B0 : 0);
    this.u(zig(pfn - this.lastPfn)); this.lastPfn = pfn;
    if (f === 0) { if (!b0) this.u(encPg(before)); this.u(encPg((before ^ after) >>> 0)); }
    else if (f === 2) { if (!b0) this.u(before); this.u(after); }
    else {
      if (!b0) this.u(zig(before));
      this.u(zig(after));
      if (f === 3) {
        this.u(encPg(this.folioFlags ? this.folioFlags(pfn) : 0));
        const idx = this.folioIndex ? this.folioIndex(pfn) : 0;
        this.u(zig(idx - this.lastIdx - 1)); this.lastIdx = idx;
      }
    }
  }
  walkBegin(api: WalkApi, mapping: number, pgoff: number, nr: number, pfn: number): void {
    this.walk = { t: 'walk', api, mapping, pgoff, nr, pfn, path: [], visits: [] };
    this.pushRare(this.walk);
  }
  walkVisit(pid: number, vma: number, label: string | undefined, address: number): void {
    this.visit = { pid, vma, label, address, skipped: false, ptes: [] };
    this.walk?.visits.push(this.visit);
  }
  walkSkip(pid: number, vma: number, label: string | undefined, reason: string): void {
    this.walk?.visits.push({ pid, vma, label, address: 0, skipped: true, reason, ptes: [] });
    this.visit = undefined;
  }
  walkPte(_pid: number, addr: number, counted: boolean): void { this.visit?.ptes.push({ addr, counted }); }
  walkEnd(result: number): void {
    if (this.walk) { this.walk.result = result; this.lastWalk = this.walk; this.lastWalkOf.set(this.walk.api, this.walk); }
    this.walk = undefined; this.visit = undefined;
  }
  defio(obj: number, ev: DefioEvent, page: number, time: number): void { this.pushRare({ t: 'defio', obj, ev, page, time }); }
  signal(pid: number, sig: 'SIGSEGV' | 'SIGBUS'): void { this.pushRare({ t: 'signal', pid, sig }); }
  oops(message: string): void { this.oopsInStep = true; this.lastOopsMessage = message; this.pushRare({ t: 'oops', message }); }
  vmasChanged(pid: number): void {
    this.pushRare({ t: 'vmas', pid });
    if (!this.vmaDirty.includes(pid)) this.vmaDirty.push(pid);
  }
  warn(message: string): void { this.pushRare({ t: 'warn', message }); }

  // ---- reading -------------------------------------------------------------------

  /**
   * Decode the records of steps [fromStep, toStep) in order, calling `visit` with the
   * same cursor for each (no allocation per record).
   */
  decode(fromStep: number, toStep: number, visit: (c: TraceCursor) => void, c = new TraceCursor()): void {
    if (fromStep >= toStep || fromStep >= this.steps.length) return;
    const start = this.steps[fromStep].logStart;
    const last = this.steps[Math.min(toStep, this.steps.length) - 1];
    const end = last === this.current ? this.logPos() : last.logEnd;
    this.decodeRange(start, end, visit, c, fromStep);
  }

  private decodeRange(start: number, end: number, visit: (c: TraceCursor) => void, c: TraceCursor, firstStep: number): void {
    if (this.ci >= 0) this.chunkLen[this.ci] = this.pos;
    let ci = Math.floor(start / CHUNK), p = start % CHUNK;
    let b = this.chunks[ci];
    let lastPid = 0, lastAddr = 0, lastPfn = 0, lastErr = -1, lastWhy = -1, lastIdx = -1, lastAf = 0, lastFB = 0, lastFX = 0;
    // step boundaries reset the delta context: find them as we go
    let si = firstStep + 1;
    let nextStepAt = si < this.steps.length ? this.steps[si].logStart : Infinity;
    const u = (): number => {
      let v = 0, mul = 1, x: number;
      do { x = b[p++]; v += (x & 0x7f) * mul; mul *= 0x80; } while (x & 0x80);
      return v;
    };
    for (;;) {
      if (ci * CHUNK + p >= end) return;
      while (ci * CHUNK + p >= nextStepAt) {
        lastPid = lastAddr = lastPfn = 0; lastErr = lastWhy = lastIdx = -1;
        si++;
        nextStepAt = si < this.steps.length ? this.steps[si].logStart : Infinity;
      }
      if (p >= this.chunkLen[ci]) {
        ci++; p = 0; b = this.chunks[ci]; lastPid = lastAddr = lastPfn = 0; lastErr = lastWhy = lastIdx = -1;
        continue;
      }
      const op = b[p++];
      const kind = op & 7;
      if (kind <= OP_PTE || kind === OP_PTE_REP) {
        if (!(op & M_SAMEPID)) lastPid = u();
        if (!(op & M_SAMEADDR)) {
          const v = u(), r = v % 2;
          lastAddr += r ? unzig((v - 1) / 2) : unzig(v / 2) * 4096;
        }
        c.pid = lastPid; c.addr = lastAddr;
      }
      switch (kind) {
        case OP_FAULT:
          c.t = 'fault';
          if (!(op & M_ERRSAME)) lastErr = u();
          c.err = lastErr;
          c.pathId = b[p] | (b[p + 1] << 8) | ((b[p + 2] & 0x1f) << 16); c.outcome = b[p + 2] >>> 5; p += 3;
          break;
        case OP_HW: c.t = 'hw'; c.write = (op & M_WRITE) !== 0; break;
        case OP_PTE:
          c.t = 'pte';
          if (op & M_BNONE) { c.bf = 0; c.bp = 0; }
          else { c.bf = decFlags(u()); lastPfn += unzig(u()); c.bp = lastPfn; }
          lastAf = u(); c.af = decFlags(lastAf);
          if (op & M_APSAME) c.ap = c.bp;
          else if (op & M_APLAST) c.ap = lastPfn;
          else { lastPfn += unzig(u()); c.ap = lastPfn; }
          c.whyId = lastWhy = u();
          break;
        case OP_PTE_REP:
          c.t = 'pte'; c.bf = 0; c.bp = 0; c.af = decFlags(lastAf); c.ap = lastPfn; c.whyId = lastWhy;
          break;
        case OP_FLAGS_REP:
          c.t = 'folio'; c.field = 'flags'; c.pfn = lastPfn; c.before = lastFB; c.after = (lastFB ^ lastFX) >>> 0;
          break;
        case OP_FOLIO: {
          c.t = 'folio';
          const f = (op >> 4) & 3;
          c.field = FIELDS[f];
          lastPfn += unzig(u()); c.pfn = lastPfn;
          const b0 = (op & M_B0) !== 0;
          if (f === 0) { lastFB = c.before = b0 ? 0 : decPg(u()); lastFX = decPg(u()); c.after = (c.before ^ lastFX) >>> 0; }
          else if (f === 2) { c.before = b0 ? 0 : u(); c.after = u(); }
          else {
            c.before = b0 ? 0 : unzig(u()); c.after = unzig(u());
            if (f === 3) { c.initFlags = decPg(u()); lastIdx += unzig(u()) + 1; c.initIndex = lastIdx; }
          }
          break;
        }
        case OP_RARE: c.t = 'rare'; c.ref = u(); break;
        case OP_CALL: {
          const run = (op >> RUN_SHIFT) & 3;
          if (run === 0) { c.t = 'call'; c.ref = u(); break; }
          // a run record: the records it stands for, one visit each
          if (run === RUN_FLAGS) {
            lastPfn += unzig(u());
            const n = u() + 2, first = lastPfn;
            lastFB = op & M_B0 ? 0 : decPg(u()); lastFX = decPg(u());
            c.t = 'folio'; c.field = 'flags'; c.before = lastFB; c.after = (lastFB ^ lastFX) >>> 0;
            lastPfn = first + n - 1;
            for (let i = 0; i < n; i++) { c.pfn = first + i; visit(c); }
            continue;
          }
          if (!(op & MR_SAMEPID)) lastPid = u();
          const v = u();
          lastAddr += v % 2 ? unzig((v - 1) / 2) : unzig(v / 2) * 4096;
          const n = u() + 2, a0 = lastAddr;
          lastAddr = a0 + (n - 1) * 4096;
          c.pid = lastPid;
          if (run === RUN_HW) {
            c.t = 'hw'; c.write = (op & MR_WRITE) !== 0;
            for (let i = 0; i < n; i++) { c.addr = a0 + i * 4096; visit(c); }
            continue;
          }
          let bf = 0, bp = 0, af = 0, ap = 0;
          if (!(op & MR_BNONE)) { bf = decFlags(u()); lastPfn += unzig(u()); bp = lastPfn; }
          if (!(op & MR_ANONE)) { af = decFlags(u()); lastPfn += unzig(u()); ap = lastPfn; }
          c.t = 'pte'; c.whyId = u(); c.bf = bf; c.af = af;
          for (let i = 0; i < n; i++) {
            c.addr = a0 + i * 4096;
            c.bp = op & MR_BNONE ? 0 : bp + i;
            c.ap = op & MR_ANONE ? 0 : ap + i;
            visit(c);
          }
          continue;
        }
      }
      visit(c);
    }
  }

  /** The cursor's record as a TraceEvent object. */
  materialise(c: TraceCursor): TraceEvent {
    switch (c.t) {
      case 'fault': {
        const e: TraceEvent = { t: 'fault', pid: c.pid, addr: c.addr, err: c.err, path: this.path(c.pathId).slice() };
        const o = OUTCOMES[c.outcome];
        if (o) e.outcome = o;
        return e;
      }
      case 'hw': return { t: 'hw', pid: c.pid, addr: c.addr, write: c.write };
      case 'pte': return { t: 'pte', pid: c.pid, addr: c.addr, before: { flags: c.bf, pfn: c.bp }, after: { flags: c.af, pfn: c.ap }, why: this.strings[c.whyId] };
      case 'folio': return { t: 'folio', pfn: c.pfn, field: c.field, before: c.before, after: c.after };
      case 'rare': return this.rare[c.ref];
      case 'call': return { t: 'call', fn: this.strings[c.ref] };
    }
  }

  private cacheStep = -1;
  private cacheCount = -1;
  private cacheEvents: TraceEvent[] = [];

  /** The events of step i, decoded into objects (the last step decoded is cached; treat as read-only). */
  stepEvents(i: number): TraceEvent[] {
    const s = this.steps[i];
    if (!s) return [];
    const n = s === this.current ? this.eventCount : s.eventEnd;
    if (i === this.cacheStep && n === this.cacheCount) return this.cacheEvents;
    const out: TraceEvent[] = [];
    this.decode(i, i + 1, (c) => out.push(this.materialise(c)));
    this.cacheStep = i; this.cacheCount = n; this.cacheEvents = out;
    return out;
  }
}
