// mm/mmap.c + mm/vma.c: do_mmap / __mmap_region, munmap and VMA splitting, exit_mmap;
// mm/mprotect.c; kernel/fork.c: dup_mmap + mm/memory.c: copy_page_range;
// fs/proc/task_mmu.c: clear_refs (soft-dirty).

import type { AddressSpace } from './addressSpace';
import type { Kernel, Task } from './kernel';
import { Mm } from './mm';
import {
  PAGE_COPY, PAGE_NONE, PAGE_READONLY, PAGE_SHARED, pte_clear_soft_dirty, pte_dirty, pte_mkclean,
  pte_mkold, pte_mkwrite, pte_modify, pte_none, pte_present, pte_protnone, pte_soft_dirty, pte_write, pte_wrprotect,
} from './pte';
import {
  VM_ACCOUNT, VM_DONTCOPY, VM_DONTDUMP, VM_DONTEXPAND, VM_IO, VM_MAYEXEC, VM_MAYREAD, VM_MAYSHARE, VM_MAYWRITE,
  VM_MIXEDMAP, VM_PFNMAP, VM_READ, VM_SHARED, VM_SOFTDIRTY, VM_UFFD_WP, VM_WIPEONFORK, VM_WRITE, Vma, is_cow_mapping,
} from './vma';
import { vm_ops_needs_writenotify, VmOps } from './vmOps';
import { ext4_file_vm_ops, shmem_anon_vm_ops, shmem_vm_ops } from './filemap';
import { fb_deferred_io_open, fb_deferred_io_vm_ops, fb_release } from './fbDefio';
import { pfnmap_vm_ops } from './pfnmap';
import { anonVmaFork, anonVmaPostUpdate, anonVmaPreUpdate, unlinkAnonVmas } from './anonVma';
import { vm_normal_page, zap_pte_range } from './memory';
import { PG_anon_exclusive } from './memmap';
import { MM_ANONPAGES } from './mm';
import { mm_counter_file } from './rmapCounts';
import { deviceMmapRefusals, mmapArgRefusals } from './uapi';

export type Prot = 'r' | 'rw' | 'none';
export type MmapResult = { ok: true; vma: Vma } | { ok: false; errno: 'EINVAL' | 'ENOMEM' | 'EEXIST'; why: string };

