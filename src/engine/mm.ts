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
  /** MMF_HAS_PINNED: a FOLL_PIN was taken in this mm (pin.ts); fork then checks for pinned pages */
  hasPinned = false;

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
   * set_ptes(): nr consecutive PTEs from addr, all in one PTE table, the PFN advancing by
   * one a page (pfn, pfn + 1, ...), or all cleared when flags and pfn are 0. The same
   * changes and records as setPte() of each page, in order; on a PMD leaf, setPte() of
   * each.
   */
  setPtes(addr: number, nr: number, flags: number, pfn: number, why: string): void {
    const clear = flags === 0 && pfn === 0;
    const t: PteTable | undefined = clear ? this.pt.lookup(addr) : this.pt.alloc(addr);
    if (!t) return;
    const i0 = (addr / 4096) % 512;
    if (t.leaf || i0 + nr > 512) {
      for (let j = 0; j < nr; j++) this.setPte(addr + j * 4096, flags, clear ? 0 : pfn + j, why);
      return;
    }
    this.fill(t, i0, i0 + nr, flags, flags >>> 0, clear ? 0 : pfn - i0, clear, why);
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
    const nf = clear ? 0 : (flags | _PAGE_PSE) >>> 0;
    this.fill(t, 0, 512, nf, nf, head, clear, why);
    if (clear) this.pt.freeIfEmpty(haddr);
  }

  /**
   * Entries [from, to) of table t become (flags, pfn0 + i) — none when `clear` — each
   * traced as setPte() would (`tflags` is the flags word as the caller passed it, which
   * the trace keeps; `flags` the table's uint32), unchanged entries skipped. Consecutive
   * changes with like before values (all none, or the same flags with the PFN advancing)
   * are one pteSetRun() record.
   */
  private fill(t: PteTable, from: number, to: number, tflags: number, flags: number, pfn0: number, clear: boolean, why: string): void {
    if (!clear && flags === 0) { this.fillOneByOne(t, from, to, tflags, flags, pfn0, why); return; }
    if (!clear && t.used === 0) {
      // an empty table (used counts the entries that are not none): every entry changes
      // from none, one run (a new PMD leaf, set_ptes into a new table)
      t.flags.fill(flags, from, to);
      const P = t.pfn;
      for (let i = from; i < to; i++) P[i] = pfn0 + i;
      t.used = to - from;
      this.tr.pteSetRun(this.pid, t.base + from * 4096, to - from, 0, 0, tflags, pfn0 + from, why);
      return;
    }
    // every new entry is none (clear) or none of them is (flags !== 0)
    const F = t.flags, P = t.pfn, tr = this.tr;
    const step = clear ? 0 : 1, np0 = clear ? 0 : pfn0;
    let rs = -1, rbf = 0, rbp = 0, rnone = false, du = 0;
    for (let i = from; i < to; i++) {
      const bf = F[i], bp = P[i], np = np0 + step * i;
      if (bf === flags && bp === np) {
        if (rs >= 0) { t.used += du; du = 0; tr.pteSetRun(this.pid, t.base + rs * 4096, i - rs, rbf, rbp, tflags, np0 + step * rs, why); rs = -1; }
        continue;
      }
      const wasNone = bf === 0 && bp === 0;
      F[i] = flags; P[i] = np;
      if (wasNone !== clear) du += clear ? -1 : 1;
      if (rs >= 0 && (bf !== rbf || bp !== (rnone ? 0 : rbp + (i - rs)))) {
        t.used += du; du = 0;
        tr.pteSetRun(this.pid, t.base + rs * 4096, i - rs, rbf, rbp, tflags, np0 + step * rs, why);
        rs = -1;
      }
      if (rs < 0) { rs = i; rbf = bf; rbp = bp; rnone = wasNone; }
    }
    t.used += du;
    if (rs >= 0) tr.pteSetRun(this.pid, t.base + rs * 4096, to - rs, rbf, rbp, tflags, np0 + step * rs, why);
  }

  /** fill() where a new entry may be none without `clear` (flags 0, PFN reaching 0): each traced alone. */
  private fillOneByOne(t: PteTable, from: number, to: number, tflags: number, flags: number, pfn0: number, why: string): void {
    for (let i = from; i < to; i++) {
      const bf = t.flags[i], bp = t.pfn[i], np = pfn0 + i;
      if (bf === flags && bp === np) continue;
      const wasNone = bf === 0 && bp === 0, isNone = flags === 0 && np === 0;
      t.flags[i] = flags; t.pfn[i] = np;
      if (wasNone && !isNone) t.used++; else if (!wasNone && isNone) t.used--;
      this.tr.pteSet(this.pid, t.base + i * 4096, bf, bp, tflags, np, why);
    }
  }

  /** pmd_trans_huge() at addr: a PMD leaf maps it */
  isPmdMapped(addr: number): boolean { return this.pt.isLeaf(addr); }
}
