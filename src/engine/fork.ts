// kernel/fork.c (mm/mmap.c from 6.16): dup_mmap; mm/memory.c: copy_page_range.

import { holdersFork } from './pageHolders';
import { anonNeedsCopy } from './dmaPinned';
import type { Kernel, Task } from './kernel';
import { _PAGE_UFFD_WP, pte_mkclean, pte_mkdirty, pte_mkold, pte_none, pte_write, pte_wrprotect } from './pte';
import {
  VM_DONTCOPY, VM_MAYWRITE, VM_MIXEDMAP, VM_PFNMAP, VM_SHARED, VM_UFFD_WP, VM_WIPEONFORK, Vma, is_cow_mapping,
} from './vma';
import { anonVmaFork } from './anonVma';
import { maybe_mkwrite, vm_normal_page } from './memory';
import { PG_anon_exclusive, PageKind } from './memmap';
import { MM_ANONPAGES } from './mm';
import { folio_add_new_anon_rmap, mm_counter_file } from './rmapCounts';
import { copy_huge_pmd } from './hugeMemory';
import { is_swap_slot_pte, pte_swp_clear_exclusive, pte_swp_exclusive } from './swapEntry';
import { swap_duplicate } from './swap';
import { MM_SWAPENTS } from './mm';
import { pte_present } from './pte';

// kernel/fork.c (mm/mmap.c from 6.16): dup_mmap() — copy every VMA; a file VMA goes into
// i_mmap right after its parent (vma_interval_tree_insert_after); copy_page_range() only
// when vma_needs_copy().
export function dup_mmap(k: Kernel, parent: Task, child: Task): void {
  child.mm.labels.copyFrom(parent.mm.labels);
  for (const pv of parent.mm.vmas) {
    if (pv.has(VM_DONTCOPY)) continue;
    const cv = new Vma(child.mm, pv.start, pv.end, pv.pgoff, pv.flags, pv.pageProt, pv.ops, pv.file);
    cv.filp = pv.filp; // get_file()
    if (pv.has(VM_WIPEONFORK)) { child.mm.insertVma(cv); continue; }
    anonVmaFork(cv, pv);
    if (cv.file) {
      if (cv.has(VM_SHARED) && cv.has(VM_MAYWRITE)) cv.file.iMmapWritable++;
      cv.file.iMmap.insertAfter(cv, pv);
    }
    child.mm.insertVma(cv);
    if (vma_needs_copy(cv, pv)) copy_page_range(k, cv, pv);
  }
  k.tr.vmasChanged(child.pid);
  k.tr.vmasChanged(parent.pid);
}

// mm/memory.c: vma_needs_copy() — uffd-wp, PFNMAP/MIXEDMAP, or an anon_vma.
function vma_needs_copy(dst: Vma, src: Vma): boolean {
  if (dst.has(VM_UFFD_WP)) return true;
  if (src.has(VM_PFNMAP | VM_MIXEDMAP)) return true;
  return !!src.anonVma;
}

