// mm/madvise.c: madvise(2) for the advices the engine models (order-0 folios): DONTNEED,
// FREE, COLD, PAGEOUT, WILLNEED, POPULATE_READ, POPULATE_WRITE. Each walks the PTEs of
// the range as its madvise_* function does at the scenario's version and skips what it
// skips: non-present and special PTEs, non-LRU folios, folios mapped more than once
// (COLD/PAGEOUT; a large folio by the release's test, madviseShared.ts), VM_PFNMAP (and
// VM_LOCKED, which no statement sets) with EINVAL.

import type { Kernel, Task } from './kernel';
import { PG_active, PG_dirty, PG_referenced, PG_swapbacked, PG_swapcache, PG_uptodate, isHugeZeroPfn } from './memmap';
import { folio_mapcount, folio_nr_pages } from './folio';
import { coldPageoutSkipsShared, freeSkipsShared, madvise_folio_pte_batch } from './madviseShared';
import { split_folio } from './split';
import { PMD_SIZE } from './pageTable';
import { MM_SWAPENTS } from './mm';
import { pte_dirty, pte_mkclean, pte_mkold, pte_none, pte_present, pte_young } from './pte';
import { gup_follow, vm_normal_page, zap_pte_range } from './memory';
import { folio_test_lru, shrink_folio_list } from './reclaim';
import { is_swap_slot_pte } from './swapEntry';
import { folio_free_swap, free_swap_and_cache, read_swap_cache_async, swap_cache_lookup, swap_io_complete } from './swap';
import { VM_IO, VM_LOCKED, VM_PFNMAP, VM_READ, VM_WRITE, type Vma } from './vma';

export const MADVISE_ADVICES = ['dontneed', 'free', 'cold', 'pageout', 'willneed', 'populate_read', 'populate_write'] as const;
export type MadviseAdvice = typeof MADVISE_ADVICES[number];

/** 0, or the errno madvise(2) returns. */
export type MadviseErrno = 0 | 'EINVAL' | 'ENOMEM' | 'EFAULT';

// mm/madvise.c: can_madv_lru_vma() — no VM_LOCKED, VM_PFNMAP or VM_HUGETLB.
function can_madv_lru_vma(vma: Vma): boolean { return !vma.has(VM_PFNMAP | VM_LOCKED); }

/** vma_is_anonymous(): no vm_ops. */
function vma_is_anonymous(vma: Vma): boolean { return !vma.ops; }

/** The PTEs of [start, end) in vma, one PTE table (PMD) at a time, as walk_page_range() does. */
function forEachPmd(start: number, end: number, fn: (from: number, to: number) => void): void {
  const PMD = 2 ** 21;
  for (let a = start; a < end;) {
    const next = Math.min(end, (Math.floor(a / PMD) + 1) * PMD);
    fn(a, next);
    a = next;
  }
}

/**
 * The PMD level of madvise_cold_or_pageout_pte_range() / madvise_free_huge_pmd() for the
 * PMD that holds [start, end): nothing to do for no PMD leaf (false: walk the PTEs). The huge
 * zero page and a THP mapped elsewhere too (`shared`: the caller's test at this release) are
 * left alone (true). A range covering the whole PMD gets `whole` when given (true);
 * otherwise the THP is split (split_huge_page) and, if that worked, the walk goes on with its
 * PTEs (false).
 */
function thpPmd(k: Kernel, vma: Vma, start: number, end: number, why: 'madvise_cold' | 'madvise_pageout' | 'madvise_free_huge_pmd', shared: (head: number) => boolean, whole?: (head: number, flags: number, haddr: number) => void): boolean {
  const mm = vma.mm;
  if (!mm.pt.isLeaf(start)) return false;
  const haddr = start - (start % PMD_SIZE), flags = mm.pteFlags(haddr), head = mm.ptePfn(haddr);
  if (isHugeZeroPfn(head) || shared(head)) return true;
  if (whole && start === haddr && end - start === PMD_SIZE) { whole(head, flags, haddr); return true; }
  k.tr.call(`${why}: split_huge_page`);
  return split_folio(k, head) !== 0;
}

