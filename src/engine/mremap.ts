// mm/mremap.c: mremap(2) — in place (no flags) or MREMAP_MAYMOVE|MREMAP_FIXED to an address:
// vma_to_resize(), the in-place expand (6.12 vma_merge_extend(); 6.1 vma_merge()), move_vma()
// → copy_vma() (mm/vma.c; mm/mmap.c before 6.11) → move_page_tables() / move_ptes() /
// move_normal_pmd() → do_munmap() of the old range. 6.1.192 and 6.12.118 read: the same
// steps and errnos (docs/kernel-findings.md, "mremap").

import type { Kernel, Task } from './kernel';
import { anonVmaChainLink } from './anonVma';
import { do_munmap, vma_link_file } from './mmap';
import { __split_huge_pmd } from './hugeMemory';
import { is_swap_pte, pte_swp_mksoft_dirty } from './swapEntry';
import { PMD_SIZE } from './pageTable';
import { pte_none, pte_present, _PAGE_SOFT_DIRTY } from './pte';
import { TASK_SIZE } from './uapi';
import { VM_DONTEXPAND, VM_PFNMAP, Vma } from './vma';
import { neighbours, vma_merge_new_range } from './vmaMerge';

export type MremapErrno = 'EINVAL' | 'ENOMEM' | 'EFAULT';
export type MremapResult = { ok: true; addr: number } | { ok: false; errno: MremapErrno; why: string };

const fail = (errno: MremapErrno, why: string): MremapResult => ({ ok: false, errno, why });

/**
 * SYSCALL mremap(addr, oldLen, newLen, flags, newAddr): `to` set means
 * MREMAP_MAYMOVE | MREMAP_FIXED to that address, else no flags (in place).
 */
export function do_mremap(k: Kernel, task: Task, addr: number, oldLen: number, newLen: number, to?: number): MremapResult {
  const mm = task.mm;
  if (addr % 4096) return fail('EINVAL', 'address not page aligned');
  if (!newLen) return fail('EINVAL', 'new length 0');
  if (!mm.vma_lookup(addr)) return fail('EFAULT', `no VMA at 0x${addr.toString(16)} (vma_lookup)`);
  const r = to === undefined ? mremapInPlace(k, task, addr, oldLen, newLen) : mremap_to(k, task, addr, oldLen, to, newLen);
  k.tr.vmasChanged(task.pid);
  return r;
}

// vma_to_resize(): the VMA at addr, if [addr, addr + oldLen) lies in it and it may grow.
function vma_to_resize(task: Task, addr: number, oldLen: number, newLen: number): Vma | MremapResult {
  const vma = task.mm.vma_lookup(addr);
  if (!vma) return fail('EFAULT', `no VMA at 0x${addr.toString(16)} (vma_to_resize)`);
  if (oldLen > vma.end - addr) return fail('EFAULT', 'the old range crosses the end of its VMA (vma_to_resize: "We can\'t remap across vm area boundaries")');
  if (newLen === oldLen) return vma;
  if (vma.has(VM_DONTEXPAND | VM_PFNMAP)) return fail('EFAULT', 'a VM_DONTEXPAND or VM_PFNMAP mapping cannot grow (vma_to_resize)');
  return vma;
}

// mremap_to(): checks, unmap the destination (MREMAP_FIXED), unmap the tail a shrink drops,
// vma_to_resize(), move_vma().
function mremap_to(k: Kernel, task: Task, addr: number, oldLen: number, newAddr: number, newLen: number): MremapResult {
  k.tr.call('mremap_to');
  if (newAddr % 4096) return fail('EINVAL', 'new address not page aligned');
  if (newLen > TASK_SIZE || newAddr > TASK_SIZE - newLen) return fail('EINVAL', 'the new range runs past TASK_SIZE');
  if (addr + oldLen > newAddr && newAddr + newLen > addr) return fail('EINVAL', 'the old and new ranges overlap');
  do_munmap(k, task, newAddr, newAddr + newLen);
  if (oldLen > newLen) {
    do_munmap(k, task, addr + newLen, addr + oldLen);
    oldLen = newLen;
  }
  const vma = vma_to_resize(task, addr, oldLen, newLen);
  if (!(vma instanceof Vma)) return vma;
  return move_vma(k, task, vma, addr, oldLen, newLen, newAddr);
}

