// mm/mprotect.c: mprotect(2).

import type { Kernel, Task } from './kernel';
import {
  pte_dirty, pte_mkwrite, pte_modify, pte_none, pte_present, pte_protnone, pte_soft_dirty, pte_write,
} from './pte';
import { VM_MAYWRITE, VM_READ, VM_SHARED, VM_SOFTDIRTY, VM_WRITE, Vma } from './vma';
import { vm_normal_page } from './memory';
import { PG_anon_exclusive } from './memmap';
import { isolate, protFlags, vma_set_page_prot, vma_wants_writenotify, type Prot } from './mmap';

// mm/mprotect.c: do_mprotect_pkey() → mprotect_fixup() + change_pte_range(): new vm_flags,
// vma_set_page_prot(), then pte_modify() on every present PTE; where the VMA wants a manual
// write upgrade, can_change_pte_writable() may make a PTE writable at once.
// do_mprotect_pkey() fails with ENOMEM, changing nothing, only when no VMA covers `start`;
// otherwise it walks the VMAs in address order (for_each_vma_range) and applies
// mprotect_fixup() to each one before checking the next: a hole (`vma->vm_start != tmp`),
// a VMA without VM_MAYWRITE (EACCES) or a gap at the end (`tmp < end` → ENOMEM) stops it
// with the VMAs before it already changed.
export function do_mprotect(k: Kernel, task: Task, start: number, end: number, prot: Prot): { ok: boolean; why?: string } {
  const vmas = task.mm.overlapping(start, end);
  if (!vmas.length || vmas[0].start > start) return { ok: false, why: 'ENOMEM: range not fully mapped' };
  const want = protFlags(prot);
  let tmp = start;
  let why: string | undefined;
  for (const v of vmas) {
    if (v.start > tmp) { why = 'ENOMEM: range not fully mapped'; break; }
    if ((want & VM_WRITE) && !v.has(VM_MAYWRITE)) { why = 'EACCES: no VM_MAYWRITE'; break; }
    const nstart = tmp, nend = Math.min(v.end, end);
    for (const vma of isolate(task.mm, nstart, nend, k)) {
      vma.flags = (vma.flags & ~(VM_READ | VM_WRITE)) | want;
      vma_set_page_prot(vma);
      change_protection(k, vma);
    }
    tmp = nend;
  }
  if (!why && tmp < end) why = 'ENOMEM: range not fully mapped';
  k.tr.vmasChanged(task.pid);
  return why ? { ok: false, why } : { ok: true };
}

// mm/mprotect.c: vma_wants_manual_pte_write_upgrade()
function vma_wants_manual_pte_write_upgrade(vma: Vma): boolean {
  if (vma.has(VM_SHARED)) return vma_wants_writenotify(vma);
  return vma.has(VM_WRITE);
}

// mm/mprotect.c: can_change_pte_writable(). 6.1 refused every clean PTE up front
// (`pte_protnone || !pte_dirty`); 6.2 ("mm/mprotect: allow clean exclusive anon pages to
// be writable") kept the dirty test for shared mappings only (kernel-findings item 8).
function can_change_pte_writable(k: Kernel, vma: Vma, flags: number, pfn: number): boolean {
  if (!vma.has(VM_WRITE)) return false;
  if (pte_protnone(flags)) return false;
  if (!k.profile.has('mprotect-clean-anon-writable') && !pte_dirty(flags)) return false;
  if (!vma.has(VM_SOFTDIRTY) && !pte_soft_dirty(flags)) return false; // soft-dirty tracking wants the fault
  if (!vma.has(VM_SHARED)) {
    // 6.1 also required the PTE to be dirty for a private anon upgrade (relaxed in 6.2)
    if (!k.profile.has('mprotect-clean-anon-writable') && !pte_dirty(flags)) return false;
    const page = vm_normal_page(k, vma, flags, pfn);
    return !!page && k.memmap.folioTestAnon(page) && k.memmap.test(page, PG_anon_exclusive);
  }
  return pte_dirty(flags); // shared: the filesystem was notified only if the PTE is dirty
}

function change_protection(k: Kernel, vma: Vma): void {
  const mm = vma.mm;
  const tryWritable = vma_wants_manual_pte_write_upgrade(vma);
  for (let addr = vma.start; addr < vma.end; addr += 4096) {
    const flags = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
    if (pte_none(flags, pfn) || !pte_present(flags)) continue;
    let n = pte_modify(flags, vma.pageProt);
    if (tryWritable && !pte_write(n) && can_change_pte_writable(k, vma, n, pfn)) n = pte_mkwrite(n);
    if (n !== flags) mm.setPte(addr, n, pfn, 'mprotect: change_pte_range');
  }
}
