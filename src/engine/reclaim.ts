// mm/vmscan.c: reclaim_pages() → reclaim_folio_list() → shrink_folio_list() for the folios
// MADV_PAGEOUT isolated (order-0), with its rmap walks: folio_referenced() (unless the
// version ignores references) and try_to_unmap() (mm/rmap.c). Anonymous folios go to swap
// (add_to_swap, swap PTEs) when there is a device; lazyfree folios are discarded or, when
// redirtied, mapped again; clean file folios leave the page cache; dirty file folios are
// unmapped and kept dirty (only kswapd writes file folios from reclaim). No MGLRU
// (CONFIG_LRU_GEN off or disabled), no memcg.

import type { Kernel } from './kernel';
import {
  PG_active, PG_anon_exclusive, PG_dirty, PG_lru, PG_reclaim, PG_referenced, PG_swapbacked, PG_swapcache,
  PG_writeback, PageKind,
} from './memmap';
import { MM_ANONPAGES, MM_SWAPENTS } from './mm';
import { pte_dirty, pte_mkold, pte_present, pte_soft_dirty, pte_young } from './pte';
import { folio_mark_dirty } from './memory';
import { mm_counter_file } from './rmapCounts';
import { rmap_walk } from './rmapWalk';
import { split_folio } from './split';
import { folio_entire_mapcount, folio_mapcount, folio_mapped } from './folio';
import { try_to_unmap_large } from './unmapLarge';
import { haddrOf } from './hugeMemory';
import { pte_swp_mkexclusive, pte_swp_mksoft_dirty, swp_entry_flags, SwpType } from './swapEntry';
import {
  add_to_swap, delete_from_swap_cache, folio_free_swap, folio_swap_slot, swap_duplicate, swap_writepage,
  vm_swap_full,
} from './swap';
import { VM_EXEC, type Vma } from './vma';

/** Is the folio on an LRU list (anonymous and page-cache folios; not a driver's pages)? */
export function folio_test_lru(k: Kernel, pfn: number): boolean {
  const kind = k.memmap.kind[pfn];
  return kind === PageKind.Anon || (kind === PageKind.PageCache && k.memmap.test(pfn, PG_lru));
}

/** page_vma_mapped_walk() for an order-0 folio in one VMA: the address if its PTE maps pfn. */
function mappedAt(vma: Vma, address: number, pfn: number): boolean {
  if (address < vma.start || address >= vma.end) return false;
  const f = vma.mm.pteFlags(address);
  return pte_present(f) && vma.mm.ptePfn(address) === pfn;
}

// mm/rmap.c: folio_referenced() with folio_referenced_one(): test-and-clear the young bit
// of every PTE mapping the folio (ptep_clear_flush_young_notify); stops once every mapping
// was seen. Returns the number of VMAs that referenced it and their vm_flags.
export function folio_referenced(k: Kernel, pfn: number): { referenced: number; vmFlags: number } {
  const mm = k.memmap;
  // pra.mapcount = folio_mapcount(): a PMD-mapped THP is one mapping, seen at its head
  let mapcount = mm.order[pfn] ? folio_mapcount(mm, pfn) : mm.mapcount[pfn];
  let referenced = 0, vmFlags = 0;
  if (!mapcount || !mm.mapping[pfn]) return { referenced, vmFlags };
  rmap_walk(k, pfn, {
    api: 'folio_referenced',
    rmapOne(vma, address) {
      let ref = 0;
      if (mappedAt(vma, address, pfn)) {
        const f = vma.mm.pteFlags(address);
        const young = pte_young(f);
        if (young && vma.mm.isPmdMapped(address)) { vma.mm.setPmd(haddrOf(address), pte_mkold(f), pfn, 'folio_referenced_one: pmdp_clear_flush_young'); ref++; }
        else if (young) { vma.mm.setPte(address, pte_mkold(f), pfn, 'folio_referenced_one: ptep_clear_flush_young'); ref++; }
        k.tr.walkPte(vma.mm.pid, address, young);
        mapcount--;
      }
      if (ref) { referenced++; vmFlags |= vma.flags; }
      return mapcount > 0; // !pra->mapcount: break the loop
    },
  }, () => referenced);
  return { referenced, vmFlags };
}

