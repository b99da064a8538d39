// include/linux/fs.h: struct address_space — the page cache (i_pages) and i_mmap, the
// interval tree of every VMA that maps the object, shared and private alike.

import { IntervalTree } from './intervalTree';
import type { Vma } from './vma';
import type { FileOperations } from './fileOperations';
import type { KernelFn } from './kernelFunctions';

export type ObjKind = 'file' | 'shmem' | 'fbdev' | 'pfnmap';

/** mm/readahead.c: struct file_ra_state (the fields mmap read-around uses). */
export interface RaState { start: number; size: number; asyncSize: number }


export class AddressSpace {
  /** i_pages for order-0 folios: index → PFN, 0 = no folio */
  readonly iPages: Uint32Array;
  nrpages = 0;
  /** i_mmap: every VMA mapping this object, in the kernel's interval-tree order */
  readonly iMmap = new IntervalTree<Vma>((v) => v.pgoff, (v) => v.lastPgoff);
  /** i_mmap_writable: shared VMAs that may write (mapping_allow_writable) */
  iMmapWritable = 0;
  ra: RaState = { start: 0, size: 0, asyncSize: 0 };
  /** the file_operations of the inode behind it (its filesystem or driver) */
  fops!: FileOperations;
  /** the driver's own state (fb_info / fb_deferred_io for an fbdev) */
  private_data: unknown;
  /** a regular file: the order of the folios its filesystem caches it in (0 = order-0) */
  folioOrder = 0;
  /** a tmpfs file: its mount's huge= option (the internal shm mount: the global knob) */
  tmpfsHuge: 'always' | 'within_size' | 'advise' | 'never' = 'never';
  /** physical PFN of each object page for fbdev/pfnmap (no page cache) */
  backing: Uint32Array | undefined;

  constructor(
    /** the kernel's number for it (Kernel.ids) */
    readonly id: number,
    readonly name: string,
    readonly kind: ObjKind,
    /** i_size in pages (smem_len / PAGE_SIZE for an fbdev) */
    readonly sizePages: number,
    /** mapping_can_writeback(): ext4 yes; tmpfs and device inodes no */
    readonly canWriteback: boolean,
    /** a_ops->dirty_folio: filemap_dirty_folio (ext4: ext4_dirty_folio), noop_dirty_folio (fb_defio) */
    readonly dirtyFolioName: KernelFn,
    /** a shared anonymous mapping's private shmem object */
    readonly anonShmem = false,
  ) {
    this.iPages = new Uint32Array(kind === 'file' || kind === 'shmem' ? sizePages : 0);
  }

  /** filemap_get_folio(): the page-cache folio at index, or 0. */
  folioAt(index: number): number { return index >= 0 && index < this.iPages.length ? this.iPages[index] : 0; }
}