/**
 * A PTE-mapped large folio met by MADV_FREE's PTE walk (madvise_free_pte_range). Up to 6.9:
 * a shared folio (freeSkipsShared) or a failed split ends the walk of this PTE table
 * ('stop'); otherwise it is split and the PTE read again ('again'). From 6.10 (`madv-free-batch`)
 * its PTEs are batched: a folio the batch covers whole is handled whole (`whole`), with no
 * sharing test; one it does not cover is skipped when shared or when the split fails.
 */
function freeLargeFolio(k: Kernel, vma: Vma, addr: number, end: number, page: number): 'again' | 'stop' | { skip: number } | { whole: number } {
  if (!k.profile.has('madv-free-batch')) {
    if (freeSkipsShared(k, vma.mm, page, false)) return 'stop';
    k.tr.call('madvise_free_pte_range: split_folio');
    return split_folio(k, page) === 0 ? 'again' : 'stop';
  }
  const nr = madvise_folio_pte_batch(k, vma.mm, addr, end, page);
  if (nr === folio_nr_pages(k.memmap, page)) return { whole: nr };
  if (freeSkipsShared(k, vma.mm, page, false)) return { skip: nr };
  k.tr.call('madvise_free_pte_range: split_folio');
  return split_folio(k, page) === 0 ? 'again' : { skip: nr };
}

/**
 * A PTE-mapped large folio met by the cold/pageout PTE walk at `addr`. Up to 6.9: a shared
 * folio (coldPageoutSkipsShared) or a failed split ends the walk of this PTE table ('stop');
 * otherwise the folio is split and the PTE read again ('again'). From 6.10 ("mm: madvise:
 * avoid split during MADV_PAGEOUT and MADV_COLD") the walk batches the folio's PTEs
 * (madvise_folio_pte_batch): a folio the batch does not cover whole is split unless shared,
 * and a shared one or a failed split skips the batch (`skip`); a folio covered whole is
 * left whole (`whole`: deactivated or isolated as one folio) unless `folio_mapcount !=
 * folio_nr_pages` (mapped elsewhere too: `skip`).
 */
function coldLargeFolio(k: Kernel, vma: Vma, addr: number, end: number, page: number, why: 'madvise_cold' | 'madvise_pageout'): 'again' | 'stop' | { skip: number } | { whole: number } {
  const mem = k.memmap;
  if (!k.profile.has('madv-cold-avoid-split')) {
    if (coldPageoutSkipsShared(k, vma.mm, page, false)) return 'stop';
    k.tr.call(`${why}: split_folio`);
    return split_folio(k, page) === 0 ? 'again' : 'stop';
  }
  const nr = madvise_folio_pte_batch(k, vma.mm, addr, end, page);
  if (nr === folio_nr_pages(mem, page)) return folio_mapcount(mem, page) !== nr ? { skip: nr } : { whole: nr };
  if (coldPageoutSkipsShared(k, vma.mm, page, false)) return { skip: nr };
  k.tr.call(`${why}: split_folio`);
  return split_folio(k, page) === 0 ? 'again' : { skip: nr };
}

