// The inspector's view data, built from a RunResult without VS Code: the timeline in
// kernel words (sent once per run), the detail of one step (address spaces, objects with
// i_mmap order and the deferred-I/O list, rmap walks), and pages of PTE rows.
//
// State at a step comes from replaying the scenario's statements up to that step on a
// fresh engine (the engine is deterministic), so i_mmap order, the pagereflist and the
// timers are the kernel's own, not reconstructed.

import type { Statement } from '../language/ast';
import type { Kernel } from '../engine/kernel';
import type { AddressSpace } from '../engine/addressSpace';
import type { Vma } from '../engine/vma';
import { smapsFlags, VM_SHARED } from '../engine/vma';
import { formatPteFlags, pte_none, _PAGE_PRESENT, _PAGE_RW, _PAGE_DIRTY, _PAGE_SPECIAL, _PAGE_PROTNONE } from '../engine/pte';
import { pgdIndex, pudIndex, pmdIndex, pteIndex } from '../engine/pageTable';
import { PG_NAMES, ZERO_PFN, PG_allocated } from '../engine/memmap';
import type { Step, TraceEvent, VmaSnapshot } from './trace';
import type { TraceIndex } from './timeTravel';
import { runScenario, type RunOptions, type RunResult } from './run';

// ---- view types (also the protocol's payloads) ---------------------------------------

export type RowStatus = 'none' | 'event' | 'pass' | 'fail' | 'skip' | 'signal' | 'oops';

export interface TimelineRow {
  step: number;
  /** 0-based source line */
  line: number;
  kind: string;
  /** the statement as written (trimmed, comment removed) */
  source: string;
  /** what happened, in kernel words, one entry per event group */
  text: string[];
  status: RowStatus;
  /** simulated time at the end of the step (ms) */
  time: number;
  /** number of PTEs this step changed */
  ptes: number;
  walks: number;
}

export interface InspectorRun {
  runId: number;
  kernel: string;
  passed: number;
  failed: number;
  rows: TimelineRow[];
  procs: string[];
  objects: string[];
}

/** A PTE cell state, one letter per page: n none, r read-only, w writable clean,
 *  d dirty, s special (pfnmap/zero page), p PROT_NONE. */
export type CellCode = 'n' | 'r' | 'w' | 'd' | 's' | 'p';

export interface VmaView {
  id: number; start: string; end: string; pgoff: number; flags: string; object: string; label: string | null;
  /** one CellCode per page (at most MAX_CELLS) */
  cells: string;
  /** page indexes (within the VMA) whose PTE changed at this step */
  changed: number[];
  pages: number;
}
export interface ProcView { name: string; pid: number; alive: boolean; minFlt: number; majFlt: number; vmas: VmaView[]; changedVmas: boolean }

export interface FolioView {
  index: number; pfn: string; cached: boolean; flags: string[]; mapcount: number; mapping: string; pageIndex: number | null; changed: boolean;
}
export interface IntervalView { proc: string; label: string | null; vmaStart: string; vmaEnd: string; first: number; last: number; shared: boolean }
export interface DefioView { pending: number[]; due: number | null; delay: number; lastWritten: number[]; workRuns: number; sorted: boolean }
export interface ObjectView {
  name: string; kind: string; pages: number; nrpages: number; folios: FolioView[]; iMmap: IntervalView[]; defio: DefioView | null;
}

export interface WalkPteView { addr: string; indices: [number, number, number, number]; before: string; after: string; counted: boolean }
export interface WalkVisitView {
  proc: string; label: string | null; vma: string; interval: string; skipped: boolean; reason: string | null;
  address: string | null; ptes: WalkPteView[];
}
export interface WalkView {
  api: string; mapping: string; pgoffFirst: number; pgoffLast: number; pfnFirst: string; pfnLast: string;
  path: string[]; visits: WalkVisitView[]; result: number | null;
}

export interface StepDetail {
  step: number; line: number; time: number; source: string; text: string[];
  procs: ProcView[]; objects: ObjectView[]; walks: WalkView[]; pteCount: number; pteChanged: number;
}

export interface PteFilter { proc?: string; object?: string; changed?: boolean; sort?: 'addr' | 'pfn' | 'proc'; desc?: boolean }
export interface PteRow {
  proc: string; addr: string; idx: string; pfn: string; flags: number;
  /** P RW U A D SD S readable form */
  text: string; maps: string; changed: boolean;
}

export interface CompareRow { step: number; line: number; source: string; base: string; other: string; baseStatus: RowStatus; otherStatus: RowStatus; differs: boolean }

export const MAX_CELLS = 512;
export const MAX_FOLIOS = 512;

const hex = (n: number) => '0x' + n.toString(16);

// ---- reading a step's events without materialising a million of them -------------------

/** Above this many events a step is described from its first events plus counts. */
export const MAX_DESCRIBED_EVENTS = 2000;

interface StepScan {
  events: TraceEvent[]; omitted: { faults: number; ptes: number; other: number };
  changed: Set<number>; ptes: number; walks: number; oops: boolean; signal: boolean;
}
const scans = new WeakMap<Step, StepScan>();

/** Numeric key of a (pid, address) PTE: pid * 2^36 + page number (47-bit addresses). */
const pteKey = (pid: number, addr: number) => pid * 2 ** 36 + Math.floor(addr / 4096);

