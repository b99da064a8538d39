// fs/proc/task_mmu.c: /proc/PID/clear_refs (soft-dirty).

import type { Kernel, Task } from './kernel';
import { pte_clear_soft_dirty, pte_none, pte_present, pte_write, pte_wrprotect } from './pte';
import { folio_maybe_dma_pinned } from './dmaPinned';
import { vm_normal_page } from './memory';
import { is_swap_pte, pte_swp_clear_soft_dirty, pte_swp_soft_dirty } from './swapEntry';
import { VM_PFNMAP, VM_SOFTDIRTY, type Vma, is_cow_mapping } from './vma';
import { vma_set_page_prot } from './mmap';

// fs/proc/task_mmu.c: pte_is_pinned()
function pte_is_pinned(k: Kernel, vma: Vma, flags: number, pfn: number): boolean {
  if (!pte_write(flags) || !is_cow_mapping(vma.flags) || !vma.mm.hasPinned) return false;
  const page = vm_normal_page(k, vma, flags, pfn);
  return !!page && folio_maybe_dma_pinned(k, k.memmap.head(page));
}

// fs/proc/task_mmu.c: clear_refs_write(CLEAR_REFS_SOFT_DIRTY): clear VM_SOFTDIRTY and
// vma_set_page_prot() on every VMA, then (skipping VM_PFNMAP VMAs, clear_refs_test_walk)
// clear_soft_dirty(): write-protect every present PTE and clear its soft-dirty bit (but a
// pinned one).
export function clear_refs_soft_dirty(k: Kernel, task: Task): void {
  const mm = task.mm;
  for (const vma of mm.vmas) {
    if (vma.has(VM_SOFTDIRTY)) { vma.flags &= ~VM_SOFTDIRTY; vma_set_page_prot(vma); }
  }
  for (const vma of mm.vmas) {
    if (vma.has(VM_PFNMAP)) continue;
    for (let addr = vma.start; addr < vma.end; addr += 4096) {
      const t = mm.pt.lookup(addr);
      if (!t) { addr = (Math.floor(addr / 2 ** 21) + 1) * 2 ** 21 - 4096; continue; }
      const flags = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
      if (pte_none(flags, pfn)) continue;
      if (!pte_present(flags)) {
        // clear_soft_dirty(): a swap PTE loses its soft-dirty bit
        if (is_swap_pte(flags) && pte_swp_soft_dirty(flags)) mm.setPte(addr, pte_swp_clear_soft_dirty(flags), pfn, 'clear_refs: clear_soft_dirty (swap entry)');
        continue;
      }
      // pte_is_pinned(): a writable PTE of a maybe-pinned page in a COW mapping of an mm that
      // took pins is left alone (a write fault would replace the pinned page); not for a PMD
      // (clear_soft_dirty_pmd has no such test). The same in 6.1 and 6.12.
      if (!t.leaf && pte_is_pinned(k, vma, flags, pfn)) continue;
      const n = pte_clear_soft_dirty(pte_wrprotect(flags));
      if (n !== flags) mm.setPte(addr, n, pfn, 'clear_refs: clear_soft_dirty');
    }
  }
  k.tr.vmasChanged(task.pid);
}