// mm/madvise.c: madvise_cold_or_pageout_pte_range() for one PTE table, then reclaim_pages().
// A PMD-mapped THP the range covers whole is made old (pmd_mkold, ClearPageReferenced) and
// deactivated by MADV_COLD, or isolated whole for reclaim by MADV_PAGEOUT: shrink_folio_list()
// checks its references as one folio and swaps it out whole where add_to_swap() gets it a
// cluster (the zram device), else splits it (split_folio_to_list(), as measured on Debian
// 6.1.192 and 6.12.118 with a swap file) and reclaims the pages (reclaim.ts).
function cold_or_pageout_pte_range(k: Kernel, vma: Vma, start: number, end: number, pageout: boolean): void {
  const mm = vma.mm, mem = k.memmap;
  const list: number[] = [];
  const clearYoung = !pageout || !k.profile.has('pageout-ignore-references');
  const whole = (head: number, flags: number, haddr: number) => {
    // from 6.9 MADV_PAGEOUT leaves the PMD young too (`!pageout && pmd_young(orig_pmd)`)
    if (clearYoung && pte_young(flags)) mm.setPmd(haddr, pte_mkold(flags), head, `${pageout ? 'madvise_pageout' : 'madvise_cold'}: pmd_mkold`);
    mem.clearFlag(head, PG_referenced);
    if (pageout) { if (folio_test_lru(k, head)) list.push(head); return; }
    k.tr.call('folio_deactivate');
    mem.clearFlag(head, PG_active);
  };
  if (thpPmd(k, vma, start, end, pageout ? 'madvise_pageout' : 'madvise_cold', (head) => coldPageoutSkipsShared(k, mm, head, true), whole)) {
    if (list.length) { k.tr.call('reclaim_pages'); shrink_folio_list(k, list, k.profile.has('pageout-ignore-references')); }
    return;
  }
  for (let addr = start; addr < end; addr += 4096) {
    const flags = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
    if (pte_none(flags, pfn) || !pte_present(flags)) continue;
    const page = vm_normal_page(k, vma, flags, pfn);
    if (!page) continue;
    let nr = 1;
    if (mem.order[page]) {
      const next = coldLargeFolio(k, vma, addr, end, page, pageout ? 'madvise_pageout' : 'madvise_cold');
      if (next === 'stop') break;
      if (next === 'again') { addr -= 4096; continue; }
      if ('skip' in next) { addr += (next.skip - 1) * 4096; continue; }
      nr = next.whole;
    }
    // "Do not interfere with other mappings of this folio and non-LRU folio" (a large folio
    // here is mapped whole by this batch: folio_mapcount == folio_nr_pages was checked)
    if (!folio_test_lru(k, page) || (nr === 1 && mem.mapcount[page] !== 1)) { addr += (nr - 1) * 4096; continue; }
    // the batch's PTEs old (clear_young_dirty_ptes) when any was young
    for (let a = addr; a < addr + nr * 4096; a += 4096) {
      const f = mm.pteFlags(a);
      if (clearYoung && pte_young(f)) mm.setPte(a, pte_mkold(f), mm.ptePfn(a), pageout ? 'madvise_pageout: pte_mkold' : 'madvise_cold: pte_mkold');
    }
    const folio = mem.head(page);
    mem.clearFlag(folio, PG_referenced);
    if (pageout) list.push(folio);
    else {
      // folio_deactivate(): to the inactive list
      k.tr.call('folio_deactivate');
      mem.clearFlag(folio, PG_active);
    }
    addr += (nr - 1) * 4096;
  }
  if (pageout && list.length) {
    k.tr.call('reclaim_pages');
    shrink_folio_list(k, list, k.profile.has('pageout-ignore-references'));
  }
}