/** One pass over a step's log (cached): its first events, counts of the rest, the PTEs it changed. */
function scanStep(run: RunResult, step: Step): StepScan {
  const hit = scans.get(step);
  if (hit) return hit;
  const sc: StepScan = { events: [], omitted: { faults: 0, ptes: 0, other: 0 }, changed: new Set(), ptes: 0, walks: 0, oops: false, signal: false };
  const look = (e: TraceEvent) => {
    if (e.t === 'pte') { sc.ptes++; sc.changed.add(pteKey(e.pid, e.addr)); }
    else if (e.t === 'walk') sc.walks++;
    else if (e.t === 'oops') sc.oops = true;
    else if (e.t === 'signal') sc.signal = true;
  };
  if (step.eventCount <= MAX_DESCRIBED_EVENTS) { sc.events = step.events; sc.events.forEach(look); }
  else {
    const rec = run.recorder;
    rec.decode(step.index, step.index + 1, (c) => {
      if (sc.events.length < MAX_DESCRIBED_EVENTS) { const e = rec.materialise(c); sc.events.push(e); look(e); return; }
      if (c.t === 'pte') { sc.ptes++; sc.omitted.ptes++; sc.changed.add(pteKey(c.pid, c.addr)); }
      else if (c.t === 'fault') sc.omitted.faults++;
      else { sc.omitted.other++; if (c.t === 'rare') look(rec.materialise(c)); }
    });
  }
  scans.set(step, sc);
  return sc;
}

function boundedEvents(run: RunResult, step: Step): { events: TraceEvent[]; omitted: StepScan['omitted'] } { return scanStep(run, step); }
function changedPtes(run: RunResult, step: Step): Set<number> { return scanStep(run, step).changed; }

// ---- timeline ---------------------------------------------------------------------------

/** Calls that every fault passes through or that add nothing to the story. */
const QUIET_CALLS = new Set([
  'do_user_addr_fault', 'handle_mm_fault', 'file_update_time', 'fault_dirty_shared_page', 'noop_dirty_folio',
  'schedule_delayed_work', 'vmalloc_to_page', '__do_fault', 'finish_fault', 'finish_mkwrite_fault',
  'do_page_mkwrite', 'wp_page_reuse', 'fb_deferred_io_track_page', 'filemap_dirty_folio', 'ext4_dirty_folio',
]);

interface Names { proc(pid: number): string; obj(id: number): string }

function namesOf(run: RunResult): Names {
  const p = new Map<number, string>(), o = new Map<number, string>();
  for (const [n, pid] of run.pids) p.set(pid, n);
  for (const [n, as] of run.objects) o.set(as.id, n);
  return { proc: (pid) => p.get(pid) ?? `pid ${pid}`, obj: (id) => o.get(id) ?? `mapping ${id}` };
}

function sourceLine(lines: string[], line: number): string {
  const s = lines[line] ?? '';
  const hash = s.indexOf('#');
  return (hash >= 0 ? s.slice(0, hash) : s).trim();
}

/** One step's events in kernel words. */
export function describeStep(step: Step, names: Names, run?: RunResult): string[] {
  const { events, omitted } = run ? boundedEvents(run, step) : { events: step.events, omitted: { faults: 0, ptes: 0, other: 0 } };
  const out: string[] = [];
  let cur: string | undefined;
  let listed: number[] = [];
  const flush = () => { if (cur !== undefined) out.push(cur); cur = undefined; };
  for (const e of events) {
    switch (e.t) {
      case 'fault': {
        flush();
        const fns = e.path.filter((f) => !QUIET_CALLS.has(f));
        cur = `${names.proc(e.pid)}: #PF ${hex(e.err)} → ${fns.join(' → ')}`;
        if (e.outcome && e.outcome !== 'minor') cur += ` (${e.outcome})`;
        break;
      }
      case 'defio':
        if (e.ev === 'track') { cur = (cur ?? `${names.obj(e.obj)}`) + `: page ${e.page} listed`; }
        else if (e.ev === 'track-again') { cur = (cur ?? `${names.obj(e.obj)}`) + `: page ${e.page} already listed`; }
        else if (e.ev === 'arm') { cur = (cur ?? names.obj(e.obj)) + `; work due at ${e.time} ms`; }
        else if (e.ev === 'work-start') { flush(); listed = []; cur = `${names.obj(e.obj)}: fb_deferred_io_work at ${e.time} ms`; }
        else if (e.ev === 'wrprotect') { listed.push(e.page); cur = (cur ?? names.obj(e.obj)) + `; wrprotect page ${e.page}`; }
        else if (e.ev === 'deferred_io') { cur = (cur ?? names.obj(e.obj)) + `; deferred_io(${listed.length ? listed.join(', ') : 'no pages'})`; }
        break;
      case 'walk': {
        const vs = e.visits.map((v) => `${v.skipped ? '~' : ''}${names.proc(v.pid)}:${v.label ?? 'vma' + v.vma}`);
        const w = `${e.api}(${names.obj(e.mapping)}[${e.pgoff}${e.nr > 1 ? '..' + (e.pgoff + e.nr - 1) : ''}]) → ${vs.length ? vs.join(', ') : 'no VMA'} = ${e.result ?? '?'}`;
        if (cur !== undefined) cur += `; ${w}`; else out.push(w);
        break;
      }
      case 'signal': flush(); out.push(`${e.sig} in ${names.proc(e.pid)}`); break;
      case 'oops': flush(); out.push(`oops: ${e.message}`); break;
      case 'warn': flush(); out.push(`warning: ${e.message}`); break;
      case 'vmas': flush(); out.push(`${names.proc(e.pid)}: VMAs changed`); break;
      case 'call': flush(); out.push(e.fn); break;
      case 'hw': if (cur === undefined) out.push(`${names.proc(e.pid)}: ${e.write ? 'write' : 'read'} ${hex(e.addr)} by hardware (no fault)`); break;
      default: break;
    }
  }
  flush();
  // merge consecutive hardware accesses into one line
  const merged: string[] = [];
  for (const s of out) {
    const last = merged[merged.length - 1];
    if (last && s.endsWith('by hardware (no fault)') && last.includes('by hardware')) {
      const m = /×(\d+)$/.exec(last);
      merged[merged.length - 1] = last.replace(/ ×\d+$/, '') + ` ×${m ? +m[1] + 1 : 2}`;
    } else merged.push(s);
  }
  let res = merged;
  if (merged.length > 40) res = [...merged.slice(0, 39), `… ${merged.length - 39} more`];
  if (omitted.faults + omitted.ptes + omitted.other) res.push(`… then ${omitted.faults.toLocaleString('en-US')} more page faults, ${omitted.ptes.toLocaleString('en-US')} PTE changes, ${omitted.other.toLocaleString('en-US')} other events`);
  if (step.result !== undefined) res.push(`result ${step.result}`);
  return res;
}

