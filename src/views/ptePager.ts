// The PTE table at a step, read a page at a time from a TraceIndex: filtered (process,
// object, changed at this step) and sorted (address, PFN; either way).

import { VM_SHARED } from '../engine/vma';
import { formatPteFlags, _PAGE_PRESENT, _PAGE_PROTNONE, _PAGE_PSE } from '../engine/pte';
import { is_migration_pte, is_swap_pte, is_swap_slot_pte } from '../engine/swapEntry';
import { PMD_SIZE, pgdIndex, pudIndex, pmdIndex, pteIndex } from '../engine/pageTable';
import { ZERO_PFN, isHugeZeroPfn } from '../engine/memmap';
import type { RunResult } from '../scenario/run';
import type { VmaSnapshot } from '../scenario/trace';
import type { TraceIndex } from '../scenario/timeTravel';
import type { PteFilter, PteRow } from '../shared/inspectorView';
import { hex, namesOf, pteKey, type Names } from './names';
import { changedPtes } from './stepScan';

const sameVmaList = (vs: VmaSnapshot[], addr: number) => vs.find((v) => addr >= v.start && addr < v.end);

function snapMaps(run: RunResult, ti: TraceIndex, step: number, v: VmaSnapshot | undefined, addr: number, pfn: number, names: Names): string {
  if (pfn === ZERO_PFN) return 'zero';
  if (isHugeZeroPfn(pfn)) return 'huge zero';
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


/** PTE table pages at a step from a TraceIndex: same filters, sorts and rows as PteIndex. */
export class TracePtePager {
  private views = new Map<string, { pid: Uint32Array; addr: Float64Array; pfn: Uint32Array; flags: Uint32Array; n: number }>();
  private readonly names: Names;
  private readonly procNames: Map<number, string>;
  private readonly pids: number[];
  private changedSet: Set<number> | undefined;
  /** the run may have PMD leaves (a THP knob, madvise, large page-cache folios, tmpfs
   *  huge=): the table then lists a PMD as one row, so it takes the materialised path */
  private readonly mayHavePmds: boolean;
  constructor(private readonly ti: TraceIndex, private readonly run: RunResult, readonly step: number) {
    this.names = namesOf(run);
    this.mayHavePmds = run.steps.some((s) => s.kind === 'sysctl_thp' || s.kind === 'madvise') ||
      [...run.engine.objects.values()].some((o) => o.folioOrder > 0 || o.tmpfsHuge !== 'never');
    this.procNames = new Map([...run.pids].map(([name, pid]) => [pid, name]));
    this.pids = [...run.pids.values()].sort((a, b) => a - b);
  }
  private changed(): Set<number> { return (this.changedSet ??= this.run.steps[this.step] ? changedPtes(this.run, this.run.steps[this.step]) : new Set()); }
  private fast(f: PteFilter): boolean { return !this.mayHavePmds && !f.object && !f.changed && f.sort !== 'pfn'; }
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
          if ((p.flags & _PAGE_PSE) && p.addr % PMD_SIZE !== 0) continue; // a PMD is one row, at its first page
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
      // a PMD leaf (_PAGE_PSE; a swap or migration entry is never one here)
      const pmd = !is_swap_pte(flags) && (flags & _PAGE_PSE) !== 0;
      const maps = flags & (_PAGE_PRESENT | _PAGE_PROTNONE) ? snapMaps(this.run, this.ti, this.step, v, addr, pfn, this.names)
        : is_swap_slot_pte(flags) ? `swap slot ${pfn}` : is_migration_pte(flags) ? `migration entry → pfn ${hex(pfn)}` : 'swap/none';
      return {
        proc: this.procNames.get(pid) ?? String(pid), addr: hex(addr),
        idx: pmd ? `${pgdIndex(addr)}/${pudIndex(addr)}/${pmdIndex(addr)}` : `${pgdIndex(addr)}/${pudIndex(addr)}/${pmdIndex(addr)}/${pteIndex(addr)}`,
        // a swap or migration entry's bits are not a present PTE's: its columns stay empty, the text says what it is
        pfn: hex(pfn), flags: is_swap_pte(flags) ? 0 : flags, text: formatPteFlags(flags, pfn),
        maps: pmd ? `${maps}, PMD: 512 pages to ${hex(addr + PMD_SIZE - 4096)}` : maps,
        changed: changed.has(pteKey(pid, addr)),
      };
    });
  }
}
