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
  k.memmap.refcount[pfn]++;
  vma.mm.rss[mm_counter_file(k, pfn)]++;
}

// include/linux/mm.h: mm_counter_file() — SHMEM for swap-backed folios, else FILE.
export function mm_counter_file(k: Kernel, pfn: number): number {
  return k.memmap.flags[pfn] & PG_swapbacked ? MM_SHMEMPAGES : MM_FILEPAGES;
}

// mm/rmap.c: folio_remove_rmap_pte(); an anon page whose last reference goes is freed.
export function folio_remove_rmap_pte(k: Kernel, pfn: number, vma: Vma): void {
  const mm = k.memmap;
  mm.mapcount[pfn]--;
  mm.refcount[pfn]--;
  if (mm.folioTestAnon(pfn)) {
    vma.mm.rss[MM_ANONPAGES]--;
    if (mm.refcount[pfn] <= 0) mm.freePage(pfn);
  } else {
    vma.mm.rss[mm_counter_file(k, pfn)]--;
  }
}