function stepStatus(run: RunResult, step: Step): RowStatus {
  if (step.skipped) return 'skip';
  if (step.expect) return step.expect.ok ? 'pass' : 'fail';
  const sc = scanStep(run, step);
  return sc.oops ? 'oops' : sc.signal ? 'signal' : step.eventCount ? 'event' : 'none';
}

export function buildTimeline(run: RunResult, text: string): TimelineRow[] {
  const names = namesOf(run);
  const lines = text.split(/\r?\n/);
  return run.steps.map((s) => {
    const { ptes, walks } = scanStep(run, s);
    const t = s.expect ? [`${s.expect.ok ? 'passed' : 'FAILED'}: ${s.expect.message}`] : describeStep(s, names, run);
    return { step: s.index, line: s.line, kind: s.kind, source: sourceLine(lines, s.line), text: t, status: stepStatus(run, s), time: s.time, ptes, walks };
  });
}

let nextRunId = 1;
export function buildRun(run: RunResult, text: string): InspectorRun {
  return {
    runId: nextRunId++, kernel: run.kernel.toString(), passed: run.passed, failed: run.failed,
    rows: buildTimeline(run, text), procs: [...run.pids.keys()], objects: [...run.objects.keys()],
  };
}

// ---- compare kernels ----------------------------------------------------------------------

export function compareRuns(base: RunResult, other: RunResult, text: string): CompareRow[] {
  const a = buildTimeline(base, text), b = buildTimeline(other, text);
  const n = Math.max(a.length, b.length);
  const out: CompareRow[] = [];
  for (let i = 0; i < n; i++) {
    const x = a[i], y = b[i];
    const bt = x ? x.text.join('\n') : '', ot = y ? y.text.join('\n') : '';
    out.push({
      step: i, line: (x ?? y).line, source: (x ?? y).source, base: bt, other: ot,
      baseStatus: x?.status ?? 'none', otherStatus: y?.status ?? 'none', differs: bt !== ot || x?.status !== y?.status,
    });
  }
  return out;
}

// ---- state at a step ------------------------------------------------------------------------

/** The engine state after each step, by replaying a prefix of the statements (LRU cached). */
export class StateAtStep {
  private cache = new Map<number, Kernel>();
  constructor(readonly run: RunResult, private readonly opts: RunOptions = {}, private readonly keep = 3) {}

  engineAt(step: number): Kernel {
    const last = this.run.steps.length - 1;
    if (step >= last) return this.run.engine;
    const hit = this.cache.get(step);
    if (hit) { this.cache.delete(step); this.cache.set(step, hit); return hit; }
    const statements: Statement[] = this.run.scenario.statements.slice(0, step + 1);
    const r = runScenario({ ...this.run.scenario, statements }, [], this.opts);
    this.cache.set(step, r.engine);
    while (this.cache.size > this.keep) this.cache.delete(this.cache.keys().next().value as number);
    return r.engine;
  }
}

function cellOf(flags: number, pfn: number): CellCode {
  if (pte_none(flags, pfn)) return 'n';
  if (!(flags & _PAGE_PRESENT)) return flags & _PAGE_PROTNONE ? 'p' : 'n';
  if (flags & _PAGE_DIRTY) return 'd';
  if (flags & _PAGE_SPECIAL || pfn === ZERO_PFN) return 's';
  return flags & _PAGE_RW ? 'w' : 'r';
}


function objectName(v: Vma, names: Names): string {
  if (!v.file) return 'anon';
  return v.file.anonShmem ? 'anon (shared)' : names.obj(v.file.id);
}