// mm/madvise.c: madvise_free_pte_range(); a PMD-mapped THP the range covers whole is
// madvise_free_huge_pmd(): clean, old, lazyfree as one folio.
function free_pte_range(k: Kernel, vma: Vma, start: number, end: number): void {
  const mm = vma.mm, mem = k.memmap;
  const wholeThp = (head: number, flags: number, haddr: number) => {
    k.tr.call('madvise_free_huge_pmd');
    mem.clearFlag(head, PG_dirty);
    if (pte_young(flags) || pte_dirty(flags)) mm.setPmd(haddr, pte_mkclean(pte_mkold(flags)), head, 'madvise_free_huge_pmd: old + clean');
    markLazyfree(k, head);
  };
  if (thpPmd(k, vma, start, end, 'madvise_free_huge_pmd', (head) => freeSkipsShared(k, mm, head, true), wholeThp)) return;
  for (let addr = start; addr < end; addr += 4096) {
    const flags = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
    if (pte_none(flags, pfn)) continue;
    if (!pte_present(flags)) {
      // a swap entry: cheaper to drop it than to swap it in later
      if (is_swap_slot_pte(flags)) {
        mm.setPte(addr, 0, 0, 'madvise_free_pte_range: free_swap_and_cache');
        mm.rss[MM_SWAPENTS]--;
        free_swap_and_cache(k, pfn);
      }
      continue;
    }
    const page = vm_normal_page(k, vma, flags, pfn);
    if (!page) continue;
    let nr = 1;
    if (mem.order[page]) {
      const next = freeLargeFolio(k, vma, addr, end, page);
      if (next === 'stop') break;
      if (next === 'again') { addr -= 4096; continue; }
      if ('skip' in next) { addr += (next.skip - 1) * 4096; continue; }
      nr = next.whole;
    }
    const folio = mem.head(page), last = addr + (nr - 1) * 4096;
    if (mem.test(folio, PG_swapcache) || mem.test(folio, PG_dirty)) {
      // "If folio is shared with others, we mustn't clear the folio's dirty flag." (a large
      // folio here is mapped whole by the batch: exclusive when mapcount == nr_pages)
      if (nr === 1 ? mem.mapcount[page] !== 1 : folio_mapcount(mem, folio) !== nr) { addr = last; continue; }
      if (mem.test(folio, PG_swapcache) && !folio_free_swap(k, folio)) { addr = last; continue; }
      mem.clearFlag(folio, PG_dirty);
    }
    for (let a = addr; a <= last; a += 4096) {
      const f = mm.pteFlags(a);
      if (pte_young(f) || pte_dirty(f)) mm.setPte(a, pte_mkclean(pte_mkold(f)), mm.ptePfn(a), 'madvise_free_pte_range: old + clean');
    }
    markLazyfree(k, folio);
    addr = last;
  }
}

// mm/swap.c: folio_mark_lazyfree(): an anonymous swap-backed folio not in the swap cache
function markLazyfree(k: Kernel, page: number): void {
  const mem = k.memmap;
  if (mem.folioTestAnon(page) && mem.test(page, PG_swapbacked) && !mem.test(page, PG_swapcache) && folio_test_lru(k, page)) {
    k.tr.call('folio_mark_lazyfree');
    mem.clearFlag(page, PG_active);
    mem.clearFlag(page, PG_referenced);
    mem.clearFlag(page, PG_swapbacked);
  }
}

// mm/madvise.c: madvise_willneed()
function willneed(k: Kernel, vma: Vma, start: number, end: number): void {
  if (vma_is_anonymous(vma) || !vma.file) {
    // swapin_walk_pmd_entry(): every swap entry read into the swap cache, nothing mapped
    k.tr.call('madvise_willneed: swapin_walk_pmd_entry');
    for (let addr = start; addr < end; addr += 4096) {
      const flags = vma.mm.pteFlags(addr), off = vma.mm.ptePfn(addr);
      if (!is_swap_slot_pte(flags) || !k.swap || swap_cache_lookup(k, off)) continue;
      read_swap_cache_async(k, off);
    }
    return;
  }
  const as = vma.file;
  if (as.kind !== 'file') return; // tmpfs: shmem_swapin_range (no shmem swap here); a device: fadvise is a no-op
  // vfs_fadvise(POSIX_FADV_WILLNEED) → force_page_cache_ra(): read what is not cached, clipped to i_size
  k.tr.call('force_page_cache_ra');
  const first = vma.pgoff + (start - vma.start) / 4096;
  const last = Math.min(as.sizePages - 1, first + (end - start) / 4096 - 1);
  for (let i = first; i <= last; i++) if (!as.folioAt(i)) k.addToPageCache(as, i, PG_uptodate);
}

