// Where the kernel functions the engine names live, for hover links.

/** Kernel source file of the functions the engine names in its traces (elixir paths). */
export const KERNEL_SOURCE_FILES: Readonly<Record<string, string>> = {
  do_user_addr_fault: 'arch/x86/mm/fault.c', bad_area: 'arch/x86/mm/fault.c', bad_area_access_error: 'arch/x86/mm/fault.c',
  do_sigbus: 'arch/x86/mm/fault.c', spurious_fault: 'arch/x86/mm/fault.c',
  handle_mm_fault: 'mm/memory.c', do_anonymous_page: 'mm/memory.c', do_read_fault: 'mm/memory.c', do_cow_fault: 'mm/memory.c',
  do_shared_fault: 'mm/memory.c', do_fault_around: 'mm/memory.c', __do_fault: 'mm/memory.c', finish_fault: 'mm/memory.c',
  do_page_mkwrite: 'mm/memory.c', fault_dirty_shared_page: 'mm/memory.c', do_wp_page: 'mm/memory.c', wp_page_copy: 'mm/memory.c',
  wp_page_reuse: 'mm/memory.c', wp_page_shared: 'mm/memory.c', wp_pfn_shared: 'mm/memory.c', finish_mkwrite_fault: 'mm/memory.c',
  wp_can_reuse_anon_folio: 'mm/memory.c', copy_user_highpage: 'include/linux/highmem.h', vmf_insert_pfn: 'mm/memory.c',
  unmap_mapping_range: 'mm/memory.c', copy_page_range: 'mm/memory.c',
  filemap_map_pages: 'mm/filemap.c', do_sync_mmap_readahead: 'mm/filemap.c', do_async_mmap_readahead: 'mm/filemap.c',
  lock_folio_maybe_drop_mmap: 'mm/filemap.c', filemap_write_and_wait_range: 'mm/filemap.c', file_update_time: 'fs/inode.c',
  folio_mkclean: 'mm/rmap.c', page_mkclean: 'include/linux/rmap.h', rmap_walk_file: 'mm/rmap.c', __rmap_walk_file: 'mm/rmap.c',
  rmap_walk_anon: 'mm/rmap.c', mapping_wrprotect_range: 'mm/rmap.c', pfn_mkclean_range: 'mm/rmap.c',
  folio_move_anon_rmap: 'mm/rmap.c', invalid_mkclean_vma: 'mm/rmap.c', page_vma_mkclean_one: 'mm/rmap.c',
  folio_clear_dirty_for_io: 'mm/page-writeback.c', vfs_fsync_range: 'fs/sync.c',
  shmem_alloc_and_add_folio: 'mm/shmem.c', dup_mmap: 'mm/mmap.c', vmalloc_to_page: 'mm/vmalloc.c',
  schedule_delayed_work: 'include/linux/workqueue.h', flush_delayed_work: 'kernel/workqueue.c',
  fb_deferred_io_track_page: 'drivers/video/fbdev/core/fb_defio.c', fb_deferred_io_fault: 'drivers/video/fbdev/core/fb_defio.c',
  fb_deferred_io_mkwrite: 'drivers/video/fbdev/core/fb_defio.c', fb_deferred_io_work: 'drivers/video/fbdev/core/fb_defio.c',
  fb_deferred_io_fsync: 'drivers/video/fbdev/core/fb_defio.c',
  pfn_to_page: 'include/asm-generic/memory_model.h',
};

/** The kernel function a trace path entry names (entries may carry a note: `folio_mkclean: ...`). */
export function functionOf(entry: string): string | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)/.exec(entry);
  if (!m) return undefined;
  return m[1] === 'VM_FAULT_RETRY' || m[1] === 'spurious' || m[1] === 'folio' || m[1] === 'page' ? undefined : m[1];
}

/** An elixir.bootlin.com link for a kernel function at `version` (e.g. '6.15'). */
export function kernelSourceUrl(fn: string, version: string): string {
  const file = KERNEL_SOURCE_FILES[fn];
  const v = `v${version}`;
  return file ? `https://elixir.bootlin.com/linux/${v}/source/${file}` : `https://elixir.bootlin.com/linux/${v}/A/ident/${fn}`;
}
