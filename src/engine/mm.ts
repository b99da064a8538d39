// include/linux/mm_types.h: struct mm_struct — the VMAs in address order (the kernel's
// maple tree; here a sorted array with binary search) and the page tables.

import type { Ids } from './ids';
import { PageTables, PteTable } from './pageTable';
import { _PAGE_PSE, pte_none } from './pte';
import type { Tracer } from './trace';
import type { Vma } from './vma';
import { PageLabels } from './pageLabels';

export const MM_FILEPAGES = 0;
export const MM_ANONPAGES = 1;
export const MM_SWAPENTS = 2;
export const MM_SHMEMPAGES = 3;

export class Mm {
  readonly pt = new PageTables();
  /** VMAs sorted by vm_start */
  vmas: Vma[] = [];
  readonly rss = [0, 0, 0, 0];
  /** the scenario's names for its pages (not a kernel structure: see pageLabels.ts) */
  readonly labels = new PageLabels();

  constructor(readonly pid: number, private readonly tr: Tracer, readonly ids: Ids) {}

  // mm/mmap.c: find_vma() — first VMA with vm_end > addr (may start above addr).
  findVmaIndex(addr: number): number {
    let lo = 0, hi = this.vmas.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (this.vmas[mid].end <= addr) lo = mid + 1; else hi = mid; }
    return lo;
  }
  find_vma(addr: number): Vma | undefined { return this.vmas[this.findVmaIndex(addr)]; }
  /** vma_lookup(): the VMA containing addr. */
  vma_lookup(addr: number): Vma | undefined {
    const v = this.find_vma(addr);
    return v && v.start <= addr ? v : undefined;
  }
  /**
   * VMAs inserted or changed, and ids of VMAs removed, since the last takeVmaChanges()
   * (the trace records VMA history as deltas, so 100,000 mmaps stay linear).
   */
  private vmaChanged = new Set<Vma>();
  private vmaRemoved = new Set<number>();
  insertVma(v: Vma): void {
    const i = this.findVmaIndex(v.start);
    if (i === this.vmas.length) this.vmas.push(v); else this.vmas.splice(i, 0, v);
    this.vmaChanged.add(v);
  }
  removeVma(v: Vma): void {
    let i = this.findVmaIndex(v.start);
    if (this.vmas[i] !== v) i = this.vmas.indexOf(v);
    if (i >= 0) this.vmas.splice(i, 1);
    this.vmaChanged.delete(v); this.vmaRemoved.add(v.id);
  }
  /** exit_mmap(): every VMA goes at once (no splice per VMA). */
  removeAllVmas(): void {
    for (const v of this.vmas) this.vmaRemoved.add(v.id);
    this.vmaChanged.clear();
    this.vmas = [];
  }
  /** A VMA's fields changed (split, mprotect, vma_set_page_prot). */
  touchVma(v: Vma): void { this.vmaChanged.add(v); }
  takeVmaChanges(): { changed: Vma[]; removed: number[] } {
    const r = { changed: [...this.vmaChanged], removed: [...this.vmaRemoved] };
    this.vmaChanged.clear(); this.vmaRemoved.clear();
    return r;
  }
  /** VMAs overlapping [start, end) */
  overlapping(start: number, end: number): Vma[] {
    const out: Vma[] = [];
    for (let i = this.findVmaIndex(start); i < this.vmas.length && this.vmas[i].start < end; i++) out.push(this.vmas[i]);
    return out;
  }

  pteFlags(addr: number): number {
    const t = this.pt.lookup(addr);
    return t ? t.flags[(addr / 4096) % 512] : 0;
  }
  ptePfn(addr: number): number {
    const t = this.pt.lookup(addr);
    return t ? t.pfn[(addr / 4096) % 512] : 0;
  }

  /** set_pte_at() with a trace record of the change and why it happened. On a PMD leaf
   *  it is set_pmd_at() of that leaf (the same flags for all 512 pages, PFN head + i). */
  setPte(addr: number, flags: number, pfn: number, why: string): void {
    const t: PteTable = flags === 0 && pfn === 0 ? this.pt.lookup(addr)! : this.pt.alloc(addr);
    if (!t) return;
    const i = (addr / 4096) % 512;
    if (t.leaf) { this.setPmd(t.base, flags, flags === 0 && pfn === 0 ? 0 : pfn - i, why); return; }
    const bf = t.flags[i], bp = t.pfn[i];
    if (bf === flags >>> 0 && bp === pfn) return; // the tables hold uint32, callers may pass int32
    const wasNone = pte_none(bf, bp), isNone = pte_none(flags, pfn);
    t.flags[i] = flags; t.pfn[i] = pfn;
    if (wasNone && !isNone) t.used++;
    else if (!wasNone && isNone) t.used--;
    this.tr.pteSet(this.pid, addr, bf, bp, flags, pfn, why);
  }

  /**
   * set_pmd_at() of a PMD leaf at haddr (2 MiB aligned) mapping head..head+511, or
   * pmd_clear() when flags and head are 0. The PTE table slot must be empty (pmd_none) or
   * already a leaf. Traced as the 512 per-page entries it changes.
   */
  setPmd(haddr: number, flags: number, head: number, why: string): void {
    const clear = flags === 0 && head === 0;
    const t = clear ? this.pt.lookup(haddr) : this.pt.alloc(haddr);
    if (!t) return;
    if (!clear && !t.leaf && t.used) throw new Error('engine BUG: set_pmd_at over a PTE table that maps pages');
    t.leaf = !clear;
    for (let i = 0; i < 512; i++) {
      const bf = t.flags[i], bp = t.pfn[i];
      const nf = clear ? 0 : (flags | _PAGE_PSE) >>> 0, np = clear ? 0 : head + i;
      if (bf === nf && bp === np) continue;
      const wasNone = pte_none(bf, bp);
      t.flags[i] = nf; t.pfn[i] = np;
      if (wasNone && !clear) t.used++; else if (!wasNone && clear) t.used--;
      this.tr.pteSet(this.pid, haddr + i * 4096, bf, bp, nf, np, why);
    }
    if (clear) this.pt.freeIfEmpty(haddr);
  }

  /** pmd_trans_huge() at addr: a PMD leaf maps it */
  isPmdMapped(addr: number): boolean { return this.pt.isLeaf(addr); }
}
