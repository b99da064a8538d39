// mm/madvise.c, include/linux/mm.h: the test madvise_cold_or_pageout_pte_range() applies to
// a large folio before it touches it ("Do not interfere with other mappings of this
// folio"), release by release (versions.ts, the `madv-cold-*` rows; docs/kernel-findings.md
// §20). The PMD branch (a PMD-mapped THP) and the PTE branch (a PTE-mapped large folio met
// by the walk) ask it of the folio; before 6.3 of the page the PMD or PTE maps.
//   6.1, 6.2   page_mapcount(page) != 1                          (the PTE's page / the head)
//   6.3, 6.4   folio_mapcount(folio) != 1                        (07e8c82b5eff)
//   6.5 - 6.9  folio_estimated_sharers(folio) != 1 = page_mapcount(first page) != 1
//              (2f406263e3e9); 6.9's PTE branch: ... > 1 (a first page no one maps splits)
//   6.10-6.14  folio_likely_mapped_shared(folio) (6af8cb80d3a9's definition)
//   6.15+      folio_maybe_mapped_shared(folio) (MM-owner tracking, CONFIG_MM_ID)
// MADV_FREE (madvise_free_pte_range, madvise_free_huge_pmd) has its own history before 6.10:
// folio_mapcount != 1, then folio_estimated_sharers != 1 from 6.5 (freeSkipsShared).

import type { Kernel } from './kernel';
import type { Mm } from './mm';
import { folio_entire_mapcount, folio_mapcount, folio_nr_pages, kpagecount } from './folio';
import { pte_present } from './pte';

/**
 * folio_likely_mapped_shared() from 6.10 (6af8cb80d3a9): one mapping is exclusive; a PMD
 * mapping next to any other, or more mappings than pages, is shared; otherwise the first
 * page decides (its own PTE mappings, `_mapcount`, more than one).
 */
export function folio_likely_mapped_shared(k: Kernel, head: number): boolean {
  const mem = k.memmap, mapcount = folio_mapcount(mem, head);
  if (!mem.order[head]) return mapcount > 1;
  if (mapcount <= 1) return false;
  if (folio_entire_mapcount(mem, head) || mapcount > folio_nr_pages(mem, head)) return true;
  return mem.mapcount[mem.head(head)] > 1;
}

/**
 * folio_maybe_mapped_shared() from 6.15 with CONFIG_MM_ID (selected by THP, so Debian's):
 * one mapping is exclusive; otherwise shared when any mm other than `mm` maps the folio
 * (the folio's two MM-id slots and the shared bit follow exactly which mms map it while at
 * most two do; a third mm that never got a slot can leave the bit set after the other two
 * unmapped — not modelled).
 */
export function folio_maybe_mapped_shared(k: Kernel, mm: Mm, head: number): boolean {
  const mem = k.memmap, mapcount = folio_mapcount(mem, head);
  if (!mem.order[head]) return mapcount > 1;
  if (mapcount <= 1) return false;
  return mappingsIn(k, mm, mem.head(head)) !== mapcount;
}

/** The mappings (PTEs, and the PMD as one) of the folio at `head` in `mm`. */
function mappingsIn(k: Kernel, mm: Mm, head: number): number {
  const mem = k.memmap, nr = folio_nr_pages(mem, head);
  let n = 0;
  for (const v of mm.vmas) {
    for (let p = head; p < head + nr; p++) {
      const addr = v.start + (mem.index[p] - v.pgoff) * 4096;
      if (addr < v.start || addr >= v.end) continue;
      if (mm.isPmdMapped(addr)) { if (p === head && mm.ptePfn(addr) === head) n++; continue; }
      if (mm.ptePfn(addr) === p && pte_present(mm.pteFlags(addr))) n++;
    }
  }
  return n;
}

/**
 * Does madvise_cold_or_pageout_pte_range() leave this large folio alone as shared?
 * `page`: the page the PMD (its head) or the PTE maps; `pmd`: the PMD branch.
 */
export function coldPageoutSkipsShared(k: Kernel, mm: Mm, page: number, pmd: boolean): boolean {
  const p = k.profile, mem = k.memmap, head = mem.head(page);
  if (p.has('maybe-mapped-shared')) return folio_maybe_mapped_shared(k, mm, head);
  if (p.has('likely-mapped-shared')) return folio_likely_mapped_shared(k, head);
  if (p.has('madv-cold-estimated-sharers')) {
    const sharers = kpagecount(mem, head); // folio_estimated_sharers(): page_mapcount(folio_page(folio, 0))
    return !pmd && p.has('madv-cold-pte-sharers-gt1') ? sharers > 1 : sharers !== 1;
  }
  if (p.has('madv-cold-folio-mapcount')) return folio_mapcount(mem, head) !== 1;
  return kpagecount(mem, page) !== 1; // page_mapcount(page)
}

/**
 * Does MADV_FREE leave this large folio alone as shared? madvise_free_huge_pmd (`pmd`) and
 * madvise_free_pte_range: folio_mapcount (6.1: total_mapcount) != 1, then
 * folio_estimated_sharers != 1 (6.5; the PTE branch's backported to 6.1.50), then the
 * helpers cold/pageout also use (6.10, 6.15).
 */
export function freeSkipsShared(k: Kernel, mm: Mm, page: number, pmd: boolean): boolean {
  const p = k.profile, mem = k.memmap, head = mem.head(page);
  if (p.has('maybe-mapped-shared')) return folio_maybe_mapped_shared(k, mm, head);
  if (p.has('likely-mapped-shared')) return folio_likely_mapped_shared(k, head);
  if (p.has(pmd ? 'madv-free-pmd-estimated-sharers' : 'madv-free-pte-estimated-sharers')) return kpagecount(mem, head) !== 1;
  return folio_mapcount(mem, head) !== 1;
}

/**
 * madvise_folio_pte_batch() (6.10+): how many PTEs from `addr` (below `end`, in this PTE
 * table) map consecutive pages of the folio holding `page`, present; at least 1.
 */
export function madvise_folio_pte_batch(k: Kernel, mm: Mm, addr: number, end: number, page: number): number {
  const mem = k.memmap, head = mem.head(page), last = head + folio_nr_pages(mem, head);
  let n = 1;
  for (let a = addr + 4096, p = page + 1; a < end && p < last; a += 4096, p++) {
    if (!pte_present(mm.pteFlags(a)) || mm.ptePfn(a) !== p) break;
    n++;
  }
  return n;
}
