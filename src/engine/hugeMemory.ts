// mm/huge_memory.c (and the PMD branches of mm/memory.c): PMD-mapped THP — the anonymous
// huge fault and the huge zero folio, the write fault on a PMD, fork's copy_huge_pmd,
// zap, mprotect, and __split_huge_pmd. A PMD leaf lives in the page tables as a PteTable
// with `leaf` set (pageTable.ts); Mm.setPmd installs or clears it.
//
// Imports nothing of memory.ts (memory.ts calls in here).

import type { Kernel } from './kernel';
import type { Vma } from './vma';
import { VM_SHARED, VM_WRITE, linear_page_index } from './vma';
import {
  HPAGE_PMD_NR, HPAGE_PMD_ORDER, PageKind, PG_anon_exclusive, PG_dirty, ZERO_PFN, isHugeZeroPfn,
} from './memmap';
import {
  _PAGE_DIRTY, _PAGE_RW, _PAGE_SOFT_DIRTY, pte_dirty, pte_mkclean, pte_mkdirty, pte_mkold,
  pte_mkspecial, pte_mkwrite, pte_mkyoung, pte_soft_dirty, pte_write, pte_wrprotect, pte_young,
} from './pte';
import { anonVmaPrepare } from './anonVma';
import { anonNeedsCopy } from './dmaPinned';
import { folio_add_new_anon_rmap_large, folio_add_rmap_pmd, folio_remove_rmap_pmd } from './rmapCounts';
import { FAULT_FLAG_UNSHARE, FAULT_FLAG_WRITE, VM_FAULT_FALLBACK, type VmFault } from './vmOps';
import { PMD_ORDER, thpAnonAllowableOrders, thpVmaSuitableOrder } from './thp';
import { MM_ANONPAGES } from './mm';

export const HPAGE_PMD_SIZE = 2 ** 21;
export function haddrOf(addr: number): number { return Math.floor(addr / HPAGE_PMD_SIZE) * HPAGE_PMD_SIZE; }

function maybe_pmd_mkwrite(flags: number, vma: Vma): number { return vma.has(VM_WRITE) ? pte_mkwrite(flags) : flags; }

// mm/memory.c: __handle_mm_fault() — with pmd_none(), create_huge_pmd() is tried when
// thp_vma_allowable_order(PMD_ORDER) (hugepage_vma_check() before 6.8). Only anonymous
// VMAs get here with the model's vm_ops (ext4 and shmem have no ->huge_fault; their PMD
// mappings come from finish_fault/filemap_map_pages → do_set_pmd).
export function pmdHugeFaultAllowed(k: Kernel, vma: Vma): boolean {
  return thpAnonAllowableOrders(k, vma, 1 << PMD_ORDER) !== 0;
}

// mm/huge_memory.c: do_huge_pmd_anonymous_page() — the PMD range must fit the VMA; a read
// with use_zero_page maps the huge zero folio read-only (set_huge_zero_folio); otherwise
// a new PMD-size anon folio, mapped by one PMD, dirty and writable if VM_WRITE
// (__do_huge_pmd_anonymous_page), counted one fault.
export function do_huge_pmd_anonymous_page(k: Kernel, vmf: VmFault): number {
  const vma = vmf.vma, haddr = haddrOf(vmf.address);
  k.tr.call('do_huge_pmd_anonymous_page');
  if (!thpVmaSuitableOrder(vma, haddr, HPAGE_PMD_ORDER)) return VM_FAULT_FALLBACK;
  anonVmaPrepare(vma);
  if (!(vmf.flags & FAULT_FLAG_WRITE) && k.thp.useZeroPage) {
    k.tr.call('mm_get_huge_zero_folio');
    const zero = k.memmap.getHugeZeroFolio();
    k.tr.call('set_huge_zero_folio');
    vma.mm.setPmd(haddr, vma.pageProt, zero, 'set_huge_zero_folio: huge zero page');
    return 0;
  }
  const head = k.memmap.allocFolio(HPAGE_PMD_ORDER, PageKind.Anon);
  folio_add_new_anon_rmap_large(k, head, vma, haddr, true);
  const entry = maybe_pmd_mkwrite(pte_mkdirty(vma.pageProt), vma);
  vma.mm.setPmd(haddr, entry, head, '__do_huge_pmd_anonymous_page: new anon THP');
  return 0;
}