/** What a present PTE maps: object[index], anon, zero. */
function mapsOf(k: Kernel, v: Vma | undefined, addr: number, pfn: number, names: Names): string {
  if (pfn === ZERO_PFN) return 'zero';
  if (!v) return '?';
  if (!v.file) return 'anon';
  const idx = v.pgoff + (addr - v.start) / 4096;
  // a COW copy in a private file mapping is anon memory
  if (!(v.flags & VM_SHARED) && v.file.kind !== 'pfnmap' && k.pfnOf(v.file, idx) !== pfn) return 'anon';
  return `${v.file.anonShmem ? 'anon(shared)' : names.obj(v.file.id)}[${idx}]`;
}

function folioView(k: Kernel, as: AddressSpace, index: number, pfn: number, changed: Set<number>, names: Names): FolioView {
  const mm = k.memmap;
  const valid = pfn !== 0 && mm.pfnValid(pfn);
  const flags = valid ? PG_NAMES.filter(([b]) => mm.flags[pfn] & b).map(([, n]) => n) : [];
  const mp = valid ? mm.mapping[pfn] : 0;
  return {
    index, pfn: pfn ? hex(pfn) : '—', cached: as.backing ? pfn !== 0 : as.folioAt(index) !== 0, flags,
    mapcount: valid ? mm.mapcount[pfn] : 0,
    mapping: !valid ? (pfn ? 'no struct page' : '—') : mp === 0 ? 'NULL' : mp > 0 ? names.obj(mp) : `anon_vma ${-mp}`,
    pageIndex: valid && mp !== 0 ? mm.index[pfn] : null, changed: changed.has(pfn),
  };
}

/** What a step changed (PTEs, VMA layouts, folios), shared by both ways of building its detail. */
function stepChanges(run: RunResult, text: string, stepIndex: number) {
  const names = namesOf(run);
  const step = run.steps[stepIndex];
  const changed = step ? changedPtes(run, step) : new Set<number>();
  const changedVmaPids = new Set<number>();
  const changedPfns = new Set<number>();
  const stepEvents = step ? boundedEvents(run, step).events : [];
  for (const e of stepEvents) { if (e.t === 'vmas') changedVmaPids.add(e.pid); if (e.t === 'folio') changedPfns.add(e.pfn); }
  return { names, step, changed, changedVmaPids, changedPfns, stepEvents, lines: text.split(/\r?\n/) };
}

export function buildStepDetail(run: RunResult, text: string, stepIndex: number, k: Kernel): StepDetail {
  const { names, step, changed, changedVmaPids, changedPfns, stepEvents, lines } = stepChanges(run, text, stepIndex);

  let pteCount = 0;
  const procs: ProcView[] = [];
  for (const t of k.tasks.values()) {
    const vmas: VmaView[] = t.mm.vmas.map((v) => {
      const n = Math.min(v.pages, MAX_CELLS);
      let cells = '';
      const ch: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = v.start + i * 4096;
        cells += cellOf(t.mm.pteFlags(a), t.mm.ptePfn(a));
        if (changed.has(pteKey(t.pid, a))) ch.push(i);
      }
      return {
        id: v.id, start: hex(v.start), end: hex(v.end), pgoff: v.pgoff, flags: smapsFlags(v.flags),
        object: objectName(v, names), label: v.label ?? null, cells, changed: ch, pages: v.pages,
      };
    });
    for (const tb of t.mm.pt.tables()) pteCount += tb.used;
    procs.push({ name: t.name, pid: t.pid, alive: t.alive, minFlt: t.minFlt, majFlt: t.majFlt, vmas, changedVmas: changedVmaPids.has(t.pid) });
  }

  const objects: ObjectView[] = [];
  for (const [name, as] of run.objects) {
    // the replayed engine has its own AddressSpace objects: find by id
    const o = k.objects.get(as.id);
    if (!o) continue;
    const folios: FolioView[] = [];
    const n = Math.min(o.sizePages, MAX_FOLIOS);
    for (let i = 0; i < n; i++) {
      const pfn = k.pfnOf(o, i);
      if (!o.backing && pfn === 0) continue;
      folios.push(folioView(k, o, i, pfn, changedPfns, names));
    }
    const iMmap: IntervalView[] = o.iMmap.inorder().map((v) => ({
      proc: names.proc(v.mm.pid), label: v.label ?? null, vmaStart: hex(v.start), vmaEnd: hex(v.end),
      first: v.pgoff, last: v.lastPgoff, shared: (v.flags & VM_SHARED) !== 0,
    }));
    const fb = o.fb;
    objects.push({
      name, kind: o.kind, pages: o.sizePages, nrpages: o.backing ? o.sizePages : o.nrpages, folios, iMmap,
      defio: fb ? { pending: [...fb.pagereflist], due: fb.workDue ?? null, delay: fb.delay, lastWritten: [...fb.lastWritten], workRuns: fb.workRuns, sorted: fb.sorted } : null,
    });
  }

  const walks: WalkView[] = [];
  if (step) {
    const evs = stepEvents;
    for (let wi = 0; wi < evs.length; wi++) {
      const e = evs[wi];
      if (e.t !== 'walk') continue;
      walks.push(walkView(e, evs, wi, kernelLookups(k), names));
    }
  }
  return {
    step: stepIndex, line: step?.line ?? 0, time: step?.time ?? 0, source: step ? sourceLine(lines, step.line) : '',
    text: step ? (step.expect ? [step.expect.message] : describeStep(step, names, run)) : [],
    procs, objects, walks, pteCount, pteChanged: changed.size,
  };
}