type FolioRef = 'activate' | 'keep' | 'reclaim' | 'reclaim_clean';

// shrink_folio_list(), a large anon folio not yet in the swap cache: is it split before
// add_to_swap()? 6.1–6.9: "Split folios without a PMD map right away" (!folio_entire_mapcount);
// from 6.10 (`shrink-split-partially-mapped`): "Split partially mapped folios right away" —
// only a folio on the deferred split list (6.12: and folio_test_partially_mapped), which the
// model keeps for exactly the partially mapped ones.
function splitRightAway(k: Kernel, pfn: number): boolean {
  const head = k.memmap.head(pfn);
  if (k.profile.has('shrink-split-partially-mapped')) return k.deferredSplit.has(head);
  return folio_entire_mapcount(k.memmap, head) === 0;
}

// split_folio_to_list(folio, folio_list): the head goes on as an order-0 folio, the other
// pages join the list; those the split freed (zero-filled at 6.12) are gone.
function splitToList(k: Kernel, pfn: number, pfns: number[]): 'ok' | 'failed' | 'gone' {
  const mm = k.memmap;
  const head = mm.head(pfn), nr = 1 << mm.order[pfn];
  if (split_folio(k, head) !== 0) return 'failed';
  for (let p = head + 1; p < head + nr; p++) if (mm.pfnValid(p)) pfns.push(p);
  return mm.pfnValid(pfn) ? 'ok' : 'gone';
}

// mm/vmscan.c: folio_check_references()
function folio_check_references(k: Kernel, pfn: number): FolioRef {
  const mm = k.memmap;
  const { referenced: ptes, vmFlags } = folio_referenced(k, pfn);
  const referencedFolio = mm.clearFlag(pfn, PG_referenced);
  if (ptes) {
    mm.setFlag(pfn, PG_referenced);
    if (referencedFolio || ptes > 1) return 'activate';
    if ((vmFlags & VM_EXEC) && !mm.test(pfn, PG_swapbacked)) return 'activate';
    return 'keep';
  }
  if (referencedFolio && !mm.test(pfn, PG_swapbacked)) return 'reclaim_clean';
  return 'reclaim';
}

// mm/rmap.c: try_to_unmap() with try_to_unmap_one() — clear each PTE that maps the folio
// (its dirty bit moves into the folio); an anonymous folio leaves a swap entry (exclusive
// if the page was PageAnonExclusive, soft-dirty kept), a lazyfree folio is discarded
// unless it was redirtied (then the PTE comes back and the folio is swap-backed again).
export function try_to_unmap(k: Kernel, pfn: number): void {
  const mm = k.memmap;
  rmap_walk(k, pfn, {
    api: 'try_to_unmap',
    rmapOne(vma, address) {
      if (!mappedAt(vma, address, pfn)) return true;
      const vmm = vma.mm;
      const pteval = vmm.pteFlags(address);
      const anonExclusive = mm.folioTestAnon(pfn) && mm.test(pfn, PG_anon_exclusive);
      vmm.setPte(address, 0, 0, 'try_to_unmap_one: ptep_clear_flush');
      if (pte_dirty(pteval)) folio_mark_dirty(k, pfn);
      if (mm.folioTestAnon(pfn)) {
        if (!mm.test(pfn, PG_swapbacked)) {
          // MADV_FREE folio: discard it if nobody redirtied it
          // "the only page refs must be one from isolation plus the rmap(s)" (6.1–6.17)
          if (mm.refcount[pfn] === mm.mapcount[pfn] && !mm.test(pfn, PG_dirty)) {
            k.tr.walkPte(vmm.pid, address, true);
            vmm.rss[MM_ANONPAGES]--;
            discard(k, pfn);
            return true;
          }
          vmm.setPte(address, pteval, pfn, 'try_to_unmap_one: lazyfree folio redirtied, PTE restored');
          mm.setFlag(pfn, PG_swapbacked);
          k.tr.walkPte(vmm.pid, address, false);
          return false;
        }
        const slot = folio_swap_slot(k, pfn);
        swap_duplicate(k, slot);
        if (anonExclusive) mm.clearFlag(pfn, PG_anon_exclusive); // page_try_share_anon_rmap()
        vmm.rss[MM_ANONPAGES]--;
        vmm.rss[MM_SWAPENTS]++;
        let swp = swp_entry_flags(SwpType.Swap);
        if (anonExclusive) swp = pte_swp_mkexclusive(swp);
        if (pte_soft_dirty(pteval)) swp = pte_swp_mksoft_dirty(swp);
        vmm.setPte(address, swp >>> 0, slot, 'try_to_unmap_one: swap entry');
      } else {
        vmm.rss[mm_counter_file(k, pfn)]--;
      }
      k.tr.walkPte(vmm.pid, address, true);
      discard(k, pfn);
      return true;
    },
    done: () => mm.mapcount[pfn] <= 0,
  }, () => mm.mapcount[pfn]);
}