// mm/huge_memory.c: huge_pmd_set_accessed() — young (and dirty on a write) on the PMD.
export function huge_pmd_set_accessed(k: Kernel, vmf: VmFault): void {
  const mm = vmf.vma.mm, haddr = haddrOf(vmf.address);
  k.tr.call('huge_pmd_set_accessed');
  let entry = pte_mkyoung(mm.pteFlags(haddr));
  if (vmf.flags & FAULT_FLAG_WRITE) entry = pte_mkdirty(entry);
  mm.setPmd(haddr, entry, mm.ptePfn(haddr), 'huge_pmd_set_accessed');
}

// mm/huge_memory.c: do_huge_pmd_wp_page() — the huge zero folio always falls back; an
// exclusive anon THP (PageAnonExclusive, or the only reference: folio_move_anon_rmap) is
// reused in place (young, dirty, writable; for FAULT_FLAG_UNSHARE only marked exclusive, the
// PMD stays read-only); anything else splits the PMD and falls back to the PTE fault (which
// then copies one page). Returns 0 or VM_FAULT_FALLBACK.
export function do_huge_pmd_wp_page(k: Kernel, vmf: VmFault): number {
  const vma = vmf.vma, mm = vma.mm, haddr = haddrOf(vmf.address), memmap = k.memmap;
  k.tr.call('do_huge_pmd_wp_page');
  const orig = mm.pteFlags(haddr), head = mm.ptePfn(haddr);
  if (isHugeZeroPfn(head)) {
    __split_huge_pmd(k, vma, haddr, 'do_huge_pmd_wp_page: huge zero page → __split_huge_pmd');
    return VM_FAULT_FALLBACK;
  }
  if (!vma.has(VM_SHARED) && memmap.folioTestAnon(head)) {
    let reuse = memmap.test(head, PG_anon_exclusive);
    if (!reuse && memmap.refcount[head] === 1) {
      k.tr.call('folio_move_anon_rmap');
      for (let p = head; p < head + HPAGE_PMD_NR; p++) memmap.setMapping(p, -vma.anonVma!.id);
      memmap.setFlag(head, PG_anon_exclusive);
      reuse = true;
    }
    if (reuse && (vmf.flags & FAULT_FLAG_UNSHARE)) {
      k.tr.call('do_huge_pmd_wp_page: unshare: the folio is exclusive, the PMD stays read-only');
      return 0;
    }
    if (reuse) {
      const entry = maybe_pmd_mkwrite(pte_mkdirty(pte_mkyoung(orig)), vma);
      mm.setPmd(haddr, entry, head, 'do_huge_pmd_wp_page: reuse');
      return 0;
    }
  }
  __split_huge_pmd(k, vma, haddr, 'do_huge_pmd_wp_page: not exclusive → __split_huge_pmd');
  return VM_FAULT_FALLBACK;
}