/** What a walk's view reads from the state at its step (an engine, or a TraceIndex). */
interface WalkLookups {
  vma(pid: number, id: number): { start: number; end: number; pgoff: number; lastPgoff: number } | undefined;
  pte(pid: number, addr: number): { flags: number; pfn: number } | undefined;
}

function kernelLookups(k: Kernel): WalkLookups {
  return {
    vma: (pid, id) => k.tasks.get(pid)?.mm.vmas.find((v) => v.id === id),
    pte: (pid, addr) => { const mm = k.tasks.get(pid)?.mm; return mm ? { flags: mm.pteFlags(addr), pfn: mm.ptePfn(addr) } : undefined; },
  };
}

function walkView(e: Extract<TraceEvent, { t: 'walk' }>, evs: TraceEvent[], at: number, k: WalkLookups, names: Names): WalkView {
  const pfnFirst = e.pfn, nr = Math.max(1, e.nr);
  const visits: WalkVisitView[] = e.visits.map((v) => {
    const vma = k.vma(v.pid, v.vma);
    const ptes: WalkPteView[] = v.ptes.map((p) => {
      // the PTE change this walk made is the first pte event for (pid, addr) after the walk began
      let before: string | undefined, after: string | undefined;
      for (let j = at + 1; j < evs.length; j++) {
        const x = evs[j];
        if (x.t === 'walk') break;
        if (x.t === 'pte' && x.pid === v.pid && x.addr === p.addr) {
          before ??= formatPteFlags(x.before.flags >>> 0, x.before.pfn); after = formatPteFlags(x.after.flags >>> 0, x.after.pfn);
        }
      }
      if (before === undefined) {
        const pte = k.pte(v.pid, p.addr);
        before = after = pte ? formatPteFlags(pte.flags >>> 0, pte.pfn) : '?';
      }
      return { addr: hex(p.addr), indices: [pgdIndex(p.addr), pudIndex(p.addr), pmdIndex(p.addr), pteIndex(p.addr)], before, after: after!, counted: p.counted };
    });
    return {
      proc: names.proc(v.pid), label: v.label ?? null,
      vma: vma ? `${hex(vma.start)}–${hex(vma.end)}` : `vma ${v.vma}`,
      interval: vma ? `[${vma.pgoff}, ${vma.lastPgoff}]` : '',
      skipped: v.skipped, reason: v.reason ?? null, address: v.skipped ? null : hex(v.address), ptes,
    };
  });
  return {
    api: e.api, mapping: e.mapping ? names.obj(e.mapping) : '—', pgoffFirst: e.pgoff, pgoffLast: e.pgoff + nr - 1,
    pfnFirst: hex(pfnFirst), pfnLast: hex(pfnFirst + nr - 1), path: e.path, visits, result: e.result ?? null,
  };
}

// ---- PTE table: every PTE at a step, filtered and sorted, read a page at a time -----------

interface PteList { pid: Uint32Array; addr: Float64Array; pfn: Uint32Array; n: number }

/** All non-none PTEs of an engine state, indexed for paging. */
export class PteIndex {
  private all: PteList;
  private views = new Map<string, Int32Array>();
  private procNames: Map<number, string>;
  private names: Names;
  private changedSet: Set<number> | undefined;
  constructor(private readonly k: Kernel, private readonly run: RunResult, private readonly step: Step | undefined) {
    let n = 0;
    for (const t of k.tasks.values()) for (const tb of t.mm.pt.tables()) n += tb.used;
    const list: PteList = { pid: new Uint32Array(n), addr: new Float64Array(n), pfn: new Uint32Array(n), n: 0 };
    for (const t of [...k.tasks.values()].sort((a, b) => a.pid - b.pid)) {
      for (const tb of t.mm.pt.tables()) {
        for (let i = 0; i < 512; i++) {
          if (tb.flags[i] === 0 && tb.pfn[i] === 0) continue;
          if (list.n >= n) break;
          list.pid[list.n] = t.pid; list.addr[list.n] = tb.base + i * 4096; list.pfn[list.n] = tb.pfn[i]; list.n++;
        }
      }
    }
    this.all = list;
    this.procNames = new Map([...run.pids].map(([name, pid]) => [pid, name]));
    this.names = namesOf(run);
  }
  private changed(): Set<number> { return (this.changedSet ??= this.step ? changedPtes(this.run, this.step) : new Set()); }
  get total(): number { return this.all.n; }

  private view(f: PteFilter): Int32Array {
    const key = JSON.stringify([f.proc ?? '', f.object ?? '', !!f.changed, f.sort ?? 'addr', !!f.desc]);
    const hit = this.views.get(key);
    if (hit) return hit;
    const L = this.all;
    const pid = f.proc ? this.run.pids.get(f.proc) ?? -1 : undefined;
    const objId = f.object ? (f.object === 'anon' ? 0 : this.run.objects.get(f.object)?.id ?? -1) : undefined;
    const changed = f.changed ? this.changed() : undefined;
    let idx = new Int32Array(L.n);
    let m = 0;
    for (let i = 0; i < L.n; i++) {
      if (pid !== undefined && L.pid[i] !== pid) continue;
      if (changed && !changed.has(pteKey(L.pid[i], L.addr[i]))) continue;
      if (objId !== undefined) {
        const v = this.k.tasks.get(L.pid[i])?.mm.vma_lookup(L.addr[i]);
        const id = v?.file ? v.file.id : 0;
        if (id !== objId) continue;
      }
      idx[m++] = i;
    }
    idx = idx.slice(0, m);
    if (f.sort === 'pfn') idx.sort((a, b) => L.pfn[a] - L.pfn[b] || a - b);
    if (f.desc) idx.reverse();
    if (this.views.size > 8) this.views.clear();
    this.views.set(key, idx);
    return idx;
  }

