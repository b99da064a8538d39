// mm/mmap.c + mm/vma.c: do_mmap / __mmap_region, munmap and VMA splitting, exit_mmap.
// (mprotect.ts: mm/mprotect.c; fork.ts: dup_mmap; clearRefs.ts: fs/proc/task_mmu.c.)

import { holdersExit } from './pageHolders';
import type { AddressSpace } from './addressSpace';
import type { Kernel, Task } from './kernel';
import { Mm } from './mm';
import { PAGE_COPY, PAGE_NONE, PAGE_READONLY, PAGE_SHARED } from './pte';
import {
  VM_ACCOUNT, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE, VM_PFNMAP, VM_READ, VM_SHARED, VM_SOFTDIRTY, VM_UFFD_WP, VM_WRITE, Vma,
} from './vma';
import { vm_ops_needs_writenotify } from './vmOps';
import { anonVmaPostUpdate, anonVmaPreUpdate, unlinkAnonVmas } from './anonVma';
import { zap_pte_range } from './memory';
import { split_huge_pmd_address } from './hugeMemory';
import { deviceMmapRefusals, mmapArgRefusals } from './uapi';
import { neighbours, vma_merge_existing_range, vma_merge_new_range } from './vmaMerge';

export type Prot = 'r' | 'rw' | 'w' | 'none';
export type MmapResult = { ok: true; vma: Vma } | { ok: false; errno: 'EINVAL' | 'ENOMEM' | 'EEXIST'; why: string };

export function protFlags(prot: Prot): number {
  return prot === 'rw' ? VM_READ | VM_WRITE : prot === 'r' ? VM_READ : prot === 'w' ? VM_WRITE : 0;
}

// mm/mmap.c: vm_get_page_prot() — x86 protection_map[]: the shared half gives PAGE_SHARED
// (RW) when VM_WRITE, the private half PAGE_COPY (no RW); VM_NONE → PAGE_NONE.
function vm_get_page_prot(flags: number): number {
  if (!(flags & (VM_READ | VM_WRITE))) return PAGE_NONE;
  if (flags & VM_SHARED) return flags & VM_WRITE ? PAGE_SHARED : PAGE_READONLY;
  return flags & VM_WRITE ? PAGE_COPY : PAGE_READONLY;
}

// mm/vma.c (6.12+; mm/mmap.c before): vma_wants_writenotify()
export function vma_wants_writenotify(vma: Vma): boolean {
  if ((vma.flags & (VM_WRITE | VM_SHARED)) !== (VM_WRITE | VM_SHARED)) return false;
  if (vm_ops_needs_writenotify(vma.ops)) return true;
  if (!vma.has(VM_SOFTDIRTY)) return true; // vma_soft_dirty_enabled(): tracking soft-dirty
  if (vma.has(VM_UFFD_WP)) return true;
  // vma_fs_can_writeback(): not PFNMAP, has a file, mapping_can_writeback()
  return !vma.has(VM_PFNMAP) && !!vma.file && vma.file.canWriteback;
}

// mm/mmap.c: vma_set_page_prot() — with write-notify, the private (no-RW) protection.
export function vma_set_page_prot(vma: Vma): void {
  let prot = vm_get_page_prot(vma.flags);
  if (vma_wants_writenotify(vma)) prot = vm_get_page_prot(vma.flags & ~VM_SHARED);
  vma.pageProt = prot;
  vma.mm.touchVma(vma);
}