// mm/huge_memory.c: __split_huge_pmd() → __split_huge_pmd_locked(): the PMD becomes a PTE
// table. A file/shmem PMD is simply zapped (its pages are refaulted by PTEs, the dirty
// bit moved into the folio); the huge zero folio becomes 512 special PTEs of the small
// zero page; an anon THP becomes 512 PTEs of its pages carrying the PMD's write, young,
// dirty and soft-dirty bits, the folio dirty if the PMD was (the folio's entire mapping becomes 512 PTE mappings, each
// page exclusive iff the head was).
export function __split_huge_pmd(k: Kernel, vma: Vma, haddr: number, why: string, freeze = false): void {
  const mm = vma.mm, memmap = k.memmap;
  const t = mm.pt.lookup(haddr);
  if (!t?.leaf) return;
  k.tr.call('__split_huge_pmd');
  const flags = t.flags[0], head = t.pfn[0];
  if (isHugeZeroPfn(head)) {
    t.leaf = false;
    for (let i = 0; i < 512; i++) mm.setPte(haddr + i * 4096, pte_mkspecial(vma.pageProt), ZERO_PFN, `${why}: zero page`);
    return;
  }
  if (!memmap.folioTestAnon(head)) {
    if (pte_dirty(flags)) memmap.setFlag(head, PG_dirty);
    mm.setPmd(haddr, 0, 0, `${why}: file PMD zapped`);
    folio_remove_rmap_pmd(k, head, vma);
    return;
  }
  const exclusive = memmap.test(head, PG_anon_exclusive);
  // the anon branch: `if (pmd_dirty(old_pmd)) { dirty = true; folio_set_dirty(folio); }`
  // (6.12; SetPageDirty(page) on the head in 6.1)
  if (pte_dirty(flags)) memmap.setFlag(head, PG_dirty);
  t.leaf = false;
  // folio_ref_add(folio, HPAGE_PMD_NR - 1); folio_add_anon_rmap_ptes(); folio_remove_rmap_pmd()
  memmap.refcount[head] += HPAGE_PMD_NR - 1;
  memmap.addEntire(head, -1);
  for (let i = 0; i < HPAGE_PMD_NR; i++) {
    memmap.mapcount[head + i]++;
    if (exclusive) memmap.setFlag(head + i, PG_anon_exclusive); else memmap.clearFlag(head + i, PG_anon_exclusive);
    // mk_pte(page, vma->vm_page_prot): no soft-dirty of its own
    let e = vma.pageProt & ~_PAGE_SOFT_DIRTY;
    if (pte_write(flags)) e = pte_mkwrite(e);
    if (!pte_young(flags)) e = pte_mkold(e);
    // freeze (a folio split): migration entries carry young and dirty (make_migration_entry_dirty,
    // 6.1: "mm: remember young/dirty bit for page migrations") back into the PTEs at every release,
    // and remove_migration_pte() gives the PTE the entry's soft-dirty exactly from 6.9 (`else
    // pte = pte_clear_soft_dirty(pte)` after its pte_mkdirty); before, pte_mkdirty() of a dirty
    // entry leaves soft-dirty set (remove-migration-pte-soft-dirty; 6.1.192 measured).
    // No freeze: "NOTE: this may set soft-dirty too on some archs": x86's pte_mkdirty() sets
    // _PAGE_SOFT_DIRTY with _PAGE_DIRTY, so a dirty PMD splits into soft-dirty PTEs even
    // after clear_refs cleared the PMD's soft-dirty bit; `if (soft_dirty) entry =
    // pte_mksoft_dirty(entry)` only ever adds it
    if (pte_dirty(flags) && (freeze || k.profile.has('split-pmd-pte-dirty'))) e = pte_mkdirty(e);
    if (freeze && k.profile.has('remove-migration-pte-soft-dirty')) e &= ~_PAGE_SOFT_DIRTY;
    if (pte_soft_dirty(flags)) e |= _PAGE_SOFT_DIRTY;
    mm.setPte(haddr + i * 4096, e, head + i, why);
  }
}

/** split_huge_pmd_address() for a VMA boundary at addr (vma_adjust_trans_huge): split the
 *  PMD leaf that straddles it, if any. */
export function split_huge_pmd_address(k: Kernel, vma: Vma, addr: number): void {
  if (addr % HPAGE_PMD_SIZE === 0) return;
  if (!vma.mm.pt.isLeaf(addr)) return;
  k.tr.call('vma_adjust_trans_huge');
  __split_huge_pmd(k, vma, haddrOf(addr), 'vma_adjust_trans_huge: __split_huge_pmd');
}

// mm/huge_memory.c: split_huge_pmd_if_needed() — vma_adjust_trans_huge() on a VMA whose
// bounds a merge moves: a PMD leaf of vma (the PMD range lies inside vma's current bounds)
// straddling the unaligned new boundary is split first.
export function split_huge_pmd_if_needed(k: Kernel, vma: Vma, addr: number): void {
  if (addr % HPAGE_PMD_SIZE === 0) return;
  const haddr = haddrOf(addr);
  if (haddr < vma.start || haddr + HPAGE_PMD_SIZE > vma.end) return;
  split_huge_pmd_address(k, vma, addr);
}

