// What the translator knows of the guest while it walks the scenario: the live processes,
// their mappings and which pages of them are still mapped, and the lines that changed
// kernel state without a real counterpart (taint). The emitters read and update it.

import type { MapSpec, PageSpec } from '../../language/ast';
import {
  PAGE_SIZE, type OracleMapping, type OracleObject, type OracleProcess, type OracleSnapshot,
} from './types';

export interface ProcState {
  info: OracleProcess;
  alive: boolean;
  /** label -> mapping; unlabelled mappings are only in `maps` */
  labels: Map<string, MapState>;
  maps: MapState[];
}

export interface MapState {
  m: OracleMapping;
  /** per page: still mapped */
  mapped: boolean[];
  /** per page: under MADV_DONTFORK (VM_DONTCOPY: a fork does not copy it) */
  dontcopy?: boolean[];
}

/** A page an access or `expect pte` names: its address and, when mapped, its mapping. */
export interface ResolvedPage { addr: number; ms?: MapState; page: number | null }

/** Lines that changed kernel state without a real counterpart (taint sources). */
export class Taint {
  private byKey = new Map<string, Set<number>>();
  private byProc = new Map<string, Set<number>>();
  /** lines that changed state every later step may depend on (a THP knob) */
  private all = new Set<number>();
  key(k: string, line: number): void { add(this.byKey, k, line); }
  proc(p: string, line: number): void { add(this.byProc, p, line); }
  everywhere(line: number): void { this.all.add(line); }
  forKey(k: string): number[] { return [...new Set([...(this.byKey.get(k) ?? []), ...this.all])]; }
  forProc(p: string): number[] { return [...new Set([...(this.byProc.get(p) ?? []), ...this.all])]; }
  inheritProc(parent: string, child: string): void {
    for (const l of this.byProc.get(parent) ?? []) this.proc(child, l);
  }
}
function add(m: Map<string, Set<number>>, k: string, v: number): void {
  let s = m.get(k);
  if (!s) m.set(k, (s = new Set()));
  s.add(v);
}

/** Contiguous runs of still-mapped pages in [first, last] of a mapping. */
export function mappedRuns(ms: MapState, first = 0, last = ms.m.pages - 1): { page: number; pages: number }[] {
  const runs: { page: number; pages: number }[] = [];
  for (let i = Math.max(0, first); i <= Math.min(last, ms.m.pages - 1); i++) {
    if (!ms.mapped[i]) continue;
    const prev = runs[runs.length - 1];
    if (prev && prev.page + prev.pages === i) prev.pages++;
    else runs.push({ page: i, pages: 1 });
  }
  return runs;
}

export class OracleModel {
  readonly procs = new Map<string, ProcState>();
  readonly mappings: OracleMapping[] = [];
  /** every mapping of every live process */
  readonly live: MapState[] = [];
  readonly taint = new Taint();
  /** OBJ[I] -> line of the mkclean that writeback stood in for (PG_dirty differs until both dirty it again) */
  readonly dirtyTaint = new Map<string, { obj: string; index: number; line: number }>();
  /** numbers anonymous memory: `anon#N`, `shmem#N` */
  anonSeq = 0;
  /** the `kernel` statement (default 6.15) */
  scenarioKernel = '6.15';
  /** pipes made by vmsplice: the guest's PIPES[] slot, and the processes that hold it */
  readonly pipes = new Map<string, { slot: number; holders: Set<string> }>();
  /** buffers registered by `pin`: the guest's PINS[] slot, and the processes that hold the ring */
  readonly pins = new Map<string, { slot: number; holders: Set<string> }>();
  /** the pins of `pins` that are long-term R/O pins through gup_test (one live at a time) */
  readonly roPins = new Set<string>();

  constructor(
    readonly objects: OracleObject[],
    readonly objByName: Map<string, OracleObject>,
    readonly processes: OracleProcess[],
  ) {}

  obj(n: string): OracleObject | undefined { return this.objByName.get(n); }
  procIndex(n: string): number { return this.processes.findIndex(p => p.name === n); }

  liveProc(n: string): ProcState | undefined {
    const p = this.procs.get(n);
    return p && p.alive ? p : undefined;
  }

  mapsOfKeys(keys: Set<string>): MapState[] {
    return this.live.filter(ms => keys.has(ms.m.objKey) && ms.m.realised && this.procs.get(ms.m.proc)?.alive);
  }

  snapshotsOf(list: MapState[]): OracleSnapshot[] {
    const out: OracleSnapshot[] = [];
    for (const ms of list) {
      for (const r of mappedRuns(ms)) {
        out.push({ proc: ms.m.proc, mapping: ms.m.index, label: ms.m.label, page: r.page, addr: ms.m.addr + r.page * PAGE_SIZE, pages: r.pages });
      }
    }
    return out;
  }

  /** the mapping of process p that covers address a (still mapped), with the page index */
  mappingAt(p: ProcState, a: number): { ms: MapState; page: number } | undefined {
    for (const ms of p.maps) {
      const i = Math.floor((a - ms.m.addr) / PAGE_SIZE);
      if (a >= ms.m.addr && i < ms.m.pages && ms.mapped[i]) return { ms, page: i };
    }
    return undefined;
  }