function protFlags(prot: Prot): number {
  return prot === 'rw' ? VM_READ | VM_WRITE : prot === 'r' ? VM_READ : 0;
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

function opsFor(as: AddressSpace): VmOps {
  switch (as.kind) {
    case 'file': return ext4_file_vm_ops;
    case 'shmem': return as.anonShmem ? shmem_anon_vm_ops : shmem_vm_ops;
    case 'fbdev': return fb_deferred_io_vm_ops;
    case 'pfnmap': return pfnmap_vm_ops;
  }
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
  let ops: VmOps | undefined;
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
  if (file) ops = opsFor(file);
  const vma = new Vma(task.mm, addr, addr + len, pgoff, flags, vm_get_page_prot(flags), ops, file, label);
  // f_op->mmap
  if (file?.kind === 'fbdev') {
    vma.filp = fb_deferred_io_open(k, file.fb!); // the open(2) that precedes the mmap
    vma.flags |= VM_DONTEXPAND | VM_DONTDUMP; // fb_deferred_io_mmap(); FBINFO_VIRTFB: no VM_IO
  } else if (file?.kind === 'pfnmap') {
    vma.flags |= VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP;
  }
  task.mm.insertVma(vma);
  if (file) vma_link_file(vma);
  // __mmap_complete()
  vma.flags |= VM_SOFTDIRTY;
  vma_set_page_prot(vma);
  k.tr.vmasChanged(task.pid);
  return { ok: true, vma };
}

// mm/vma.c: vma_link_file() → __vma_link_file(): insert into i_mmap (after equal starts).
function vma_link_file(vma: Vma): void {
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
export function split_vma(vma: Vma, addr: number, newBelow: boolean): Vma {
  const mm = vma.mm;
  const pgoffAt = vma.pgoff + (addr - vma.start) / 4096;
  const piece = newBelow
    ? new Vma(mm, vma.start, addr, vma.pgoff, vma.flags, vma.pageProt, vma.ops, vma.file, vma.label)
    : new Vma(mm, addr, vma.end, pgoffAt, vma.flags, vma.pageProt, vma.ops, vma.file, vma.label);
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
function isolate(mm: Mm, start: number, end: number): Vma[] {
  let vmas = mm.overlapping(start, end);
  if (vmas.length && vmas[0].start < start) split_vma(vmas[0], start, true);
  vmas = mm.overlapping(start, end);
  const lastV = vmas[vmas.length - 1];
  if (lastV && lastV.end > end) split_vma(lastV, end, false);
  return mm.overlapping(start, end);
}

// mm/vma.c: do_vmi_align_munmap() — split at the edges, zap, unlink from i_mmap and the
// anon_vma trees, free.
export function do_munmap(k: Kernel, task: Task, start: number, end: number): number {
  const vmas = isolate(task.mm, start, end);
  for (const vma of vmas) removeVma(k, vma, 'munmap: zap_pte_range');
  k.tr.vmasChanged(task.pid);
  return vmas.length;
}

function removeVma(k: Kernel, vma: Vma, why: string, detach = true): void {
  zap_pte_range(k, vma, vma.start, vma.end, true, why);
  unlink_file_vma(vma);
  unlinkAnonVmas(vma);
  if (detach) vma.mm.removeVma(vma);
  // mm/mmap.c: remove_vma() → fput(vma->vm_file): the last VMA holding a framebuffer's
  // struct file drops its last reference, so fb_release() runs (fbDefio.ts)
  const f = vma.file;
  if (f?.fb && vma.filp && !holdsFile(f, vma.filp)) fb_release(k, f.fb);
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
  task.alive = false;
  k.tr.vmasChanged(task.pid);
}

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
    for (const vma of isolate(task.mm, nstart, nend)) {
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

// kernel/fork.c (mm/mmap.c from 6.16): dup_mmap() — copy every VMA; a file VMA goes into
// i_mmap right after its parent (vma_interval_tree_insert_after); copy_page_range() only
// when vma_needs_copy().
export function dup_mmap(k: Kernel, parent: Task, child: Task): void {
  for (const pv of parent.mm.vmas) {
    if (pv.has(VM_DONTCOPY)) continue;
    const cv = new Vma(child.mm, pv.start, pv.end, pv.pgoff, pv.flags, pv.pageProt, pv.ops, pv.file, pv.label);
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

// mm/memory.c: copy_page_range() → copy_present_ptes(): anon pages are shared
// (PageAnonExclusive cleared, mapcount and refcount up); a COW mapping write-protects a
// writable PTE in parent and child; a VM_SHARED source gives the child a clean copy;
// the child's copy is always old.
function copy_page_range(k: Kernel, dst: Vma, src: Vma): void {
  const cow = is_cow_mapping(src.flags);
  const smm = src.mm, dmm = dst.mm, mm = k.memmap;
  for (let addr = src.start; addr < src.end; addr += 4096) {
    const t = smm.pt.lookup(addr);
    if (!t) { addr = (Math.floor(addr / 2 ** 21) + 1) * 2 ** 21 - 4096; continue; }
    const flags = smm.pteFlags(addr), pfn = smm.ptePfn(addr);
    if (pte_none(flags, pfn)) continue;
    const page = vm_normal_page(k, src, flags, pfn);
    if (page) {
      if (mm.folioTestAnon(page)) {
        // folio_try_dup_anon_rmap_pte()
        mm.clearFlag(page, PG_anon_exclusive);
        mm.mapcount[page]++; mm.refcount[page]++;
        dmm.rss[MM_ANONPAGES]++;
      } else {
        // folio_dup_file_rmap_pte()
        mm.mapcount[page]++; mm.refcount[page]++;
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

// fs/proc/task_mmu.c: clear_refs_write(CLEAR_REFS_SOFT_DIRTY): clear VM_SOFTDIRTY and
// vma_set_page_prot() on every VMA, then (skipping VM_PFNMAP VMAs, clear_refs_test_walk)
// clear_soft_dirty(): write-protect every present PTE and clear its soft-dirty bit.
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
      if (pte_none(flags, pfn) || !pte_present(flags)) continue;
      const n = pte_clear_soft_dirty(pte_wrprotect(flags));
      if (n !== flags) mm.setPte(addr, n, pfn, 'clear_refs: clear_soft_dirty');
    }
  }
  k.tr.vmasChanged(task.pid);
}