// mm/huge_memory.c: copy_huge_pmd() — the huge zero PMD is copied as is; an anon THP is
// shared (folio_try_dup_anon_rmap_pmd clears PageAnonExclusive), write-protected in
// parent and child, and the child's copy is old; a file PMD is not copied (the child
// faults it in). A maybe-pinned exclusive folio is split instead and false returned: the
// caller copies its PTEs (dmaPinned.ts).
export function copy_huge_pmd(k: Kernel, dst: Vma, src: Vma, haddr: number): boolean {
  const smm = src.mm, dmm = dst.mm, memmap = k.memmap;
  const flags = smm.pteFlags(haddr), head = smm.ptePfn(haddr);
  k.tr.call('copy_huge_pmd');
  if (isHugeZeroPfn(head)) { dmm.setPmd(haddr, flags, head, 'fork: copy_huge_pmd (huge zero page)'); return true; }
  if (!memmap.folioTestAnon(head)) return true;
  // folio_try_dup_anon_rmap_pmd() fails for a maybe-pinned exclusive folio: "split and
  // retry the fault on PTEs" (-EAGAIN: copy_pmd_range goes on to copy_pte_range)
  if (anonNeedsCopy(k, src, head)) { __split_huge_pmd(k, src, haddr, 'fork: copy_huge_pmd: the folio may be pinned: __split_huge_pmd'); return false; }
  for (let p = head; p < head + HPAGE_PMD_NR; p++) memmap.clearFlag(p, PG_anon_exclusive);
  memmap.addEntire(head, 1); memmap.refcount[head]++;
  dmm.rss[MM_ANONPAGES] += HPAGE_PMD_NR;
  const wp = pte_wrprotect(flags);
  if (wp !== flags) smm.setPmd(haddr, wp, head, 'fork: copy_huge_pmd wrprotects the parent (COW)');
  dmm.setPmd(haddr, pte_mkold(wp), head, 'fork: copy_huge_pmd');
  return true;
}

// mm/huge_memory.c: zap_huge_pmd() — clear the PMD; a file folio gets the PMD's dirt.
export function zap_huge_pmd(k: Kernel, vma: Vma, haddr: number, why: string): void {
  const mm = vma.mm, memmap = k.memmap;
  const flags = mm.pteFlags(haddr), head = mm.ptePfn(haddr);
  k.tr.call('zap_huge_pmd');
  mm.setPmd(haddr, 0, 0, why);
  if (isHugeZeroPfn(head)) return;
  if (!memmap.folioTestAnon(head) && (flags & _PAGE_DIRTY)) memmap.setFlag(head, PG_dirty);
  folio_remove_rmap_pmd(k, head, vma);
}

// mm/memory.c: do_set_pmd() — map a PMD-size page-cache folio by one PMD: refused
// (fallback) unless the VMA range and file offset are PMD-aligned and the folio is exactly
// PMD order; dirty and writable on a write fault. Returns 0 or VM_FAULT_FALLBACK.
export function do_set_pmd(k: Kernel, vmf: VmFault, head: number, write: boolean): number {
  const vma = vmf.vma, haddr = haddrOf(vmf.address), memmap = k.memmap;
  k.tr.call('do_set_pmd');
  if (!thpVmaSuitableOrder(vma, haddr, HPAGE_PMD_ORDER)) return VM_FAULT_FALLBACK;
  if (memmap.order[head] !== HPAGE_PMD_ORDER) return VM_FAULT_FALLBACK;
  if (linear_page_index(vma, haddr) !== memmap.index[head]) return VM_FAULT_FALLBACK;
  if (vma.mm.pt.lookup(haddr)) return VM_FAULT_FALLBACK; // !pmd_none
  let entry = vma.pageProt;
  if (write) entry = maybe_pmd_mkwrite(pte_mkdirty(entry), vma);
  folio_add_rmap_pmd(k, head, vma);
  vma.mm.setPmd(haddr, entry, head, 'do_set_pmd: PMD-mapped page-cache folio');
  return 0;
}

/** pmd_mkclean(pmd_wrprotect()) for page_vma_mkclean_one's PMD branch. */
export function pmd_wrprotect_clean(flags: number): number { return pte_mkclean(pte_wrprotect(flags)) & ~(_PAGE_RW | _PAGE_DIRTY); }
