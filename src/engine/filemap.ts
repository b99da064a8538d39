// mm/filemap.c, mm/readahead.c, fs/ext4/inode.c, mm/shmem.c: the vm_operations of a
// regular ext4 file and of a tmpfs/shmem file.

import type { Kernel } from './kernel';
import type { AddressSpace } from './addressSpace';
import type { FileOperations } from './fileOperations';
import { ordersHighFirst, shmemAllowableOrders, thpVmaSuitableOrders } from './thp';
import { PG_readahead, PG_uptodate, PG_dirty, PG_swapbacked } from './memmap';
import { VM_FAULT_LOCKED, VM_FAULT_MAJOR, VM_FAULT_RETRY, VM_FAULT_SIGBUS, FAULT_FLAG_TRIED, VmFault, VmOps } from './vmOps';

// mm/readahead.c: page_cache_ra_unbounded() for [start, start+size) clipped at EOF: read
// the missing pages (uptodate once the I/O completes) and mark PG_readahead on the page
// at start + (pages read) - async_size, if that page was newly read.
function readahead(k: Kernel, as: AddressSpace, start: number, size: number, asyncSize: number): void {
  const end = Math.min(start + size, as.sizePages);
  const mark = end - asyncSize;
  for (let i = Math.max(0, start); i < end; i++) {
    if (as.folioAt(i)) continue;
    // a filesystem with large folios (`file ... folio SIZE`) reads whole folios of that
    // size where one fits the window and its range is empty (page_cache_ra_order)
    const o = largeOrderAt(k, as, i, end);
    if (o) {
      k.addFolioToPageCache(as, i, PG_uptodate, o);
      if (asyncSize > 0 && mark >= i && mark < i + (1 << o)) k.memmap.flags[as.folioAt(i)] |= PG_readahead;
      i += (1 << o) - 1;
      continue;
    }
    const pfn = k.addToPageCache(as, i, PG_uptodate);
    if (i === mark && asyncSize > 0) k.memmap.flags[pfn] |= PG_readahead;
  }
  as.ra = { start, size, asyncSize };
}

// mm/readahead.c: page_cache_ra_order() — the folio order, lowered for the alignment of
// the index and until the folio ends inside the window; an order whose range is already
// (partly) cached is lowered too.
function largeOrderAt(k: Kernel, as: AddressSpace, i: number, end: number): number {
  let o = k.fileFolioOrderAt(as, i);
  const busy = (n: number): boolean => { for (let j = i; j < i + n; j++) if (as.folioAt(j)) return true; return false; };
  while (o > 0 && (i + (1 << o) > end || busy(1 << o))) o--;
  return o;
}

// mm/filemap.c: do_sync_mmap_readahead() — mmap read-around: ra_pages centred on the
// fault (start = index - ra_pages/2), async_size = ra_pages/4.
function do_sync_mmap_readahead(k: Kernel, as: AddressSpace, index: number): void {
  k.tr.call('do_sync_mmap_readahead');
  const ra = k.raPages;
  readahead(k, as, Math.max(0, index - Math.floor(ra / 2)), ra, Math.floor(ra / 4));
}

// mm/filemap.c: do_async_mmap_readahead() → page_cache_async_ra(): a fault on the
// PG_readahead folio clears the mark and reads the next window ahead.
function do_async_mmap_readahead(k: Kernel, as: AddressSpace, pfn: number): void {
  k.tr.call('do_async_mmap_readahead');
  k.memmap.clearFlag(pfn, PG_readahead);
  const ra = as.ra;
  const start = ra.start + ra.size;
  const size = Math.min(k.raPages, Math.max(ra.size * 2, 4));
  readahead(k, as, start, size, size);
}

// mm/filemap.c: filemap_fault() — a cached folio is returned locked; a miss does the
// sync read-around, waits for the I/O with mmap_lock dropped and returns
// VM_FAULT_RETRY (the retry, with FAULT_FLAG_TRIED, is accounted as a major fault).
function filemap_fault(k: Kernel, vmf: VmFault): number {
  const as = vmf.vma.file!;
  const index = vmf.pgoff;
  if (index >= as.sizePages) return VM_FAULT_SIGBUS; // beyond i_size
  let pfn = as.folioAt(index);
  if (pfn) {
    if (k.memmap.test(pfn, PG_readahead)) {
      // the async readahead drops the fault lock (fpin) and the fault is retried
      do_async_mmap_readahead(k, as, pfn);
      if (!(vmf.flags & FAULT_FLAG_TRIED)) return VM_FAULT_RETRY;
    }
    vmf.page = pfn;
    return VM_FAULT_LOCKED;
  }
  do_sync_mmap_readahead(k, as, index);
  pfn = as.folioAt(index);
  if (!(vmf.flags & FAULT_FLAG_TRIED)) {
    k.tr.call('lock_folio_maybe_drop_mmap: I/O, drop mmap_lock');
    return VM_FAULT_RETRY | VM_FAULT_MAJOR;
  }
  vmf.page = pfn;
  return VM_FAULT_LOCKED | VM_FAULT_MAJOR;
}