// The syscall without flags: shrink (munmap the tail), or grow in place when the old range
// ends the VMA and the pages after it are free (vma_expandable); anything else is ENOMEM
// (MREMAP_MAYMOVE not set).
function mremapInPlace(k: Kernel, task: Task, addr: number, oldLen: number, newLen: number): MremapResult {
  if (oldLen >= newLen) {
    if (oldLen > newLen) do_munmap(k, task, addr + newLen, addr + oldLen);
    return { ok: true, addr };
  }
  const vma = vma_to_resize(task, addr, oldLen, newLen);
  if (!(vma instanceof Vma)) return vma;
  if (oldLen !== vma.end - addr) return fail('ENOMEM', 'the old range does not end its VMA, and MREMAP_MAYMOVE is not set');
  const delta = newLen - oldLen;
  const end = vma.end + delta;
  if (end > TASK_SIZE || task.mm.overlapping(vma.end, end).length) {
    return fail('ENOMEM', 'the pages after the VMA are taken (vma_expandable), and MREMAP_MAYMOVE is not set');
  }
  // vma_merge_extend() (6.12) / vma_merge() (6.1): the extension merges with vma, and with
  // the next VMA if it becomes adjacent and compatible
  const { next } = neighbours(task.mm, vma.end, end);
  const oldEnd = vma.end;
  const merged = vma_merge_new_range(k, {
    mm: task.mm, prev: vma, next, vma: undefined, start: vma.end, end, pgoff: vma.pgoff + vma.pages,
    flags: vma.flags, file: vma.file, filp: vma.filp, anonVma: vma.anonVma,
  });
  if (!merged) return fail('ENOMEM', 'vma_merge_extend() failed');
  task.mm.labels.extend(oldEnd, delta / 4096);
  return { ok: true, addr };
}

// move_vma(): copy_vma() at the new place, move the page tables, unmap the old range.
function move_vma(k: Kernel, task: Task, vma: Vma, oldAddr: number, oldLen: number, newLen: number, newAddr: number): MremapResult {
  k.tr.call('move_vma');
  const newPgoff = vma.pgoff + (oldAddr - vma.start) / 4096;
  const copied = copy_vma(k, vma, newAddr, newLen, newPgoff);
  vma = copied.vma;
  move_page_tables(k, vma, oldAddr, newAddr, oldLen);
  const mm = vma.mm;
  mm.labels.move(oldAddr, oldLen, newAddr);
  if (newLen > oldLen) mm.labels.extend(newAddr + oldLen, (newLen - oldLen) / 4096);
  do_munmap(k, task, oldAddr, oldAddr + oldLen);
  return { ok: true, addr: newAddr };
}

/**
 * copy_vma(): the new range merges with its neighbours when it can (vma_merge_new_range;
 * 6.1 vma_merge) — then need_rmap_locks is `new_vma->vm_pgoff <= vma->vm_pgoff`; else a
 * copy of vma (vm_area_dup, anon_vma_clone, get_file) linked into the mm and into i_mmap at
 * its pgoff (vma_link → vma_link_file: after every VMA with an equal or smaller vm_pgoff, so
 * after the source in rmap traversal order: need_rmap_locks false). An anonymous VMA with no
 * anon_vma yet takes pgoff = new address, to merge more often.
 */