  count(f: PteFilter): number { return this.view(f).length; }

  rows(f: PteFilter, offset: number, count: number): PteRow[] {
    const idx = this.view(f), L = this.all;
    const names = this.names;
    const changed = this.changed();
    const out: PteRow[] = [];
    for (let j = offset; j < Math.min(idx.length, offset + count); j++) {
      const i = idx[j];
      const pid = L.pid[i], addr = L.addr[i];
      const mm = this.k.tasks.get(pid)!.mm;
      const flags = mm.pteFlags(addr) >>> 0, pfn = mm.ptePfn(addr);
      const v = mm.vma_lookup(addr);
      out.push({
        proc: this.procNames.get(pid) ?? String(pid), addr: hex(addr),
        idx: `${pgdIndex(addr)}/${pudIndex(addr)}/${pmdIndex(addr)}/${pteIndex(addr)}`,
        pfn: hex(pfn), flags, text: formatPteFlags(flags, pfn),
        maps: flags & (_PAGE_PRESENT | _PAGE_PROTNONE) ? mapsOf(this.k, v, addr, pfn, names) : 'swap/none',
        changed: changed.has(pteKey(pid, addr)),
      });
    }
    return out;
  }
}

/** Whether a PFN has a struct page in use (for tests and the objects view). */
export function hasStructPage(k: Kernel, pfn: number): boolean { return (k.memmap.flags[pfn] & PG_allocated) !== 0; }

// ---- state at a step from the trace (checkpoints + deltas, no replay) ---------------------
//
// TraceIndex (timeTravel.ts) rebuilds PTEs, VMAs and the traced folio fields at any step.
// What it cannot rebuild is filled in as follows: mapcount is the number of present,
// non-special PTEs mapping the PFN at that step (what folio_mapcount counts for these
// small folios); fault counts are counted from the fault records up to the step; the
// i_mmap list is the VMAs (at that step) mapping the object, in pgoff order; PG_locked /
// PG_readahead transients, refcount and the deferred-I/O state are not shown (defio is
// null except at the last step, which is described from the finished engine).


const sameVmaList = (vs: VmaSnapshot[], addr: number) => vs.find((v) => addr >= v.start && addr < v.end);

function snapObjectName(run: RunResult, file: number, names: Names): string {
  if (!file) return 'anon';
  return run.engine.objects.get(file)?.anonShmem ? 'anon (shared)' : names.obj(file);
}

function snapMaps(run: RunResult, ti: TraceIndex, step: number, v: VmaSnapshot | undefined, addr: number, pfn: number, names: Names): string {
  if (pfn === ZERO_PFN) return 'zero';
  if (!v) return '?';
  if (!v.file) return 'anon';
  const idx = v.pgoff + (addr - v.start) / 4096;
  const o = run.engine.objects.get(v.file);
  if (!(v.flags & VM_SHARED) && o?.kind !== 'pfnmap') {
    const f = ti.folioAt(step, pfn);
    if (!(f.mapping === v.file && f.index === idx)) return 'anon';
  }
  return `${o?.anonShmem ? 'anon(shared)' : names.obj(v.file)}[${idx}]`;
}

/** Fault counts per pid over steps 0..step (from the fault records). */
function faultCounts(run: RunResult, step: number): Map<number, { min: number; maj: number }> {
  const out = new Map<number, { min: number; maj: number }>();
  const rec = run.recorder;
  rec.decode(0, step + 1, (c) => {
    if (c.t !== 'fault') return;
    let m = out.get(c.pid);
    if (!m) { m = { min: 0, maj: 0 }; out.set(c.pid, m); }
    const o = rec.materialise(c) as Extract<TraceEvent, { t: 'fault' }>;
    if (o.outcome === 'major') m.maj++; else if (o.outcome === 'minor' || o.outcome === undefined) m.min++;
  });
  return out;
}

/**
 * The detail of a step from a TraceIndex (no replay): address spaces from the PTE and VMA
 * history, folios from the traced folio fields with mapcount counted from the PTEs.
 */