// fs/ext4/inode.c: ext4_page_mkwrite() (→ block_page_mkwrite): marks the folio dirty
// and returns it locked.
function ext4_page_mkwrite(k: Kernel, vmf: VmFault): number {
  k.memmap.setFlag(vmf.page, PG_dirty);
  return VM_FAULT_LOCKED;
}

export const ext4_file_vm_ops: VmOps = {
  name: 'ext4_file_vm_ops', faultName: 'filemap_fault', fault: filemap_fault, mapPages: true,
  pageMkwriteName: 'ext4_page_mkwrite', pageMkwrite: ext4_page_mkwrite,
};

// mm/shmem.c: shmem_fault() → shmem_get_folio_gfp(SGP_CACHE): a hole gets a new,
// zeroed, uptodate, clean swap-backed folio in the page cache.
function shmem_fault(k: Kernel, vmf: VmFault): number {
  const as = vmf.vma.file!;
  const index = vmf.pgoff;
  if (index >= as.sizePages) return VM_FAULT_SIGBUS;
  let pfn = as.folioAt(index);
  if (!pfn) {
    k.tr.call('shmem_alloc_and_add_folio');
    const order = shmemFolioOrder(k, as, vmf, index);
    const start = index - (index % (1 << order));
    k.addFolioToPageCache(as, start, PG_uptodate | PG_swapbacked, order);
    pfn = as.folioAt(index);
  }
  vmf.page = pfn;
  return VM_FAULT_LOCKED;
}

// mm/shmem.c: shmem_alloc_and_add_folio() with the orders shmem_allowable_huge_orders()
// gives (thp.ts): from 6.11 shmem_suitable_orders() keeps the orders that fit the VMA
// around the address (thp_vma_suitable_orders, `if (vma)`: a named tmpfs file's mapping as
// well as shared anonymous memory; 6.12.118: a 61-page VMA of a huge=always file gets
// order-0 folios); otherwise the PMD order. The highest whose aligned index range holds no
// folio yet (xa_find) and lies inside the file is allocated; else order 0. (Before 6.11
// shmem_is_huge() looks at neither the VMA's size nor i_size for huge=always: 6.1.192
// allocates a PMD folio in a 64-page file; the engine keeps folios inside the file.)
function shmemFolioOrder(k: Kernel, as: AddressSpace, vmf: VmFault, index: number): number {
  let orders = shmemAllowableOrders(k, as, vmf.vma, index);
  if (!orders) return 0;
  if (k.profile.has('shmem-mthp')) orders = thpVmaSuitableOrders(vmf.vma, vmf.address, orders);
  for (const o of ordersHighFirst(orders)) {
    const nr = 1 << o, start = index - (index % nr);
    if (start + nr > as.sizePages) continue;
    let free = true;
    for (let i = start; i < start + nr && free; i++) free = !as.folioAt(i);
    if (free) return o;
  }
  return 0;
}

export const shmem_vm_ops: VmOps = {
  name: 'shmem_vm_ops', faultName: 'shmem_fault', fault: shmem_fault, mapPages: true,
};
export const shmem_anon_vm_ops: VmOps = { ...shmem_vm_ops, name: 'shmem_anon_vm_ops' };

// fs/ext4/file.c: ext4_file_operations — ->mmap (ext4_file_mmap) installs ext4_file_vm_ops;
// fsync is the generic page-cache writeback (writeback.ts).
export const ext4_file_operations: FileOperations = {
  name: 'ext4_file_operations', mmap: () => ({ ops: ext4_file_vm_ops, flags: 0 }),
};

// mm/shmem.c: shmem_file_operations — ->mmap (shmem_mmap) installs shmem_vm_ops, or
// shmem_anon_vm_ops for the object behind a shared anonymous mapping (shmem_zero_setup).
export const shmem_file_operations: FileOperations = {
  name: 'shmem_file_operations', mmap: (_k, as) => ({ ops: as.anonShmem ? shmem_anon_vm_ops : shmem_vm_ops, flags: 0 }),
};
