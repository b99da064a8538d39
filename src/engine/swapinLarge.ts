// mm/memory.c (6.12+, "mm: support large folios swap-in for sync io devices", row
// `swapin-large-folio`): do_swap_page() on a SWP_SYNCHRONOUS_IO device (zram) for an entry
// with one user skips the swap cache and asks alloc_swap_folio() for a folio: the large
// orders below PMD_ORDER enabled for the VMA (thp_vma_allowable_orders with
// BIT(PMD_ORDER) - 1: a PMD-size THP always comes back as order-0 pages) whose aligned range
// fits the VMA (thp_vma_suitable_orders) and whose first swap offset has the alignment the
// address has (thp_swap_suitable_orders); the highest whose aligned range holds contiguous
// swap entries with the same bits (can_swapin_thp: swap_pte_batch), the same zeromap state
// (swap_zeromap_batch) and no slot in the swap cache (non_swapcache_batch). That folio is read
// whole and mapped at once: set_ptes() of nr PTEs, folio_add_new_anon_rmap(RMAP_EXCLUSIVE),
// swap_free_nr(). zswap never enabled (Debian's default: CONFIG_ZSWAP_DEFAULT_ON is not set)
// and no userfaultfd in the model, so neither forces order 0.

import type { Kernel } from './kernel';
import { PageKind, PG_lru, PG_swapbacked, PG_uptodate } from './memmap';
import { MM_SWAPENTS } from './mm';
import { pte_mkdirty, pte_mksoft_dirty, pte_mkwrite, pte_soft_dirty } from './pte';
import { pte_swp_soft_dirty } from './swapEntry';
import { swap_cache_lookup, swap_free } from './swap';
import { ordersHighFirst, thpAnonAllowableOrders, thpVmaSuitableOrders } from './thp';
import { folio_add_new_anon_rmap_large } from './rmapCounts';
import { FAULT_FLAG_WRITE, VM_FAULT_MAJOR, type VmFault } from './vmOps';
import { VM_SOFTDIRTY, VM_WRITE } from './vma';

const PMD_ORDER = 9;

/** can_swapin_thp() for the aligned range of nr PTEs at addr holding the fault's entry. */
function canSwapinThp(k: Kernel, vmf: VmFault, addr: number, nr: number): boolean {
  const m = vmf.vma.mm, si = k.swap!;
  const first = vmf.origPfn - (vmf.address - addr) / 4096;
  if (first < 1 || first + nr > si.pages) return false;
  for (let i = 0; i < nr; i++) {
    const a = addr + i * 4096;
    if (m.pteFlags(a) !== vmf.origFlags || m.ptePfn(a) !== first + i) return false; // swap_pte_batch
    if (si.zeromap[first + i] !== si.zeromap[first]) return false; // swap_zeromap_batch
    if (swap_cache_lookup(k, first + i)) return false; // non_swapcache_batch
  }
  return true;
}

/** alloc_swap_folio(): the order of the folio to swap in (0: __alloc_swap_folio, one page). */
export function alloc_swap_folio_order(k: Kernel, vmf: VmFault): number {
  const vma = vmf.vma, off = vmf.origPfn;
  let orders = thpAnonAllowableOrders(k, vma, (1 << PMD_ORDER) - 1);
  orders = thpVmaSuitableOrders(vma, vmf.address, orders);
  for (const o of ordersHighFirst(orders)) {
    const nr = 1 << o;
    // thp_swap_suitable_orders(): drops orders from the highest down to the first that fits
    if ((vmf.address / 4096) % nr !== off % nr) { orders &= ~(1 << o); continue; }
    break;
  }
  for (const o of ordersHighFirst(orders)) {
    const nr = 1 << o, addr = Math.floor(vmf.address / (nr * 4096)) * nr * 4096;
    if (canSwapinThp(k, vmf, addr, nr)) return o;
  }
  return 0;
}

/** The large-folio swap-in of do_swap_page(): returns the fault result (VM_FAULT_MAJOR). */
export function do_swap_page_large(k: Kernel, vmf: VmFault, order: number): number {
  const vma = vmf.vma, mm = k.memmap, si = k.swap!, nr = 1 << order;
  const addr = Math.floor(vmf.address / (nr * 4096)) * nr * 4096;
  const first = vmf.origPfn - (vmf.address - addr) / 4096;
  k.tr.call(`do_swap_page: SWP_SYNCHRONOUS_IO, skip swapcache, alloc_swap_folio order ${order}`);
  const head = mm.allocFolio(order, PageKind.Anon);
  for (let i = 0; i < nr; i++) { mm.flags[head + i] |= PG_swapbacked | PG_lru; mm.written[head + i] = si.written[first + i]; }
  k.tr.call('swap_read_folio');
  mm.setFlag(head, PG_uptodate);
  k.tr.call('do_swap_page: read from swap → VM_FAULT_MAJOR');
  for (let i = 0; i < nr; i++) swap_free(k, first + i); // swap_free_nr()
  vma.mm.rss[MM_SWAPENTS] -= nr;
  let pte = vma.pageProt;
  if (pte_swp_soft_dirty(vmf.origFlags)) pte = pte_mksoft_dirty(pte);
  // a new folio is exclusive: writable where the VMA allows it (do_swap_page 6.11+)
  const softDirtyWp = !vma.has(VM_SOFTDIRTY) && !pte_soft_dirty(pte);
  if (vma.has(VM_WRITE) && !softDirtyWp) {
    pte = pte_mkwrite(pte);
    if (vmf.flags & FAULT_FLAG_WRITE) { pte = pte_mkdirty(pte); vmf.flags &= ~FAULT_FLAG_WRITE; }
  }
  folio_add_new_anon_rmap_large(k, head, vma, addr, false); // folio_ref_add(nr - 1), MM_ANONPAGES += nr
  for (let i = 0; i < nr; i++) vma.mm.setPte(addr + i * 4096, pte, head + i, `do_swap_page: read from swap, order ${order}`);
  return VM_FAULT_MAJOR;
}