function copy_vma(k: Kernel, vma: Vma, addr: number, len: number, pgoff: number): { vma: Vma; newVma: Vma; needRmapLocks: boolean } {
  const mm = vma.mm;
  const vmaStart = vma.start;
  if (!vma.file && !vma.anonVma) pgoff = addr / 4096;
  const { prev, next } = neighbours(mm, addr, addr + len);
  const merged = vma_merge_new_range(k, {
    mm, prev, next, vma: undefined, start: addr, end: addr + len, pgoff, flags: vma.flags, file: vma.file, filp: vma.filp, anonVma: vma.anonVma,
  });
  if (merged) {
    // the source itself may have been merged into it (an unfaulted anonymous VMA only)
    if (vmaStart >= merged.start && vmaStart < merged.end) vma = merged;
    const needRmapLocks = merged.pgoff <= vma.pgoff;
    k.tr.call(`copy_vma: merged, need_rmap_locks ${needRmapLocks}`);
    return { vma, newVma: merged, needRmapLocks };
  }
  const nv = new Vma(mm, addr, addr + len, pgoff, vma.flags, vma.pageProt, vma.ops, vma.file);
  nv.filp = vma.filp;
  // anon_vma_clone(): the copy joins every anon_vma of the source
  if (vma.anonVma) {
    nv.anonVma = vma.anonVma;
    for (const avc of vma.avcs) anonVmaChainLink(nv, avc.anonVma);
  }
  mm.insertVma(nv);
  if (nv.file) vma_link_file(nv);
  k.tr.call('copy_vma: need_rmap_locks false');
  return { vma, newVma: nv, needRmapLocks: false };
}

/**
 * move_page_tables(): per PMD extent, a whole PTE table moves when both addresses are
 * PMD-aligned, the extent is a full PMD and no table exists at the destination
 * (move_normal_pmd: the entries keep every bit); otherwise move_ptes() moves each non-none
 * PTE and marks a present one soft-dirty (move_soft_dirty_pte). Nothing is refaulted, no
 * mapcount changes.
 */
export function move_page_tables(k: Kernel, vma: Vma, oldAddr: number, newAddr: number, len: number): void {
  const mm = vma.mm;
  const oldEnd = oldAddr + len;
  k.tr.call('move_page_tables');
  let calledPtes = false, calledPmd = false;
  for (; oldAddr < oldEnd;) {
    let extent = Math.min(PMD_SIZE - (oldAddr % PMD_SIZE), oldEnd - oldAddr);
    extent = Math.min(extent, PMD_SIZE - (newAddr % PMD_SIZE));
    let t = mm.pt.lookup(oldAddr);
    if (t?.leaf) {
      // a PMD leaf (pmd_trans_huge): move_huge_pmd() moves the whole entry when the extent is
      // the PMD and nothing is mapped at the destination (the entry marked soft-dirty:
      // move_soft_dirty_pmd); otherwise split_huge_pmd() and the PTEs move one by one
      if (extent === PMD_SIZE && !mm.pt.lookup(newAddr)) {
        k.tr.call('move_huge_pmd');
        const f = mm.pteFlags(oldAddr), head = mm.ptePfn(oldAddr);
        mm.setPmd(oldAddr, 0, 0, 'mremap: move_huge_pmd');
        mm.setPmd(newAddr, f | _PAGE_SOFT_DIRTY, head, 'mremap: move_huge_pmd');
        mm.pt.freeIfEmpty(oldAddr);
        oldAddr += extent; newAddr += extent;
        continue;
      }
      __split_huge_pmd(k, vma, oldAddr - (oldAddr % PMD_SIZE), 'move_page_tables: split_huge_pmd');
      t = mm.pt.lookup(oldAddr);
    }
    if (t) {
      const pmdMove = extent === PMD_SIZE && !mm.pt.lookup(newAddr);
      if (pmdMove && !calledPmd) { k.tr.call('move_normal_pmd'); calledPmd = true; }
      if (!pmdMove && !calledPtes) { k.tr.call('move_ptes'); calledPtes = true; }
      for (let off = 0; off < extent; off += 4096) {
        const f = mm.pteFlags(oldAddr + off), p = mm.ptePfn(oldAddr + off);
        if (pte_none(f, p)) continue;
        mm.setPte(oldAddr + off, 0, 0, pmdMove ? 'mremap: move_normal_pmd' : 'mremap: move_ptes');
        // move_soft_dirty_pte(): a present PTE soft-dirty, a swap entry pte_swp_mksoft_dirty
        const nf = pmdMove ? f : pte_present(f) ? f | _PAGE_SOFT_DIRTY : is_swap_pte(f) ? pte_swp_mksoft_dirty(f) : f;
        mm.setPte(newAddr + off, nf, p, pmdMove ? 'mremap: move_normal_pmd' : 'mremap: move_ptes');
      }
      if (t.used === 0) mm.pt.freeIfEmpty(oldAddr);
    }
    oldAddr += extent; newAddr += extent;
  }
}
