// mm/madvise.c (6.10+, "mm: madvise: avoid split during MADV_PAGEOUT and MADV_COLD", row
// `madvise-pageout-no-split`): madvise_cold_or_pageout_pte_range() meeting a PTE-mapped large
// folio batches its PTEs (madvise_folio_pte_batch → folio_pte_batch with FPB_IGNORE_DIRTY |
// FPB_IGNORE_SOFT_DIRTY: consecutive pages of the folio, same bits but dirty, soft-dirty and
// young, up to the end of the range). A folio the range maps whole stays large: skipped unless
// it is on the LRU and mapped exactly once per page (folio_mapcount == folio_nr_pages),
// otherwise made old (MADV_COLD: clear_young_dirty_ptes), PG_referenced cleared and isolated
// for reclaim (pageout) or deactivated (cold). One mapped in part is split unless it is likely
// shared (folio_likely_mapped_shared: the first page mapped more than once, or a PMD mapping),
// then its PTEs are read again; a failed split skips the batch.

import type { Kernel } from './kernel';
import type { Vma } from './vma';
import { PG_active, PG_referenced } from './memmap';
import { folio_entire_mapcount, folio_mapcount } from './folio';
import { _PAGE_DIRTY, _PAGE_SOFT_DIRTY, _PAGE_ACCESSED, pte_mkold, pte_present, pte_young } from './pte';
import { folio_test_lru } from './reclaim';
import { split_folio } from './split';

/** folio_pte_batch(): PTEs from addr (< end) mapping page, page + 1, ... of the folio with the same bits. */
function ptebatch(vma: Vma, addr: number, end: number, page: number, head: number, nr: number): number {
  const m = vma.mm, ignore = _PAGE_DIRTY | _PAGE_SOFT_DIRTY | _PAGE_ACCESSED;
  const want = m.pteFlags(addr) & ~ignore;
  let n = 0;
  while (addr + n * 4096 < end && page + n < head + nr) {
    const a = addr + n * 4096, f = m.pteFlags(a);
    if (!pte_present(f) || m.ptePfn(a) !== page + n || (f & ~ignore) !== want) break;
    n++;
  }
  return n;
}

// include/linux/mm.h (6.10): folio_likely_mapped_shared() — more than one mapping, and a PMD
// mapping or the first page mapped more than once.
function folio_likely_mapped_shared(k: Kernel, head: number): boolean {
  const mem = k.memmap;
  if (folio_mapcount(mem, head) <= 1) return false;
  return folio_entire_mapcount(mem, head) > 0 || mem.mapcount[head] > 1;
}

/**
 * The 6.10+ branch for the large folio `page` belongs to, met at addr: the number of PTEs the
 * walk goes past (0: read this PTE again, the folio was split).
 */
export function coldPageoutLargeFolio(k: Kernel, vma: Vma, addr: number, end: number, page: number, pageout: boolean, clearYoung: boolean, list: number[]): number {
  const mem = k.memmap, m = vma.mm;
  const head = mem.head(page), nrFolio = 1 << mem.order[page];
  const nr = ptebatch(vma, addr, end, page, head, nrFolio);
  const why = pageout ? 'madvise_pageout' : 'madvise_cold';
  if (nr < nrFolio) {
    if (folio_likely_mapped_shared(k, head)) return nr;
    k.tr.call(`${why}: split_folio`);
    return split_folio(k, page) === 0 ? 0 : nr;
  }
  if (!folio_test_lru(k, head) || folio_mapcount(mem, head) !== nrFolio) return nr;
  if (clearYoung) {
    for (let i = 0; i < nr; i++) {
      const a = addr + i * 4096, f = m.pteFlags(a);
      if (pte_young(f)) m.setPte(a, pte_mkold(f), page + i, `${why}: clear_young_dirty_ptes`);
    }
  }
  mem.clearFlag(head, PG_referenced);
  if (pageout) list.push(head);
  else { k.tr.call('folio_deactivate'); mem.clearFlag(head, PG_active); }
  return nr;
}