// mm/mmap.c: do_mmap() + mm/vma.c: __mmap_region() with MAP_FIXED_NOREPLACE semantics.
// Objects are opened O_RDWR, so a MAP_SHARED mapping gets VM_SHARED|VM_MAYWRITE even with
// PROT_READ. The driver/filesystem ->mmap runs, then __mmap_complete sets VM_SOFTDIRTY
// and vma_set_page_prot().
export function do_mmap(k: Kernel, task: Task, obj: AddressSpace | 'anon', addr: number, pages: number,
  pgoff: number, shared: boolean, prot: Prot, label: string | undefined): MmapResult {
  const len = pages * 4096;
  const refused = mmapArgRefusals(addr, pages)[0];
  if (refused) return { ok: false, errno: refused.errno, why: refused.why };
  if (task.mm.overlapping(addr, addr + len).length) return { ok: false, errno: 'EEXIST', why: 'overlaps an existing mapping (MAP_FIXED_NOREPLACE)' };
  let flags = protFlags(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (shared) flags |= VM_SHARED | VM_MAYSHARE;
  let file: AddressSpace | undefined;
  if (obj === 'anon') {
    if (shared) {
      // shmem_zero_setup(): shared anonymous memory is a shmem object of its own, pgoff 0
      file = k.createShmem(`anon_shmem@0x${addr.toString(16)}`, pages, true);
      pgoff = 0;
    } else {
      pgoff = addr / 4096;
      if (flags & VM_WRITE) flags |= VM_ACCOUNT;
    }
  } else {
    file = obj;
    if (obj.kind === 'fbdev' || obj.kind === 'pfnmap') {
      const dev = deviceMmapRefusals(obj.kind, obj.sizePages, pgoff, pages, shared)[0];
      if (dev) return { ok: false, errno: dev.errno, why: `${obj.kind} ${obj.name}: ${dev.why}` };
    }
    if (!shared && (flags & VM_WRITE) && obj.kind !== 'fbdev') flags |= VM_ACCOUNT;
  }
  // one struct file per process and object (language v2): the process's open of OBJ, made
  // by its first mmap of it and held by every VMA of it (fork's copies included)
  const held = file && !(obj === 'anon') ? task.mm.vmas.find((v) => v.file === file) : undefined;
  const filp = held ? held.filp : file?.fops.open?.(k, file) ?? 0;
  const mm = task.mm;
  // __mmap_region(): try to expand a neighbour before ->mmap (vma_merge_new_range; 6.1:
  // next then prev and vma_expand). Shared anonymous memory has no file yet at this point
  // (shmem_zero_setup comes later), so it never merges.
  if (!(obj === 'anon' && shared)) {
    const { prev, next } = neighbours(mm, addr, addr + len);
    const merged = vma_merge_new_range(k, {
      mm, prev, next, vma: undefined, start: addr, end: addr + len, pgoff, flags, file, filp, anonVma: undefined,
    }, !k.profile.has('vma-merge-new-range-prev-first'));
    if (merged) {
      if (label) mm.labels.add(label, addr, pages);
      merged.flags |= VM_SOFTDIRTY;
      vma_set_page_prot(merged);
      k.tr.vmasChanged(task.pid);
      return { ok: true, vma: merged };
    }
  }
  // f_op->mmap: it installs the vm_ops and its flags
  const mapped = file?.fops.mmap(k, file, flags);
  const vma = new Vma(mm, addr, addr + len, pgoff, flags | (mapped?.flags ?? 0), vm_get_page_prot(flags), mapped?.ops, file);
  vma.filp = filp;
  if (label) mm.labels.add(label, addr, pages);
  mm.insertVma(vma);
  if (file) vma_link_file(vma);
  // __mmap_complete()
  vma.flags |= VM_SOFTDIRTY;
  vma_set_page_prot(vma);
  k.tr.vmasChanged(task.pid);
  return { ok: true, vma };
}

// mm/vma.c: vma_link_file() → __vma_link_file(): insert into i_mmap (after equal starts).
export function vma_link_file(vma: Vma): void {
  const f = vma.file!;
  if (vma.has(VM_SHARED) && vma.has(VM_MAYWRITE)) f.iMmapWritable++;
  f.iMmap.insert(vma);
}

// mm/mmap.c: __remove_shared_vm_struct()
function unlink_file_vma(vma: Vma): void {
  const f = vma.file;
  if (!f) return;
  if (vma.has(VM_SHARED) && vma.has(VM_MAYWRITE)) f.iMmapWritable--;
  f.iMmap.remove(vma);
}

// mm/vma.c: __split_vma(vma, addr, new_below): the new piece is linked into i_mmap in
// vma_prepare() while the original is removed, and the original is re-inserted with its
// new bounds in vma_complete() — so both land after VMAs with an equal vm_pgoff.
export function split_vma(vma: Vma, addr: number, newBelow: boolean, k?: Kernel): Vma {
  const mm = vma.mm;
  // vma_adjust_trans_huge(): a PMD leaf straddling the new boundary is split first
  if (k) split_huge_pmd_address(k, vma, addr);
  const pgoffAt = vma.pgoff + (addr - vma.start) / 4096;
  const piece = newBelow
    ? new Vma(mm, vma.start, addr, vma.pgoff, vma.flags, vma.pageProt, vma.ops, vma.file)
    : new Vma(mm, addr, vma.end, pgoffAt, vma.flags, vma.pageProt, vma.ops, vma.file);
  piece.filp = vma.filp; // get_file()
  // anon_vma_clone(): the new piece joins every anon_vma of the original
  if (vma.anonVma) {
    piece.anonVma = vma.anonVma;
    for (const avc of vma.avcs) {
      const c = { vma: piece, anonVma: avc.anonVma, start: piece.pgoff, last: piece.lastPgoff };
      piece.avcs.push(c);
      avc.anonVma.rbRoot.insert(c);
    }
    anonVmaPreUpdate(vma);
  }
  if (vma.file) {
    if (piece.has(VM_SHARED) && piece.has(VM_MAYWRITE)) vma.file.iMmapWritable++;
    vma.file.iMmap.insert(piece);          // vma_prepare: __vma_link_file(vp->insert)
    vma.file.iMmap.remove(vma);            // vma_prepare: vma_interval_tree_remove(vp->vma)
  }
  if (newBelow) { vma.start = addr; vma.pgoff = pgoffAt; } else { vma.end = addr; }
  mm.touchVma(vma);
  if (vma.file) vma.file.iMmap.insert(vma); // vma_complete: vma_interval_tree_insert(vp->vma)
  if (vma.anonVma) anonVmaPostUpdate(vma);
  mm.insertVma(piece);
  return piece;
}

/** The VMAs exactly covering [start, end), splitting at the edges (vma_modify / munmap). */
export function isolate(mm: Mm, start: number, end: number, k?: Kernel): Vma[] {
  let vmas = mm.overlapping(start, end);
  if (vmas.length && vmas[0].start < start) split_vma(vmas[0], start, true, k);
  vmas = mm.overlapping(start, end);
  const lastV = vmas[vmas.length - 1];
  if (lastV && lastV.end > end) split_vma(lastV, end, false, k);
  return mm.overlapping(start, end);
}

/**
 * mm/vma.c: vma_modify_flags() (6.12; vma_merge() then split_vma() in 6.1) — [start, end)
 * of vma is to get newflags: merged into prev and/or next when they then match
 * (vma_merge_existing_range), else split out at its edges. Returns the VMA that now holds
 * [start, end); the caller sets the flags on it (mprotect_fixup, madvise_update_vma).
 */
export function vma_modify_flags(k: Kernel, vma: Vma, prev: Vma | undefined, start: number, end: number, newflags: number): Vma {
  const pgoff = vma.pgoff + (start - vma.start) / 4096;
  const merged = vma_merge_existing_range(k, {
    mm: vma.mm, prev, next: undefined, vma, start, end, pgoff, flags: newflags, file: vma.file, filp: vma.filp, anonVma: vma.anonVma,
  });
  if (merged) return merged;
  if (start > vma.start) split_vma(vma, start, true, k);
  if (end < vma.end) split_vma(vma, end, false, k);
  return vma;
}

// mm/vma.c: do_vmi_align_munmap() — split at the edges, zap, unlink from i_mmap and the
// anon_vma trees, free.
export function do_munmap(k: Kernel, task: Task, start: number, end: number): number {
  const vmas = isolate(task.mm, start, end, k);
  task.mm.labels.clear(start, end);
  for (const vma of vmas) removeVma(k, vma, 'munmap: zap_pte_range');
  k.tr.vmasChanged(task.pid);
  return vmas.length;
}

export function removeVma(k: Kernel, vma: Vma, why: string, detach = true): void {
  zap_pte_range(k, vma, vma.start, vma.end, true, why);
  unlink_file_vma(vma);
  unlinkAnonVmas(vma);
  if (detach) vma.mm.removeVma(vma);
  // mm/mmap.c: remove_vma() → fput(vma->vm_file): the last VMA holding a framebuffer's
  // struct file drops its last reference, so its f_op->release runs (fb_release for an fbdev)
  const f = vma.file;
  if (f?.fops.release && vma.filp && !holdsFile(f, vma.filp)) f.fops.release(k, f);
}

/** Does a VMA still in `f`'s i_mmap hold struct file `filp`? */
function holdsFile(f: AddressSpace, filp: number): boolean {
  let held = false;
  f.iMmap.forEachOverlap(0, Number.MAX_SAFE_INTEGER, (v) => { if (v.filp === filp) { held = true; return false; } });
  return held;
}

// kernel/exit.c → mm/mmap.c: exit_mmap() — unmap everything.
export function exit_mmap(k: Kernel, task: Task): void {
  for (const vma of task.mm.vmas) removeVma(k, vma, 'exit_mmap: unmap_vmas', false);
  task.mm.removeAllVmas();
  holdersExit(k, task); // exit_files(), after exit_mm()
  task.alive = false;
  k.tr.vmasChanged(task.pid);
}
