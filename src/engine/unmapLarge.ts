// mm/rmap.c: try_to_unmap(folio, TTU_BATCH_FLUSH [| TTU_SPLIT_HUGE_PMD]) of a large anon
// folio in the swap cache (THP/mTHP swap-out whole, shrink_folio_list): one rmap walk over
// the folio's pgoffs [index, index + nr - 1], each VMA in tree order; try_to_unmap_one()
// first splits a PMD mapping into PTEs (TTU_SPLIT_HUGE_PMD: split_huge_pmd_address(vma,
// address, false, folio) in 6.1, split_huge_pmd_locked() inside the walk from 6.12: the
// same 512 PTEs either way, __split_huge_pmd without freeze), then every PTE mapping a page
// of the folio becomes the swap entry folio->swap + (page - head) (page_swap_entry()):
// exclusive if the page was PageAnonExclusive, soft-dirty kept, swap_duplicate() on it; the
// PTE's dirty bit moves into the folio, the page's mapping and the folio's reference go
// (folio_remove_rmap_pte, folio_put). The walk stops once the folio is not mapped.
// A lazyfree folio (MADV_FREE: anon, not swap-backed) takes try_to_unmap_one()'s "MADV_FREE
// page check" instead, per PTE: with no reference but the rmaps (and reclaim's isolation) and
// the folio not dirty (a dirty PTE dirties it first), the PTE is discarded (none; the
// folio is freed with its last one); otherwise the PTE is put back, the folio is swap-backed
// again and the walk ends (6.1 and 6.12; 6.12 still splits the PMD first).

import type { Kernel } from './kernel';
import type { Vma } from './vma';
import { PG_anon_exclusive, PG_dirty, PG_swapbacked } from './memmap';
import { MM_SWAPENTS } from './mm';
import { pte_dirty, pte_present, pte_soft_dirty } from './pte';
import { folio_mark_dirty } from './memory';
import { folio_mapcount } from './folio';
import { __split_huge_pmd, HPAGE_PMD_SIZE } from './hugeMemory';
import { folio_remove_rmap_pte } from './rmapCounts';
import { anonVmaById } from './rmapWalk';
import { pte_swp_mkexclusive, pte_swp_mksoft_dirty, swp_entry_flags, SwpType } from './swapEntry';
import { folio_swap_slot, swap_duplicate } from './swap';

/** The VMAs of the folio's anon_vma tree that overlap pgoffs [first, last], in tree order. */
function anonVmasOf(k: Kernel, mapId: number, first: number, last: number): Vma[] {
  const out: Vma[] = [];
  anonVmaById(k, -mapId)?.rbRoot.forEachOverlap(first, last, (avc) => { out.push(avc.vma); });
  return out;
}

/** try_to_unmap() of the large anon swap-cache folio at head; true when it is no longer mapped. */
export function try_to_unmap_large(k: Kernel, head: number): boolean {
  const mm = k.memmap, nr = 1 << mm.order[head];
  const mapId = mm.mapping[head], first = mm.index[head];
  const slot = folio_swap_slot(k, head);
  k.tr.walkBegin('try_to_unmap', mapId, first, nr, head);
  if (mapId < 0) {
    k.tr.call('rmap_walk_anon');
    for (const vma of anonVmasOf(k, mapId, first, first + nr - 1)) {
      k.tr.walkVisit(vma.mm.pid, vma.id, vma.label, Math.max(vma.start, vma.start + (first - vma.pgoff) * 4096));
      const r = unmapInVma(k, vma, head, nr, slot);
      if (r === 'done') { k.tr.walkEnd(0); return true; }
      if (r === 'abort') break;
      if (folio_mapcount(mm, head) <= 0) break; // folio_not_mapped
    }
  }
  const left = folio_mapcount(mm, head);
  k.tr.walkEnd(left);
  return left <= 0;
}

function unmapInVma(k: Kernel, vma: Vma, head: number, nr: number, slot: number): 'done' | 'abort' | void {
  const mm = k.memmap, m = vma.mm;
  for (let p = head; p < head + nr; p++) {
    const addr = vma.start + (mm.index[p] - vma.pgoff) * 4096;
    if (addr < vma.start || addr >= vma.end) continue;
    if (m.isPmdMapped(addr) && m.ptePfn(addr - (addr % HPAGE_PMD_SIZE)) === head) {
      // TTU_SPLIT_HUGE_PMD: the PMD mapping becomes PTEs first
      __split_huge_pmd(k, vma, addr - (addr % HPAGE_PMD_SIZE), 'try_to_unmap_one: split_huge_pmd (TTU_SPLIT_HUGE_PMD)');
    }
    const pteval = m.pteFlags(addr);
    if (!pte_present(pteval) || m.ptePfn(addr) !== p) continue;
    const anonExclusive = mm.test(p, PG_anon_exclusive);
    m.setPte(addr, 0, 0, 'try_to_unmap_one: ptep_clear_flush');
    if (pte_dirty(pteval)) folio_mark_dirty(k, head);
    if (!mm.test(head, PG_swapbacked)) {
      // MADV_FREE page check: "The only page refs must be one from isolation plus the rmap(s)"
      if (mm.refcount[head] === folio_mapcount(mm, head) && !mm.test(head, PG_dirty)) {
        k.tr.walkPte(m.pid, addr, true);
        folio_remove_rmap_pte(k, p, vma); // discard: MM_ANONPAGES--, the mapping and the reference
        if (!mm.pfnValid(head)) return 'done';
        continue;
      }
      m.setPte(addr, pteval, p, 'try_to_unmap_one: lazyfree folio redirtied, PTE restored');
      mm.setFlag(head, PG_swapbacked);
      k.tr.walkPte(m.pid, addr, false);
      return 'abort';
    }
    const entry = slot + (p - head);
    swap_duplicate(k, entry);
    if (anonExclusive) mm.clearFlag(p, PG_anon_exclusive); // folio_try_share_anon_rmap_pte()
    m.rss[MM_SWAPENTS]++;
    let swp = swp_entry_flags(SwpType.Swap);
    if (anonExclusive) swp = pte_swp_mkexclusive(swp);
    if (pte_soft_dirty(pteval)) swp = pte_swp_mksoft_dirty(swp);
    m.setPte(addr, swp >>> 0, entry, 'try_to_unmap_one: swap entry');
    k.tr.walkPte(m.pid, addr, true);
    folio_remove_rmap_pte(k, p, vma); // page's mapping and the folio's reference (MM_ANONPAGES--)
  }
}
