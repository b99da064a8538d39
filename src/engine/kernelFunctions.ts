// The kernel functions the engine names in its traces: one table of where each lives (and
// since which release, where it appeared or moved within the versions the engine models).
// Tracer.call() takes only names from this table (optionally with a note after ": " or
// " → "), so a trace never names a function the table does not know, and hover links read
// the file at the run's version. Imports nothing.

/** A release as far as the table needs it. */
export interface Release { major: number; minor: number }

/** A file for every version, or the files it has lived in, each from a release on. */
export interface KernelFunctionInfo {
  readonly file?: string | readonly (readonly [since: string, file: string])[];
  /** the release that added it (where that is within the modelled versions) */
  readonly since?: string;
  /** not a kernel function: the model's stand-in (a generic device driver) */
  readonly model?: true;
}

const MEMORY = 'mm/memory.c', FAULT = 'arch/x86/mm/fault.c', FILEMAP = 'mm/filemap.c', RMAP = 'mm/rmap.c';
const FB_DEFIO = 'drivers/video/fbdev/core/fb_defio.c';
const HUGE = 'mm/huge_memory.c', KHUGEPAGED = 'mm/khugepaged.c';
const MADVISE = 'mm/madvise.c', VMSCAN = 'mm/vmscan.c', SWAPFILE = 'mm/swapfile.c', PAGE_IO = 'mm/page_io.c', MIGRATE = 'mm/migrate.c';