// the `discard:` label: page_remove_rmap() and the mapping's reference
function discard(k: Kernel, pfn: number): void {
  const mm = k.memmap;
  mm.mapcount[pfn]--;
  mm.refcount[pfn]--;
}

// mm/vmscan.c: __remove_mapping() for a page-cache folio: out of the page cache, freed.
function remove_page_cache_folio(k: Kernel, pfn: number): void {
  const mm = k.memmap;
  const as = k.objects.get(mm.mapping[pfn]);
  if (as) {
    const index = mm.index[pfn];
    if (as.iPages[index] === pfn) { as.iPages[index] = 0; as.nrpages--; }
    k.tr.folioSet(pfn, 'cached', as.id, 0);
  }
  k.tr.call('__remove_mapping: __filemap_remove_folio');
  mm.freePage(pfn);
}

function activate(k: Kernel, pfn: number): void {
  const mm = k.memmap;
  // activate_locked: a swap-cache folio is dropped from the cache when swap is full
  if (mm.test(pfn, PG_swapcache) && vm_swap_full(k)) folio_free_swap(k, pfn);
  if (mm.pfnValid(pfn)) mm.setFlag(pfn, PG_active);
}

// mm/vmscan.c: shrink_folio_list() on folios MADV_PAGEOUT isolated. Returns the number reclaimed.
export function shrink_folio_list(k: Kernel, pfns: number[], ignoreReferences: boolean): number {
  const mm = k.memmap;
  let reclaimed = 0;
  k.tr.call(ignoreReferences ? 'shrink_folio_list: ignore_references' : 'shrink_folio_list');
  for (const pfn of pfns) {
    mm.clearFlag(pfn, PG_active); // reclaim_pages(): folio_clear_active()
    const fileLru = !mm.test(pfn, PG_swapbacked);
    if (mm.test(pfn, PG_writeback)) { mm.setFlag(pfn, PG_reclaim); activate(k, pfn); continue; }
    let refs: FolioRef = 'reclaim';
    if (!ignoreReferences) {
      k.tr.call('folio_check_references');
      refs = folio_check_references(k, pfn);
    }
    if (refs === 'activate') { activate(k, pfn); continue; }
    if (refs === 'keep') continue;
    if (mm.folioTestAnon(pfn) && mm.test(pfn, PG_swapbacked) && !mm.test(pfn, PG_swapcache)) {
      // no `!k.swap` shortcut: add_to_swap() fails without a device, and a large folio is
      // then split all the same (shared16's measurement on 6.1.192 and 6.12.118)
      if (mm.order[pfn] && splitRightAway(k, pfn)) {
        k.tr.call('shrink_folio_list: split_folio_to_list');
        const r = splitToList(k, pfn, pfns);
        if (r === 'failed') { activate(k, pfn); continue; }
        if (r === 'gone') continue;
      }
      if (!add_to_swap(k, pfn)) {
        if (!mm.order[pfn]) { activate(k, pfn); continue; }
        // "Fallback to swap normal pages" (THP_SWPOUT_FALLBACK): split_folio_to_list(), the
        // head goes on, the other pages join the list
        k.tr.call('shrink_folio_list: add_to_swap failed → split_folio_to_list');
        const r = splitToList(k, pfn, pfns);
        if (r === 'failed') { activate(k, pfn); continue; }
        if (r === 'gone') continue;
        if (!add_to_swap(k, pfn)) { activate(k, pfn); continue; }
      }
    }
    if (folio_mapped(mm, pfn)) {
      k.tr.call('try_to_unmap');
      if (mm.order[pfn] && mm.folioTestAnon(pfn)) try_to_unmap_large(k, pfn); else try_to_unmap(k, pfn);
      // a lazyfree large folio whose every PTE was discarded is freed by its last unmap
      if (!mm.pfnValid(pfn)) { k.tr.call('shrink_folio_list: lazyfree folio freed (PGLAZYFREED)'); reclaimed++; continue; }
      if (folio_mapped(mm, pfn)) { activate(k, pfn); continue; }
    }
    if (mm.test(pfn, PG_dirty)) {
      if (fileLru && !mm.folioTestAnon(pfn)) {
        // only kswapd writes file folios: madvise's reclaim keeps them dirty
        k.tr.call('shrink_folio_list: dirty file folio, not kswapd → activate');
        mm.setFlag(pfn, PG_reclaim);
        activate(k, pfn);
        continue;
      }
      if (refs === 'reclaim_clean') continue;
      if (mm.test(pfn, PG_swapcache)) {
        // pageout() → swap_writepage(), after folio_clear_dirty_for_io()
        k.tr.call('pageout');
        mm.clearFlag(pfn, PG_dirty);
        mm.setFlag(pfn, PG_reclaim);
        swap_writepage(k, pfn);
        if (!mm.test(pfn, PG_writeback)) mm.clearFlag(pfn, PG_reclaim);
        if (mm.test(pfn, PG_writeback) || mm.test(pfn, PG_dirty)) continue; // keep
      } else {
        // a dirty shmem folio: shmem_writepage() redirties it when there is no swap; with a
        // swap device the kernel moves it to swap (a swap entry in the page cache), which the
        // engine does not model: it keeps the folio and says so
        if (k.swap) k.tr.warn('MADV_PAGEOUT of a dirty shmem folio with swap on: the kernel would swap it out (shmem_writepage); mmscope keeps it in memory');
        k.tr.call('pageout: shmem folio redirtied (AOP_WRITEPAGE_ACTIVATE)');
        activate(k, pfn);
        continue;
      }
    }
    if (mm.folioTestAnon(pfn) && !mm.test(pfn, PG_swapbacked)) {
      // lazyfree: folio_ref_freeze(folio, 1) — only the isolation reference left
      if (mm.refcount[pfn] > 0) continue;
      k.tr.call('shrink_folio_list: lazyfree folio freed (PGLAZYFREED)');
      mm.freePage(pfn);
      reclaimed++;
      continue;
    }
    if (mm.test(pfn, PG_swapcache)) {
      k.tr.call('__remove_mapping: __delete_from_swap_cache');
      const nr = 1 << mm.order[pfn];
      k.deferredSplit.delete(pfn); // a large folio freed leaves the deferred split queue
      delete_from_swap_cache(k, pfn);
      reclaimed += nr;
      continue;
    }
    if (mm.mapping[pfn] > 0) {
      if (mm.refcount[pfn] !== 1) continue; // someone else holds it: keep
      remove_page_cache_folio(k, pfn);
      reclaimed++;
    }
  }
  return reclaimed;
}