export function buildStepDetailFromTrace(run: RunResult, text: string, stepIndex: number, ti: TraceIndex): StepDetail {
  const last = run.steps.length - 1;
  if (stepIndex >= last) return buildStepDetail(run, text, stepIndex, run.engine);
  const { names, step, changed, changedVmaPids, changedPfns, stepEvents, lines } = stepChanges(run, text, stepIndex);
  const faults = faultCounts(run, stepIndex);
  const pids = [...run.pids].sort((a, b) => a[1] - b[1]);
  const vmasOf = new Map<number, VmaSnapshot[]>();
  for (const [, pid] of pids) vmasOf.set(pid, ti.vmasAt(stepIndex, pid));

  let pteCount = 0;
  const procs: ProcView[] = [];
  for (const [name, pid] of pids) {
    // a process exists from the step that created it (its first VMA snapshot or PTE)
    const vs = vmasOf.get(pid)!;
    const vmas: VmaView[] = vs.map((v) => {
      const pages = (v.end - v.start) / 4096;
      const n = Math.min(pages, MAX_CELLS);
      let cells = '';
      const ch: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = v.start + i * 4096;
        const p = ti.pteAt(stepIndex, pid, a);
        cells += cellOf(p.flags >>> 0, p.pfn);
        if (changed.has(pteKey(pid, a))) ch.push(i);
      }
      return {
        id: v.id, start: hex(v.start), end: hex(v.end), pgoff: v.pgoff, flags: smapsFlags(v.flags),
        object: snapObjectName(run, v.file, names), label: v.label ?? null, cells, changed: ch, pages,
      };
    });
    pteCount += ti.pteCount(stepIndex, { pid });
    const f = faults.get(pid) ?? { min: 0, maj: 0 };
    // exits are not in the trace (the last step, described from the engine, has them)
    procs.push({ name, pid, alive: true, minFlt: f.min, majFlt: f.maj, vmas, changedVmas: changedVmaPids.has(pid) });
  }

  // folios of each object at this step: the PFNs whose traced page-cache state names the object
  const objects: ObjectView[] = [];
  const mmSize = run.engine.memmap.flags.length;
  const want = new Map<number, FolioView[]>();
  const byPfn = new Map<number, FolioView>();
  for (const [name, as] of run.objects) {
    const o = run.engine.objects.get(as.id) ?? as;
    const folios: FolioView[] = [];
    const mk = (index: number, pfn: number, flags: number, mapping: number, pageIndex: number | null, cached: boolean): FolioView => {
      const fv: FolioView = {
        index, pfn: pfn ? hex(pfn) : '—', cached, flags: PG_NAMES.filter(([b]) => flags & b).map(([, n]) => n), mapcount: 0,
        mapping: !pfn ? '—' : mapping === 0 ? 'NULL' : mapping > 0 ? names.obj(mapping) : `anon_vma ${-mapping}`,
        pageIndex, changed: changedPfns.has(pfn),
      };
      if (pfn) byPfn.set(pfn, fv);
      return fv;
    };
    if (o.backing) {
      for (let i = 0; i < Math.min(o.sizePages, MAX_FOLIOS); i++) {
        const pfn = run.engine.pfnOf(o, i);
        const f = ti.folioAt(stepIndex, pfn);
        folios.push(mk(i, pfn, f.flags, f.mapping, f.mapping ? f.index : null, pfn !== 0));
      }
    } else {
      for (let pfn = 1; pfn < mmSize; pfn++) {
        const f = ti.folioAt(stepIndex, pfn);
        if (f.cached !== as.id || f.index >= MAX_FOLIOS) continue;
        folios.push(mk(f.index, pfn, f.flags, f.mapping, f.index, true));
      }
      folios.sort((a, b) => a.index - b.index);
    }
    want.set(as.id, folios);
    const iMmap: IntervalView[] = [];
    for (const [pname, pid] of pids) {
      for (const v of vmasOf.get(pid)!) {
        if (v.file !== as.id) continue;
        const pages = (v.end - v.start) / 4096;
        iMmap.push({ proc: pname, label: v.label ?? null, vmaStart: hex(v.start), vmaEnd: hex(v.end), first: v.pgoff, last: v.pgoff + pages - 1, shared: (v.flags & VM_SHARED) !== 0 });
      }
    }
    iMmap.sort((a, b) => a.first - b.first || a.last - b.last);
    objects.push({ name, kind: o.kind, pages: o.sizePages, nrpages: o.backing ? o.sizePages : folios.length, folios, iMmap, defio: null });
  }
  // mapcount: present, non-special PTEs mapping each shown folio's PFN at this step
  if (byPfn.size) {
    for (const [, pid] of pids) {
      const n = ti.pteCount(stepIndex, { pid });
      for (let off = 0; off < n; off += 65536) {
        for (const p of ti.ptesAt(stepIndex, { pid }, off, 65536)) {
          if (!(p.flags & _PAGE_PRESENT) || (p.flags & _PAGE_SPECIAL)) continue;
          const fv = byPfn.get(p.pfn);
          if (fv) fv.mapcount++;
        }
      }
    }
  }

  const lookups: WalkLookups = {
    vma: (pid, id) => {
      const v = vmasOf.get(pid)?.find((x) => x.id === id);
      return v ? { start: v.start, end: v.end, pgoff: v.pgoff, lastPgoff: v.pgoff + (v.end - v.start) / 4096 - 1 } : undefined;
    },
    pte: (pid, addr) => ti.pteAt(stepIndex, pid, addr),
  };
  const walks: WalkView[] = [];
  for (let wi = 0; wi < stepEvents.length; wi++) {
    const e = stepEvents[wi];
    if (e.t === 'walk') walks.push(walkView(e, stepEvents, wi, lookups, names));
  }
  return {
    step: stepIndex, line: step?.line ?? 0, time: step?.time ?? 0, source: step ? sourceLine(lines, step.line) : '',
    text: step ? (step.expect ? [step.expect.message] : describeStep(step, names, run)) : [],
    procs, objects, walks, pteCount, pteChanged: changed.size,
  };
}