// mm/gup.c: check_vma_flags() as MADV_POPULATE_* sees it (any refusal is EINVAL).
function populate_vma_ok(vma: Vma, write: boolean): boolean {
  if (vma.has(VM_IO | VM_PFNMAP)) return false;
  if (write) return vma.has(VM_WRITE);
  return vma.has(VM_READ);
}

// mm/madvise.c: madvise_populate() → faultin_page_range() / faultin_vma_page_range():
// get_user_pages over the range: a page whose PTE does not allow the access faults in
// (counted as a fault of the task, no signal); SIGBUS/SIGSEGV → EFAULT. A hole: from 6.10
// madvise_populate() runs over the whole range and stops there with ENOMEM; before, it was
// called per VMA by madvise_walk_vmas(), which skips the hole, populates the VMAs after it
// and returns ENOMEM at the end (versions.ts `madvise-populate-stops-at-hole`).
function populate(k: Kernel, task: Task, start: number, end: number, write: boolean): MadviseErrno {
  const mm = task.mm;
  const stopAtHole = k.profile.has('madvise-populate-stops-at-hole');
  let hole = false;
  for (let addr = start; addr < end; addr += 4096) {
    const vma = mm.vma_lookup(addr);
    if (!vma) {
      if (stopAtHole) return 'ENOMEM';
      hole = true;
      const next = mm.find_vma(addr);
      if (!next || next.start >= end) break;
      addr = next.start - 4096;
      continue;
    }
    if (!populate_vma_ok(vma, write)) return 'EINVAL';
    if (gup_follow(k, task, vma, addr, write) > 0) return 'EFAULT';
  }
  return hole ? 'ENOMEM' : 0;
}

/**
 * madvise(start, end - start, advice) by task. The range is walked VMA by VMA; a hole gives
 * ENOMEM after the mapped parts were advised (madvise_walk_vmas), an advice a VMA refuses
 * stops with its errno.
 */
export function do_madvise(k: Kernel, task: Task, start: number, end: number, advice: MadviseAdvice): MadviseErrno {
  k.tr.call('do_madvise');
  try {
    if (advice === 'populate_read' || advice === 'populate_write') return populate(k, task, start, end, advice === 'populate_write');
    let err: MadviseErrno = 0;
    let at = start;
    for (const vma of task.mm.overlapping(start, end)) {
      if (vma.start > at) err = 'ENOMEM';
      const s = Math.max(start, vma.start), e = Math.min(end, vma.end);
      at = e;
      const r = advise(k, vma, s, e, advice);
      if (r) return r;
    }
    if (at < end) err = 'ENOMEM';
    return err;
  } finally {
    swap_io_complete(k);
  }
}

function advise(k: Kernel, vma: Vma, s: number, e: number, advice: MadviseAdvice): MadviseErrno {
  switch (advice) {
    case 'dontneed':
      // madvise_dontneed_free_valid_vma(): no VM_LOCKED / VM_PFNMAP / hugetlb
      if (!can_madv_lru_vma(vma)) return 'EINVAL';
      k.tr.call('madvise_dontneed_single_vma → zap_page_range_single');
      zap_pte_range(k, vma, s, e, true, 'madvise_dontneed: zap_page_range_single');
      return 0;
    case 'free':
      if (!can_madv_lru_vma(vma)) return 'EINVAL';
      if (!vma_is_anonymous(vma)) return 'EINVAL'; // madvise_free_single_vma()
      k.tr.call('madvise_free_single_vma');
      forEachPmd(s, e, (a, b) => free_pte_range(k, vma, a, b));
      return 0;
    case 'cold':
    case 'pageout':
      if (!can_madv_lru_vma(vma)) return 'EINVAL';
      k.tr.call(advice === 'cold' ? 'madvise_cold' : 'madvise_pageout');
      forEachPmd(s, e, (a, b) => cold_or_pageout_pte_range(k, vma, a, b, advice === 'pageout'));
      return 0;
    case 'willneed':
      willneed(k, vma, s, e);
      return 0;
    default:
      return 0;
  }
}
