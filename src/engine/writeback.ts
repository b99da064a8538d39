// mm/page-writeback.c, mm/filemap.c, mm/msync.c: writeback of dirty folios as fsync
// does it, and msync(MS_SYNC).

import type { AddressSpace } from './addressSpace';
import type { Kernel, Task } from './kernel';
import { PG_dirty, PG_locked, PG_writeback } from './memmap';
import { folioMkclean } from './rmap';
import { folio_mark_dirty } from './memory';
import { VM_SHARED } from './vma';

// mm/page-writeback.c: folio_clear_dirty_for_io() — with writeback capability,
// folio_mkclean() and, if it cleaned any PTE, folio_mark_dirty() (PTE dirt moves into the
// folio); then test-and-clear PG_dirty.
export function folio_clear_dirty_for_io(k: Kernel, as: AddressSpace, pfn: number): boolean {
  k.tr.call('folio_clear_dirty_for_io');
  if (as.canWriteback) {
    if (folioMkclean(k, pfn)) folio_mark_dirty(k, pfn);
  }
  return k.memmap.clearFlag(pfn, PG_dirty);
}

// mm/filemap.c: filemap_write_and_wait_range(): the scenario's `writeback OBJ[...]`.
export function filemap_write_and_wait_range(k: Kernel, as: AddressSpace, first: number, last: number): number {
  k.tr.call('filemap_write_and_wait_range');
  return writebackRange(k, as, first, last);
}

// mm/filemap.c: file_write_and_wait_range() → writepages over the dirty-tagged folios in
// [first, last] in index order: lock, folio_clear_dirty_for_io, start writeback, unlock;
// then wait for writeback to end (so PG_writeback is clear when it returns).
// Returns the number of folios written.
export function writebackRange(k: Kernel, as: AddressSpace, first: number, last: number): number {
  if (as.fops.fsync) return as.fops.fsync(k, as, first, last); // a driver's own ->fsync
  if (!as.canWriteback) return 0; // tmpfs/shmem: nothing to write back
  const mm = k.memmap;
  let written = 0;
  for (let i = Math.max(0, first); i <= last && i < as.sizePages; i++) {
    const page = as.folioAt(i);
    if (!page) continue;
    // a large folio is written once, as one folio (index of its head)
    const pfn = mm.head(page);
    i += (1 << mm.order[page]) - 1 - (page - pfn);
    if (!mm.test(pfn, PG_dirty)) continue;
    mm.flags[pfn] |= PG_locked;
    const dirty = folio_clear_dirty_for_io(k, as, pfn);
    if (dirty) {
      mm.setFlag(pfn, PG_writeback);      // folio_start_writeback
      written++;
    }
    mm.flags[pfn] &= ~PG_locked;
    if (dirty) mm.clearFlag(pfn, PG_writeback); // I/O done: folio_end_writeback (fsync waits)
  }
  return written;
}

// mm/msync.c: msync(MS_SYNC) — for each VM_SHARED file VMA in the range,
// vfs_fsync_range() over the file range it maps (fb: fb_deferred_io_fsync).
export function msyncRange(k: Kernel, task: Task, start: number, end: number): number {
  let total = 0;
  for (const vma of task.mm.overlapping(start, end)) {
    if (!vma.file || !vma.has(VM_SHARED)) continue;
    const s = Math.max(start, vma.start), e = Math.min(end, vma.end);
    const first = vma.pgoff + (s - vma.start) / 4096, last = vma.pgoff + (e - vma.start) / 4096 - 1;
    k.tr.call('vfs_fsync_range');
    total += writebackRange(k, vma.file, first, last);
  }
  return total;
}