/** PTE table pages at a step from a TraceIndex: same filters, sorts and rows as PteIndex. */
export class TracePtePager {
  private views = new Map<string, { pid: Uint32Array; addr: Float64Array; pfn: Uint32Array; flags: Uint32Array; n: number }>();
  private readonly names: Names;
  private readonly procNames: Map<number, string>;
  private readonly pids: number[];
  private changedSet: Set<number> | undefined;
  constructor(private readonly ti: TraceIndex, private readonly run: RunResult, readonly step: number) {
    this.names = namesOf(run);
    this.procNames = new Map([...run.pids].map(([name, pid]) => [pid, name]));
    this.pids = [...run.pids.values()].sort((a, b) => a - b);
  }
  private changed(): Set<number> { return (this.changedSet ??= this.run.steps[this.step] ? changedPtes(this.run, this.run.steps[this.step]) : new Set()); }
  private fast(f: PteFilter): boolean { return !f.object && !f.changed && f.sort !== 'pfn'; }
  private pidsOf(f: PteFilter): number[] {
    if (!f.proc) return this.pids;
    const p = this.run.pids.get(f.proc);
    return p === undefined ? [] : [p];
  }

  /** the filtered, sorted list, materialised (object / changed filters, PFN sort) */
  private view(f: PteFilter) {
    const key = JSON.stringify([f.proc ?? '', f.object ?? '', !!f.changed, f.sort ?? 'addr', !!f.desc]);
    const hit = this.views.get(key);
    if (hit) return hit;
    const objId = f.object ? (f.object === 'anon' ? 0 : this.run.objects.get(f.object)?.id ?? -1) : undefined;
    const changed = f.changed ? this.changed() : undefined;
    let n = 0;
    for (const pid of this.pidsOf(f)) n += this.ti.pteCount(this.step, { pid });
    const L = { pid: new Uint32Array(n), addr: new Float64Array(n), pfn: new Uint32Array(n), flags: new Uint32Array(n), n: 0 };
    for (const pid of this.pidsOf(f)) {
      const vs = this.ti.vmasAt(this.step, pid);
      const c = this.ti.pteCount(this.step, { pid });
      for (let off = 0; off < c; off += 65536) {
        for (const p of this.ti.ptesAt(this.step, { pid }, off, 65536)) {
          if (changed && !changed.has(pteKey(pid, p.addr))) continue;
          if (objId !== undefined) { const v = sameVmaList(vs, p.addr); if ((v?.file ?? 0) !== objId) continue; }
          const i = L.n++;
          L.pid[i] = pid; L.addr[i] = p.addr; L.pfn[i] = p.pfn; L.flags[i] = p.flags;
        }
      }
    }
    let idx = Array.from({ length: L.n }, (_, i) => i);
    if (f.sort === 'pfn') idx.sort((a, b) => L.pfn[a] - L.pfn[b] || a - b);
    if (f.desc) idx = idx.reverse();
    const out = { pid: new Uint32Array(L.n), addr: new Float64Array(L.n), pfn: new Uint32Array(L.n), flags: new Uint32Array(L.n), n: L.n };
    idx.forEach((i, j) => { out.pid[j] = L.pid[i]; out.addr[j] = L.addr[i]; out.pfn[j] = L.pfn[i]; out.flags[j] = L.flags[i]; });
    if (this.views.size > 8) this.views.clear();
    this.views.set(key, out);
    return out;
  }

  count(f: PteFilter): number {
    if (!this.fast(f)) return this.view(f).n;
    let n = 0;
    for (const pid of this.pidsOf(f)) n += this.ti.pteCount(this.step, { pid });
    return n;
  }

  rows(f: PteFilter, offset: number, count: number): PteRow[] {
    let list: { pid: number; addr: number; pfn: number; flags: number }[] = [];
    if (this.fast(f)) {
      // address order straight from the index: whole tables are skipped by their counts
      const total = this.count(f);
      let lo = offset, hi = Math.min(total, offset + count);
      if (f.desc) { lo = Math.max(0, total - offset - count); hi = total - offset; }
      let base = 0;
      for (const pid of this.pidsOf(f)) {
        const c = this.ti.pteCount(this.step, { pid });
        if (hi > base && lo < base + c) {
          const from = Math.max(lo, base) - base, to = Math.min(hi, base + c) - base;
          list.push(...this.ti.ptesAt(this.step, { pid }, from, to - from));
        }
        base += c;
      }
      if (f.desc) list.reverse();
    } else {
      const v = this.view(f);
      for (let j = offset; j < Math.min(v.n, offset + count); j++) list.push({ pid: v.pid[j], addr: v.addr[j], pfn: v.pfn[j], flags: v.flags[j] });
    }
    const changed = this.changed();
    const vmas = new Map<number, VmaSnapshot[]>();
    return list.map(({ pid, addr, pfn, flags: fl }) => {
      const flags = fl >>> 0;
      let vs = vmas.get(pid);
      if (!vs) { vs = this.ti.vmasAt(this.step, pid); vmas.set(pid, vs); }
      const v = sameVmaList(vs, addr);
      return {
        proc: this.procNames.get(pid) ?? String(pid), addr: hex(addr),
        idx: `${pgdIndex(addr)}/${pudIndex(addr)}/${pmdIndex(addr)}/${pteIndex(addr)}`,
        pfn: hex(pfn), flags, text: formatPteFlags(flags, pfn),
        maps: flags & (_PAGE_PRESENT | _PAGE_PROTNONE) ? snapMaps(this.run, this.ti, this.step, v, addr, pfn, this.names) : 'swap/none',
        changed: changed.has(pteKey(pid, addr)),
      };
    });
  }
}
