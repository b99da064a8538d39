// mm/mprotect.c: mprotect(2).

import type { Kernel, Task } from './kernel';
import {
  pte_dirty, pte_mkwrite, pte_modify, pte_none, pte_present, pte_protnone, pte_soft_dirty, pte_write,
} from './pte';
import { VM_ACCESS_FLAGS, VM_ACCOUNT, VM_MAYWRITE, VM_SHARED, VM_SOFTDIRTY, VM_WRITE, Vma } from './vma';
import { vm_normal_page } from './memory';
import { PG_anon_exclusive } from './memmap';
import { protFlags, vma_modify_flags, vma_set_page_prot, vma_wants_writenotify, type Prot } from './mmap';

// mm/mprotect.c: do_mprotect_pkey() fails with ENOMEM, changing nothing, only when no VMA
// covers `start`; otherwise it walks the VMAs in address order and applies mprotect_fixup()
// to each one before checking the next: a hole (`vma->vm_start != nstart`), a VMA without
// VM_MAYWRITE (EACCES) or a gap at the end (ENOMEM) stops it with the VMAs before it
// already changed. `prev` is the VMA before `start` (or the VMA itself when `start` is
// inside it), then whatever mprotect_fixup() returned: a merge may have grown it past the
// next VMA's start (`if (nstart < prev->vm_end) nstart = prev->vm_end`).
export function do_mprotect(k: Kernel, task: Task, start: number, end: number, prot: Prot): { ok: boolean; why?: string } {
  const mm = task.mm;
  let vma = mm.find_vma(start);
  if (!vma || vma.start > start) return { ok: false, why: 'ENOMEM: range not fully mapped' };
  let prev: Vma | undefined = start > vma.start ? vma : mm.vmas[mm.findVmaIndex(vma.start) - 1];
  const want = protFlags(prot);
  let nstart = start;
  let why: string | undefined;
  k.tr.call('mprotect_fixup');
  for (;;) {
    // newflags = calc_vm_prot_bits(prot) | (vma->vm_flags & ~mask_off_old_flags)
    const newflags = want | (vma.flags & ~VM_ACCESS_FLAGS);
    if ((want & VM_WRITE) && !vma.has(VM_MAYWRITE)) { why = 'EACCES: no VM_MAYWRITE'; break; }
    const tmp = Math.min(vma.end, end);
    prev = mprotect_fixup(k, vma, prev, nstart, tmp, newflags);
    nstart = Math.max(tmp, prev.end);
    if (nstart >= end) break;
    vma = mm.find_vma(prev.end);
    if (!vma || vma.start !== nstart) { why = 'ENOMEM: range not fully mapped'; break; }
  }
  k.tr.vmasChanged(task.pid);
  return why ? { ok: false, why } : { ok: true };
}

// mm/mprotect.c: mprotect_fixup() — nothing when the flags do not change; a private VMA
// that becomes writable is charged (VM_ACCOUNT, never dropped again); then vma_modify_flags()
// (6.12: vma_merge_existing_range(), else split at start and end; 6.1: vma_merge() then
// split_vma()), the new flags on the resulting VMA, and change_protection() over
// [start, end) only.
function mprotect_fixup(k: Kernel, vma: Vma, prev: Vma | undefined, start: number, end: number, newflags: number): Vma {
  if (newflags === vma.flags) return vma;
  if ((newflags & VM_WRITE) && !(vma.flags & (VM_ACCOUNT | VM_WRITE | VM_SHARED))) newflags |= VM_ACCOUNT;
  const v = vma_modify_flags(k, vma, prev, start, end, newflags);
  v.flags = newflags;
  vma_set_page_prot(v);
  change_protection(k, v, start, end);
  return v;
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

function change_protection(k: Kernel, vma: Vma, start: number, end: number): void {
  const mm = vma.mm;
  const tryWritable = vma_wants_manual_pte_write_upgrade(vma);
  for (let addr = start; addr < end; addr += 4096) {
    const flags = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
    if (pte_none(flags, pfn) || !pte_present(flags)) continue;
    let n = pte_modify(flags, vma.pageProt);
    // a PMD leaf: change_huge_pmd(), which tries the upgrade (can_change_pmd_writable, the same
    // tests as for a PTE) only from 6.2
    const upgrade = tryWritable && (!mm.pt.isLeaf(addr) || k.profile.has('mprotect-pmd-writable'));
    if (upgrade && !pte_write(n) && can_change_pte_writable(k, vma, n, pfn)) n = pte_mkwrite(n);
    if (n !== flags) mm.setPte(addr, n, pfn, 'mprotect: change_pte_range');
  }
}
