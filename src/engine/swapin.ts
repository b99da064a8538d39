// mm/memory.c: do_swap_page() — a fault on a PTE that holds a swap entry (order-0). The
// folio comes from the swap cache (a minor fault) or is read from the device (major:
// VM_FAULT_MAJOR); a synchronous device skips the swap cache for an entry with one user.
// Exclusive reuse as the kernel decides it: the swap PTE's exclusive bit, a fresh folio,
// or a reference count of 1 after should_try_to_free_swap(). memory.ts calls this and
// runs do_wp_page() itself when a write fault is left over.

import type { Kernel } from './kernel';
import { PG_anon_exclusive, PG_swapcache } from './memmap';
import { MM_ANONPAGES, MM_SWAPENTS } from './mm';
import { pte_mkdirty, pte_mksoft_dirty, pte_mkwrite, pte_soft_dirty } from './pte';
import { pte_swp_exclusive, pte_swp_soft_dirty } from './swapEntry';
import {
  folio_free_swap, folio_swap_slot, read_swap_cache_async, swap_cache_lookup, swap_count, swap_free, vm_swap_full,
} from './swap';
import { PageKind, PG_lru, PG_swapbacked, PG_uptodate } from './memmap';
import { alloc_swap_folio_order, do_swap_page_large } from './swapinLarge';
import { FAULT_FLAG_WRITE, VM_FAULT_MAJOR, VM_FAULT_SIGBUS, type VmFault } from './vmOps';
import { VM_SOFTDIRTY, VM_WRITE, linear_page_index } from './vma';

// mm/memory.c: should_try_to_free_swap()
function should_try_to_free_swap(k: Kernel, pfn: number, vmf: VmFault): boolean {
  if (!k.memmap.test(pfn, PG_swapcache)) return false;
  if (vm_swap_full(k)) return true; // mem_cgroup_swap_full(); no VM_LOCKED/mlock in the model
  // 2 = the swap cache's reference + the fault's
  return (vmf.flags & FAULT_FLAG_WRITE) !== 0 && k.memmap.refcount[pfn] === 2;
}

/** do_swap_page() for vmf (vmf.origFlags/origPfn hold the swap PTE). */
export function do_swap_page(k: Kernel, vmf: VmFault): number {
  const vma = vmf.vma, mm = k.memmap, si = k.swap;
  const off = vmf.origPfn;
  k.tr.call('do_swap_page');
  if (!si) return VM_FAULT_SIGBUS; // no device: the entry cannot exist
  let ret = 0;
  let pfn = swap_cache_lookup(k, off);
  let fresh = false;
  // a large folio stays in the swap cache only if try_to_unmap() left it mapped, which the
  // model's reclaim cannot (zram completes the write and frees it): mapping one of its pages
  // here (6.1) or all of them (6.11, "entirely map large folios found in swapcache") is not modelled
  if (pfn && mm.order[pfn]) k.tr.warn('swap-in found a large folio in the swap cache: not modelled (mmscope maps its head page)');
  if (pfn) { k.tr.call('do_swap_page: swap_cache_get_folio → hit (minor)'); mm.refcount[pfn]++; }
  else {
    if (si.sync && swap_count(k, off) === 1) {
      // skip the swap cache: a new folio read synchronously, never in the cache; from 6.12 a
      // large one where alloc_swap_folio() finds an order for it (swapinLarge.ts)
      const order = k.profile.has('swapin-large-folio') ? alloc_swap_folio_order(k, vmf) : 0;
      if (order) return do_swap_page_large(k, vmf, order);
      k.tr.call('do_swap_page: SWP_SYNCHRONOUS_IO, skip swapcache');
      pfn = mm.allocPage(PageKind.Anon);
      mm.flags[pfn] |= PG_swapbacked | PG_lru;
      k.tr.call('swap_read_folio');
      mm.written[pfn] = si.written[off];
      mm.setFlag(pfn, PG_uptodate);
      fresh = true;
    } else {
      k.tr.call('swapin_readahead');
      pfn = read_swap_cache_async(k, off);
      mm.refcount[pfn]++; // the fault's reference
    }
    k.tr.call('do_swap_page: read from swap → VM_FAULT_MAJOR');
    ret = VM_FAULT_MAJOR;
  }
  // the fault's reference (lookup, read or allocation) becomes the mapping's below
  let exclusive = pte_swp_exclusive(vmf.origFlags);
  if (fresh) exclusive = true;
  swap_free(k, off);
  if (!fresh && should_try_to_free_swap(k, pfn, vmf)) folio_free_swap(k, pfn);
  vma.mm.rss[MM_ANONPAGES]++;
  vma.mm.rss[MM_SWAPENTS]--;
  let pte = vma.pageProt;
  if (pte_swp_soft_dirty(vmf.origFlags)) pte = pte_mksoft_dirty(pte);
  if (exclusive || mm.refcount[pfn] === 1) {
    if (k.profile.has('swapin-map-writable')) {
      // 6.11+: writable even on a read fault, unless soft-dirty tracking needs the fault
      const softDirtyWp = !vma.has(VM_SOFTDIRTY) && !pte_soft_dirty(pte);
      if (vma.has(VM_WRITE) && !softDirtyWp) {
        pte = pte_mkwrite(pte);
        if (vmf.flags & FAULT_FLAG_WRITE) { pte = pte_mkdirty(pte); vmf.flags &= ~FAULT_FLAG_WRITE; }
      }
    } else if (vmf.flags & FAULT_FLAG_WRITE) {
      pte = pte_mkdirty(pte);
      if (vma.has(VM_WRITE)) pte = pte_mkwrite(pte);
      vmf.flags &= ~FAULT_FLAG_WRITE;
    }
    exclusive = true;
  }
  // page_add_anon_rmap() / folio_add_new_anon_rmap(): a folio not yet anon gets the VMA's
  // anon_vma (exclusive) or its root (shared)
  if (mm.mapping[pfn] >= 0) {
    const av = vma.anonVma!;
    mm.setMapping(pfn, -(exclusive ? av.id : av.root.id));
    mm.setIndex(pfn, linear_page_index(vma, vmf.address));
  }
  mm.mapcount[pfn]++;
  if (exclusive) mm.setFlag(pfn, PG_anon_exclusive);
  vma.mm.setPte(vmf.address, pte, pfn, ret & VM_FAULT_MAJOR ? 'do_swap_page: read from swap' : 'do_swap_page: from the swap cache');
  if (folio_swap_slot(k, pfn) && !mm.test(pfn, PG_swapcache)) throw new Error('engine BUG: swap slot without PG_swapcache');
  return ret;
}
