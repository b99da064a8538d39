// A reference PTE table built by replay (the engine state at the step), used to check the
// product's TracePtePager (src/views/ptePager.ts) and to record the webview fixtures: same
// filters, sorts and rows, computed the slow and obviously right way.

import type { Kernel } from '../../../src/engine/kernel';
import { formatPteFlags, _PAGE_PRESENT, _PAGE_PROTNONE } from '../../../src/engine/pte';
import { pgdIndex, pudIndex, pmdIndex, pteIndex } from '../../../src/engine/pageTable';
import type { RunResult } from '../../../src/scenario/run';
import type { Step } from '../../../src/scenario/trace';
import type { PteFilter, PteRow } from '../../../src/shared/inspectorView';
import { hex, namesOf, pteKey, type Names } from '../../../src/views/names';
import { mapsOf } from '../../../src/views/stepDetail';
import { changedPtes } from '../../../src/views/stepScan';

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