export const KERNEL_FUNCTIONS = {
  do_user_addr_fault: { file: FAULT }, bad_area: { file: FAULT }, bad_area_access_error: { file: FAULT }, do_sigbus: { file: FAULT },
  handle_mm_fault: { file: MEMORY }, handle_pte_fault: { file: MEMORY }, do_anonymous_page: { file: MEMORY },
  do_read_fault: { file: MEMORY }, do_cow_fault: { file: MEMORY }, do_shared_fault: { file: MEMORY }, do_fault_around: { file: MEMORY },
  __do_fault: { file: MEMORY }, finish_fault: { file: MEMORY }, do_page_mkwrite: { file: MEMORY },
  fault_dirty_shared_page: { file: MEMORY }, do_wp_page: { file: MEMORY }, wp_page_copy: { file: MEMORY },
  wp_page_reuse: { file: MEMORY }, wp_page_shared: { file: MEMORY }, wp_pfn_shared: { file: MEMORY },
  finish_mkwrite_fault: { file: MEMORY }, wp_can_reuse_anon_folio: { file: MEMORY }, vmf_insert_pfn: { file: MEMORY },
  unmap_mapping_range: { file: MEMORY }, copy_page_range: { file: MEMORY },
  copy_user_highpage: { file: 'include/linux/highmem.h' },
  filemap_fault: { file: FILEMAP }, filemap_map_pages: { file: FILEMAP }, do_sync_mmap_readahead: { file: FILEMAP },
  do_async_mmap_readahead: { file: FILEMAP }, lock_folio_maybe_drop_mmap: { file: FILEMAP },
  filemap_write_and_wait_range: { file: FILEMAP }, filemap_dirty_folio: { file: FILEMAP },
  file_update_time: { file: 'fs/inode.c' },
  folio_mkclean: { file: RMAP }, page_mkclean: { file: 'include/linux/rmap.h' }, rmap_walk_file: { file: RMAP },
  __rmap_walk_file: { file: RMAP, since: '6.15' }, rmap_walk_anon: { file: RMAP },
  mapping_wrprotect_range: { file: RMAP, since: '6.15' }, pfn_mkclean_range: { file: RMAP },
  folio_move_anon_rmap: { file: RMAP }, invalid_mkclean_vma: { file: RMAP }, page_vma_mkclean_one: { file: RMAP },
  folio_clear_dirty_for_io: { file: 'mm/page-writeback.c' }, noop_dirty_folio: { file: 'mm/page-writeback.c' },
  vfs_fsync_range: { file: 'fs/sync.c' },
  shmem_fault: { file: 'mm/shmem.c' }, shmem_alloc_and_add_folio: { file: 'mm/shmem.c' },
  ext4_dirty_folio: { file: 'fs/ext4/inode.c' }, ext4_page_mkwrite: { file: 'fs/ext4/inode.c' },
  // "mm: move dup_mmap() to mm" (6.16)
  dup_mmap: { file: [['6.1', 'kernel/fork.c'], ['6.16', 'mm/mmap.c']] },
  // VMA merging and mremap (mm/vma.c split out of mm/mmap.c in 6.11)
  mmap_region: { file: 'mm/mmap.c' }, mprotect_fixup: { file: 'mm/mprotect.c' },
  vma_merge: { file: [['6.1', 'mm/mmap.c'], ['6.11', 'mm/vma.c']] },
  vma_expand: { file: [['6.1', 'mm/mmap.c'], ['6.11', 'mm/vma.c']] },
  __vma_adjust: { file: 'mm/mmap.c' },
  vma_complete: { file: [['6.3', 'mm/mmap.c'], ['6.11', 'mm/vma.c']], since: '6.3' },
  vma_merge_new_range: { file: 'mm/vma.c', since: '6.12' }, vma_merge_existing_range: { file: 'mm/vma.c', since: '6.12' },
  commit_merge: { file: 'mm/vma.c', since: '6.12' },
  copy_vma: { file: [['6.1', 'mm/mmap.c'], ['6.11', 'mm/vma.c']] },
  move_vma: { file: 'mm/mremap.c' }, move_page_tables: { file: 'mm/mremap.c' }, move_ptes: { file: 'mm/mremap.c' },
  move_normal_pmd: { file: 'mm/mremap.c' }, move_huge_pmd: { file: HUGE }, vma_to_resize: { file: 'mm/mremap.c' }, mremap_to: { file: 'mm/mremap.c' },
  vmalloc_to_page: { file: 'mm/vmalloc.c' }, pfn_to_page: { file: 'include/asm-generic/memory_model.h' },
  schedule_delayed_work: { file: 'include/linux/workqueue.h' }, flush_delayed_work: { file: 'kernel/workqueue.c' },
  cancel_delayed_work_sync: { file: 'kernel/workqueue.c' },
  fb_deferred_io_track_page: { file: FB_DEFIO }, fb_deferred_io_fault: { file: FB_DEFIO },
  fb_deferred_io_mkwrite: { file: FB_DEFIO }, fb_deferred_io_work: { file: FB_DEFIO }, fb_deferred_io_fsync: { file: FB_DEFIO },
  fb_deferred_io_release: { file: FB_DEFIO }, fb_deferred_io_lastclose: { file: FB_DEFIO },
  fb_deferred_io_pageref_clear: { file: FB_DEFIO },
  // fbmem.c or fb_chrdev.c depending on the release: found by name
  fb_release: {},
  pfnmap_fault: { model: true },
  // large folios and THP (language v2): thp.ts, hugeMemory.ts, split.ts
  alloc_anon_folio: { file: MEMORY, since: '6.8' }, thp_vma_allowable_orders: { file: 'include/linux/huge_mm.h', since: '6.8' },
  hugepage_vma_check: { file: HUGE }, create_huge_pmd: { file: MEMORY }, wp_huge_pmd: { file: MEMORY },
  do_huge_pmd_anonymous_page: { file: HUGE }, set_huge_zero_folio: { file: HUGE }, mm_get_huge_zero_folio: { file: HUGE },
  do_huge_pmd_wp_page: { file: HUGE }, huge_pmd_set_accessed: { file: HUGE }, __split_huge_pmd: { file: HUGE },
  copy_huge_pmd: { file: HUGE }, zap_huge_pmd: { file: HUGE }, change_huge_pmd: { file: HUGE }, do_set_pmd: { file: MEMORY },
  split_huge_page_to_list_to_order: { file: HUGE }, deferred_split_folio: { file: HUGE }, folio_pte_batch: { file: 'mm/internal.h' },
  copy_present_ptes: { file: MEMORY }, page_vma_mapped_walk: { file: 'mm/page_vma_mapped.c' },
  shmem_allowable_huge_orders: { file: 'mm/shmem.c', since: '6.11' }, shmem_is_huge: { file: 'mm/shmem.c' },
  hugepage_madvise: { file: HUGE }, madvise_collapse: { file: KHUGEPAGED }, hpage_collapse_scan_file: { file: KHUGEPAGED },
  collapse_file: { file: KHUGEPAGED }, retract_page_tables: { file: KHUGEPAGED }, collapse_pte_mapped_thp: { file: KHUGEPAGED },
  set_huge_pmd: { file: KHUGEPAGED }, vma_adjust_trans_huge: { file: HUGE },
  // madvise, reclaim, swap, migration (madvise.ts, reclaim.ts, swap.ts, swapin.ts, migrate.ts)
  do_madvise: { file: MADVISE }, madvise_cold: { file: MADVISE }, madvise_pageout: { file: MADVISE },
  madvise_free_single_vma: { file: MADVISE }, madvise_free_pte_range: { file: MADVISE }, madvise_free_huge_pmd: { file: HUGE }, madvise_willneed: { file: MADVISE },
  madvise_dontneed_single_vma: { file: MADVISE }, folio_deactivate: { file: 'mm/swap.c' },
  folio_mark_lazyfree: { file: 'mm/swap.c' }, force_page_cache_ra: { file: 'mm/readahead.c' }, faultin_page: { file: 'mm/gup.c' },
  reclaim_pages: { file: VMSCAN }, shrink_folio_list: { file: VMSCAN }, folio_check_references: { file: VMSCAN },
  pageout: { file: VMSCAN }, __remove_mapping: { file: VMSCAN },
  folio_referenced: { file: RMAP }, try_to_unmap: { file: RMAP }, try_to_migrate: { file: RMAP },
  sys_swapon: { file: SWAPFILE }, folio_free_swap: { file: SWAPFILE }, free_swap_and_cache: { file: SWAPFILE },
  add_to_swap: { file: 'mm/swap_state.c' }, swapin_readahead: { file: 'mm/swap_state.c' },
  swap_writepage: { file: PAGE_IO }, end_swap_bio_write: { file: PAGE_IO }, swap_read_folio: { file: PAGE_IO },
  folio_end_writeback: { file: FILEMAP }, do_swap_page: { file: MEMORY },
  migrate_pages: { file: MIGRATE }, move_to_new_folio: { file: MIGRATE }, remove_migration_ptes: { file: MIGRATE },
  // vmsplice and pipes (vmsplice.ts, pipe.ts)
  vmsplice_to_pipe: { file: 'fs/splice.c' }, iter_to_pipe: { file: 'fs/splice.c' }, free_pipe_info: { file: 'fs/pipe.c' },
  // io_uring registered buffers (pin.ts) and fork's copy of a pinned page (fork.ts)
  io_sqe_buffer_register: { file: 'io_uring/rsrc.c' }, io_pin_pages: { file: [['6.1', 'io_uring/rsrc.c'], ['6.10', 'io_uring/memmap.c']] },
  pin_user_pages: { file: 'mm/gup.c' }, pin_user_pages_fast: { file: 'mm/gup.c' }, gup_fast: { file: 'mm/gup.c' },
  gup_must_unshare: { file: [['6.1', 'include/linux/mm.h'], ['6.4', 'mm/internal.h']] }, pin_longterm_test_start: { file: 'mm/gup_test.c' }, unpin_user_pages: { file: 'mm/gup.c' }, copy_present_page: { file: MEMORY },
} as const satisfies Record<string, KernelFunctionInfo>;