// mm/memory.c: copy_page_range() → copy_pmd_range() (a PMD leaf: copy_huge_pmd) →
// copy_present_ptes(): anon pages are shared
// (PageAnonExclusive cleared, mapcount and refcount up); a COW mapping write-protects a
// writable PTE in parent and child; a VM_SHARED source gives the child a clean copy;
// the child's copy is always old. From 6.9 the PTEs of one large folio are copied as a
// batch (folio_pte_batch, versions.ts `fork-pte-batch`): with the FPB flags of each
// version the batch never joins PTEs whose kept bits differ, so the PTEs come out as the
// per-page copy makes them; the trace names the batch.
function copy_page_range(k: Kernel, dst: Vma, src: Vma): void {
  const cow = is_cow_mapping(src.flags);
  const smm = src.mm, dmm = dst.mm, mm = k.memmap;
  for (let addr = src.start; addr < src.end; addr += 4096) {
    const t = smm.pt.lookup(addr);
    if (!t) { addr = (Math.floor(addr / 2 ** 21) + 1) * 2 ** 21 - 4096; continue; }
    // copy_huge_pmd() splits a maybe-pinned anonymous PMD and falls through to the PTEs
    if (t.leaf && copy_huge_pmd(k, dst, src, t.base)) { addr = t.base + 2 ** 21 - 4096; continue; }
    const flags = smm.pteFlags(addr), pfn = smm.ptePfn(addr);
    if (pte_none(flags, pfn)) continue;
    if (!pte_present(flags)) {
      // copy_nonpresent_pte(): a swap entry gains a user and is no longer exclusive, in
      // the parent too (migration entries never outlive a statement here)
      if (!is_swap_slot_pte(flags)) continue;
      swap_duplicate(k, pfn);
      let pte = flags;
      if (pte_swp_exclusive(flags)) {
        pte = pte_swp_clear_exclusive(flags);
        smm.setPte(addr, pte, pfn, 'fork: copy_nonpresent_pte marks the swap entry shared');
      }
      dmm.rss[MM_SWAPENTS]++;
      dmm.setPte(addr, pte, pfn, 'fork: copy_nonpresent_pte');
      continue;
    }
    const page = vm_normal_page(k, src, flags, pfn);
    // 6.9+: a run of PTEs of one large folio is one folio_pte_batch() batch
    if (page && mm.order[page] && k.profile.has('fork-pte-batch') && (addr === src.start || smm.ptePfn(addr - 4096) !== pfn - 1 || mm.head(pfn - 1) !== mm.head(pfn))) {
      k.tr.call('copy_present_ptes: folio_pte_batch');
    }
    if (page) {
      if (mm.folioTestAnon(page)) {
        // folio_try_dup_anon_rmap_pte(): fails for an exclusive page of a folio that may be
        // pinned (folio_needs_cow_for_dma) — the child gets a copy at once
        if (anonNeedsCopy(k, src, page)) { copy_present_page(k, dst, src, addr, page, flags); continue; }
        mm.clearFlag(page, PG_anon_exclusive);
        mm.mapcount[page]++; mm.refcount[mm.head(page)]++;
        dmm.rss[MM_ANONPAGES]++;
      } else {
        // folio_dup_file_rmap_pte()
        mm.mapcount[page]++; mm.refcount[mm.head(page)]++;
        dmm.rss[mm_counter_file(k, page)]++;
      }
    }
    let child = flags;
    if (cow && pte_write(flags)) {
      smm.setPte(addr, pte_wrprotect(flags), pfn, 'fork: copy_present_ptes wrprotects the parent (COW)');
      child = pte_wrprotect(child);
    }
    if (src.has(VM_SHARED)) child = pte_mkclean(child);
    child = pte_mkold(child);
    dmm.setPte(addr, child, pfn, 'fork: copy_present_ptes');
  }
}

// mm/memory.c: copy_present_page() — the child's own copy of a maybe-pinned page: a new
// exclusive anonymous page, mapped dirty, young and (VM_WRITE) writable; the parent's PTE
// is left as it is, so the pinned page stays the parent's.
function copy_present_page(k: Kernel, dst: Vma, src: Vma, addr: number, page: number, srcPte: number): void {
  const mm = k.memmap;
  k.tr.call('copy_present_page');
  const pfn = mm.allocPage(PageKind.Anon);
  mm.written[pfn] = mm.written[page]; // copy_user_highpage
  folio_add_new_anon_rmap(k, pfn, dst, addr);
  let pte = maybe_mkwrite(pte_mkdirty(dst.pageProt), dst);
  if (srcPte & _PAGE_UFFD_WP && dst.has(VM_UFFD_WP)) pte = pte_wrprotect(pte | _PAGE_UFFD_WP);
  dst.mm.setPte(addr, pte, pfn, 'fork: copy_present_page (the page may be pinned)');
}

// kernel/fork.c: copy_process() for fork(2), as far as memory goes: a new task with its own
// mm (mm_init), then dup_mm() → dup_mmap().
export function do_fork(k: Kernel, parent: Task, name: string): Task {
  const child = k.createTask(name);
  k.tr.call('dup_mmap');
  dup_mmap(k, parent, child);
  holdersFork(k, parent, child);
  return child;
}
