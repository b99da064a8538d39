// include/linux/mm.h, include/linux/page-flags.h, fs/proc/page.c: a folio of any order in
// the memmap (memmap.ts keeps the order on every page; the head is the naturally aligned
// first PFN) and its map counts as the kernel reports them.
//
// What the model keeps: per page, the PTE mappings of that page (the kernel's
// page->_mapcount + 1); per large folio, at the head, the PMD mappings (_entire_mapcount
// + 1). From 6.10 ("mm: track mapcount of large folios in single value") the kernel also
// keeps the total in _large_mapcount; its value is always the sum below in every version,
// so the model computes it and the table has no row for it (nothing visible changes).
// CONFIG_NO_PAGE_MAPCOUNT (6.15+, not Debian's default) is not modelled.

import { HPAGE_PMD_ORDER, Memmap, isHugeZeroPfn } from './memmap';

/** page_folio(): the head PFN */
export function folio_head(mm: Memmap, pfn: number): number { return mm.head(pfn); }
export function folio_order(mm: Memmap, pfn: number): number { return mm.order[pfn]; }
export function folio_nr_pages(mm: Memmap, pfn: number): number { return 1 << mm.order[pfn]; }
export function folio_test_large(mm: Memmap, pfn: number): boolean { return mm.order[pfn] > 0; }
export function folio_test_pmd_mappable(mm: Memmap, pfn: number): boolean { return mm.order[pfn] >= HPAGE_PMD_ORDER; }

/** folio_entire_mapcount(): PMD mappings of the folio */
export function folio_entire_mapcount(mm: Memmap, pfn: number): number {
  return mm.order[pfn] ? mm.entireOf(mm.head(pfn)) : 0;
}

// include/linux/mm.h: folio_mapcount() — order 0: the page's mapcount; large: every
// PTE mapping of any page plus every PMD mapping (_large_mapcount + 1 from 6.10; the sum
// of _mapcount and _entire_mapcount before).
export function folio_mapcount(mm: Memmap, pfn: number): number {
  if (isHugeZeroPfn(pfn)) return 0;
  const o = mm.order[pfn];
  if (!o) return mm.mapcount[pfn];
  const head = mm.head(pfn);
  let n = mm.entireOf(head);
  for (let p = head; p < head + (1 << o); p++) n += mm.mapcount[p];
  return n;
}

/** folio_mapped() */
export function folio_mapped(mm: Memmap, pfn: number): boolean { return folio_mapcount(mm, pfn) > 0; }

// fs/proc/page.c: kpagecount_read() — with CONFIG_PAGE_MAPCOUNT (the default, Debian's)
// folio_precise_page_mapcount(): the page's own PTE mappings plus the folio's PMD
// mappings; 0 for the zero pages (special).
export function kpagecount(mm: Memmap, pfn: number): number {
  if (isHugeZeroPfn(pfn)) return 0;
  return mm.mapcount[pfn] + folio_entire_mapcount(mm, pfn);
}

/** The pages of the folio holding pfn: [head, head + nr). */
export function folio_range(mm: Memmap, pfn: number): [number, number] {
  const head = mm.head(pfn);
  return [head, head + (1 << mm.order[pfn])];
}