  /** resolve a page spec of an access or `expect pte` in process p */
  resolvePages(p: ProcState, spec: PageSpec): { pages: ResolvedPage[]; error?: string } {
    if (spec.kind === 'addr') {
      const a = Math.floor(spec.addr.value / PAGE_SIZE) * PAGE_SIZE;
      const hit = this.mappingAt(p, a);
      return { pages: [{ addr: a, ms: hit?.ms, page: hit?.page ?? null }] };
    }
    const ms = p.labels.get(spec.target.name);
    const parts = this.labelled(p, spec.target.name);
    if (!ms && !parts.length) return { pages: [], error: `no mapping labelled ${spec.target.name} in ${p.info.name}` };
    const first = spec.first.value, last = spec.last?.value ?? first;
    const pages: ResolvedPage[] = [];
    for (let i = first; i <= last; i++) {
      // after an mremap of part of it, a label's pages live in more than one mapping
      const at = parts.find(x => x.mapped[i]) ?? ms ?? parts[0];
      pages.push({ addr: at.m.addr + i * PAGE_SIZE, ms: at, page: i });
    }
    return { pages };
  }

  /** the live mappings that hold pages of a label (more than one after a partial mremap) */
  labelled(p: ProcState, label: string): MapState[] {
    return p.maps.filter(x => x.m.label === label);
  }

  /** runs of (mapping, pages) covered by a munmap/mprotect spec */
  resolveMapSpec(p: ProcState, spec: MapSpec): { ms?: MapState; first: number; last: number; addr: number; pages: number }[] {
    if (spec.kind === 'label') {
      const parts = this.labelled(p, spec.label.name);
      return parts.flatMap(ms => {
        const first = spec.first?.value ?? 0, last = spec.last?.value ?? spec.first?.value ?? ms.m.pages - 1;
        return mappedRuns(ms, first, last).map(r => ({ ms, first: r.page, last: r.page + r.pages - 1, addr: ms.m.addr + r.page * PAGE_SIZE, pages: r.pages }));
      }).sort((a, b) => a.addr - b.addr);
    }
    return [{ first: -1, last: -1, addr: Math.floor(spec.addr.value / PAGE_SIZE) * PAGE_SIZE, pages: spec.pages.value }];
  }

  /**
   * What a munmap/mprotect/madvise spec covers: the runs to name in the C and the mappings
   * they hit; or why the step is not observable (nothing named, an unrealisable object).
   */
  specHits(p: ProcState, spec: MapSpec): { runs: ReturnType<OracleModel['resolveMapSpec']>; hit: { ms: MapState; first: number; last: number }[] } | string {
    const pieces = this.resolveMapSpec(p, spec);
    if (pieces.length === 0) return spec.kind === 'label' ? `no mapping labelled ${spec.label.name} in ${p.info.name}` : 'nothing to do';
    const hit = pieces.flatMap(r => (r.ms ? [{ ms: r.ms, first: r.first, last: r.last }] : this.mapsInRange(p, r.addr, r.pages)));
    if (hit.some(h => !h.ms.m.realised)) return 'covers a mapping not made on the real kernel (its object is not realisable, or it is too large for the guest)';
    // the call covers the label's whole range, unmapped pages included, as the engine makes it
    // (state.ts mapSpecRuns: a label mremap did not split is one address range): madvise,
    // mprotect, vmsplice and pin over a hole meet it (ENOMEM, EFAULT) on the kernel too
    const parts = spec.kind === 'label' ? this.labelled(p, spec.label.name) : [];
    if (parts.length === 1 && spec.kind === 'label') {
      const ms = parts[0], first = spec.first?.value ?? 0, last = spec.last?.value ?? spec.first?.value ?? ms.m.pages - 1;
      return { runs: [{ ms, first, last, addr: ms.m.addr + first * PAGE_SIZE, pages: last - first + 1 }], hit };
    }
    return { runs: pieces, hit };
  }

  /** mappings of p hit by [addr, addr+pages) */
  mapsInRange(p: ProcState, addr: number, pages: number): { ms: MapState; first: number; last: number }[] {
    const out = [];
    for (const ms of p.maps) {
      const lo = Math.max(addr, ms.m.addr), hi = Math.min(addr + pages * PAGE_SIZE, ms.m.addr + ms.m.pages * PAGE_SIZE);
      if (lo < hi) out.push({ ms, first: (lo - ms.m.addr) / PAGE_SIZE, last: (hi - ms.m.addr) / PAGE_SIZE - 1 });
    }
    return out;
  }

  addMapping(p: ProcState, m: Omit<OracleMapping, 'index'>): MapState {
    const mm: OracleMapping = { ...m, index: this.mappings.length };
    this.mappings.push(mm);
    const ms: MapState = { m: mm, mapped: new Array(mm.pages).fill(true) };
    p.maps.push(ms);
    if (mm.label) p.labels.set(mm.label, ms);
    this.live.push(ms);
    return ms;
  }

  dropEmpty(p: ProcState): void {
    p.maps = p.maps.filter(ms => ms.mapped.some(Boolean));
    for (const [l, ms] of p.labels) if (!ms.mapped.some(Boolean)) p.labels.delete(l);
    for (let i = this.live.length - 1; i >= 0; i--) if (!this.live[i].mapped.some(Boolean)) this.live.splice(i, 1);
  }

  /** a statement the engine ran without a real counterpart changed the state of object `o` */
  /** a statement the kernel did not run changed, in the engine, process p and these mappings' objects */
  taintProcAndMaps(p: string, maps: readonly MapState[], line: number): void {
    this.taint.proc(p, line);
    for (const ms of maps) this.taintObject(ms.m.objKey, line);
  }

  taintObject(o: string, line: number): void {
    this.taint.key(o, line);
    for (const ms of this.live) if (ms.m.objKey === o) this.taint.proc(ms.m.proc, line);
  }
}
