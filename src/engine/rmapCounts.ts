// mm/rmap.c: the rmap/mapcount bookkeeping the fault and zap paths call.

import type { Kernel } from './kernel';
import { PG_anon_exclusive, PG_swapbacked } from './memmap';
import type { Vma } from './vma';
import { linear_page_index } from './vma';
import { MM_ANONPAGES, MM_FILEPAGES, MM_SHMEMPAGES } from './mm';

// mm/rmap.c: folio_add_new_anon_rmap(..., RMAP_EXCLUSIVE) via __folio_set_anon():
// mapping = the VMA's anon_vma (exclusive), index = linear_page_index().
export function folio_add_new_anon_rmap(k: Kernel, pfn: number, vma: Vma, address: number): void {
  const mm = k.memmap;
  mm.setMapping(pfn, -vma.anonVma!.id);
  mm.setIndex(pfn, linear_page_index(vma, address));
  mm.flags[pfn] |= PG_swapbacked;
  mm.setFlag(pfn, PG_anon_exclusive);
  mm.mapcount[pfn] = 1;
  vma.mm.rss[MM_ANONPAGES]++;
}

// mm/rmap.c: folio_add_file_rmap_ptes() — also used for kernel pages a driver's ->fault
// hands out (fb_defio's vmalloc pages). RSS: mm_counter_file().
export function folio_add_file_rmap_pte(k: Kernel, pfn: number, vma: Vma): void {
  k.memmap.mapcount[pfn]++;
  k.memmap.refcount[k.memmap.head(pfn)]++;
  vma.mm.rss[mm_counter_file(k, pfn)]++;
}

// include/linux/mm.h: mm_counter_file() — SHMEM for swap-backed folios, else FILE.
export function mm_counter_file(k: Kernel, pfn: number): number {
  return k.memmap.flags[pfn] & PG_swapbacked ? MM_SHMEMPAGES : MM_FILEPAGES;
}

// mm/rmap.c: folio_remove_rmap_pte(); an anon folio whose last reference goes is freed.
// A large anon folio left partly mapped goes on the deferred split queue
// (__folio_remove_rmap → deferred_split_folio).
export function folio_remove_rmap_pte(k: Kernel, pfn: number, vma: Vma): void {
  const mm = k.memmap;
  const head = mm.head(pfn);
  mm.mapcount[pfn]--;
  mm.refcount[head]--;
  if (mm.folioTestAnon(pfn)) {
    vma.mm.rss[MM_ANONPAGES]--;
    if (mm.refcount[head] <= 0) { k.deferredSplit.delete(head); mm.freePage(head); return; }
    if (mm.order[pfn] && mm.mapcount[pfn] === 0 && !k.deferredSplit.has(head)) {
      k.tr.call('deferred_split_folio');
      k.deferredSplit.add(head);
    }
  } else {
    vma.mm.rss[mm_counter_file(k, pfn)]--;
  }
}

// mm/rmap.c: folio_add_new_anon_rmap(folio, vma, addr, RMAP_EXCLUSIVE) for a large folio:
// every page exclusive, mapping = the anon_vma, index = linear_page_index() of each page;
// PTE-mapped (do_anonymous_page with alloc_anon_folio): each page mapped once and the
// folio holds nr references; PMD-mapped (__do_huge_pmd_anonymous_page): one entire mapping.
export function folio_add_new_anon_rmap_large(k: Kernel, head: number, vma: Vma, addr: number, pmd: boolean): void {
  const mm = k.memmap;
  const nr = 1 << mm.order[head];
  const index = linear_page_index(vma, addr);
  // __folio_set_anon(): folio->mapping and folio->index are the head's (traced); the
  // model keeps each tail's own mapping and index too (for per-page readers) without a
  // trace record: the kernel has no such fields on a tail page
  mm.setMapping(head, -vma.anonVma!.id);
  mm.setIndex(head, index);
  const anon = -vma.anonVma!.id, mapcount = pmd ? 0 : 1;
  const mappings = mm.mapping, indexes = mm.index, flags = mm.flags, mapcounts = mm.mapcount;
  if (nr >= 64) {
    // the same stores as the loop below, the constant ones an array at a time
    mappings.fill(anon, head + 1, head + nr);
    mapcounts.fill(mapcount, head, head + nr);
    for (let i = 1; i < nr; i++) indexes[head + i] = index + i;
    for (let p = head; p < head + nr; p++) flags[p] |= PG_swapbacked;
  } else {
    for (let i = 0; i < nr; i++) {
      const p = head + i;
      if (i) { mappings[p] = anon; indexes[p] = index + i; }
      flags[p] |= PG_swapbacked;
      mapcounts[p] = mapcount;
    }
  }
  // SetPageAnonExclusive() of every page (each page's PG_swapbacked is set above first,
  // as in a loop doing both a page at a time: the same flags before, the same records)
  mm.setPageFlags(head, nr, PG_anon_exclusive);
  if (pmd) mm.entire.set(head, 1); else mm.entire.delete(head);
  mm.refcount[head] = pmd ? 1 : nr;
  vma.mm.rss[MM_ANONPAGES] += nr;
}

// mm/rmap.c: folio_add_file_rmap_pmd() / folio_add_anon_rmap_pmd() (fork): one more
// entire mapping and one reference.
export function folio_add_rmap_pmd(k: Kernel, head: number, vma: Vma): void {
  const mm = k.memmap;
  mm.addEntire(head, 1);
  mm.refcount[head]++;
  vma.mm.rss[mm.folioTestAnon(head) ? MM_ANONPAGES : mm_counter_file(k, head)] += 512;
}

// mm/rmap.c: folio_remove_rmap_pmd(); the last reference frees an anon folio; a large
// anon folio still PTE-mapped in part goes on the deferred split queue.
export function folio_remove_rmap_pmd(k: Kernel, head: number, vma: Vma): void {
  const mm = k.memmap;
  mm.addEntire(head, -1);
  mm.refcount[head]--;
  if (mm.folioTestAnon(head)) {
    vma.mm.rss[MM_ANONPAGES] -= 512;
    if (mm.refcount[head] <= 0) { k.deferredSplit.delete(head); mm.freePage(head); }
  } else vma.mm.rss[mm_counter_file(k, head)] -= 512;
}