export type KernelFn = keyof typeof KERNEL_FUNCTIONS;

/** What Tracer.call() records: a function of the table, or one with a note. */
export type KernelCall = KernelFn | `${KernelFn}: ${string}` | `${KernelFn} → ${string}`;

const atLeast = (v: Release, since: string) => {
  const [maj, min] = since.split('.').map(Number);
  return v.major > maj || (v.major === maj && v.minor >= min);
};

/** The function a recorded call names (the table decides, not a pattern). */
export function functionOfCall(entry: string): KernelFn | undefined {
  const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(entry)?.[0];
  return name !== undefined && Object.prototype.hasOwnProperty.call(KERNEL_FUNCTIONS, name) ? name as KernelFn : undefined;
}

/** The source file of a kernel function at a release; undefined when the table has none. */
export function sourceFileOf(fn: string, version: Release): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(KERNEL_FUNCTIONS, fn)) return undefined;
  const info: KernelFunctionInfo = KERNEL_FUNCTIONS[fn as KernelFn];
  if (info.model || info.file === undefined) return undefined;
  if (typeof info.file === 'string') return info.file;
  let file: string | undefined;
  for (const [since, f] of info.file) if (atLeast(version, since)) file = f;
  return file;
}

/** Whether the function is the model's own stand-in, not the kernel's. */
export function isModelFunction(fn: string): boolean {
  return Object.prototype.hasOwnProperty.call(KERNEL_FUNCTIONS, fn) && !!(KERNEL_FUNCTIONS[fn as KernelFn] as KernelFunctionInfo).model;
}
