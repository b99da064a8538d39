// Every version-dependent rule the engine models, in one table. A row names the kernel
// function that changed, the mainline release that changed it (`since`, and `until` when
// a later release undid it), the upstream commit, and the stable releases that received
// it as a backport. `KernelProfile` (kernel.ts) answers `has(rule)` from this table for a
// mainline release (`6.1` = 6.1.0) or an exact stable release (`6.1.192`); the checker,
// completion and the inspector's version list read it too. Imports nothing.
//
// Sources (docs/kernel-findings.md §14): the patches and pull requests named in each row;
// the first stable release of a backport is the `ChangeLog-6.1.N` section that lists the
// commit in the changelog of Debian's linux 6.1.192-3 package (linux-libc-dev, src:linux),
// which names every upstream stable update it merged. A commit id is given only where a
// source read here shows it; the subject alone otherwise.

/** A kernel release: mainline when `patch` is 0, else the stable release MAJOR.MINOR.PATCH. */
export interface KernelRelease { major: number; minor: number; patch: number }

export interface StableBackport {
  /** the stable series, e.g. '6.1' */
  series: string;
  /** the first stable release that contains the backport, e.g. '6.1.90' */
  release: string;
}

export interface VersionRule {
  id: RuleId;
  /** what the rule changes, one line */
  change: string;
  /** kernel source file and function */
  file: string;
  fn: string;
  /** the mainline release that has the rule */
  since: string;
  /** the mainline release that no longer has it (the rule was undone or replaced) */
  until?: string;
  /** upstream commit: 12-hex id when established, and subject */
  commit: { id?: string; subject: string };
  backports: readonly StableBackport[];
  /** what the engine does, where it is not simply "the new code from `since`" */
  note?: string;
}

export const RULE_IDS = [
  'fb-defio-release-hook',
  'fb-defio-lastclose-only',
  'fb-defio-flush-on-lastclose',
  'fb-defio-fsync-flush',
  'fb-defio-mkwrite-pgoff',
  'fb-defio-lastclose-pagerefs',
  'fb-defio-folio-api',
  'mapping-wrprotect-range',
  'mprotect-clean-anon-writable',
  'mprotect-pmd-writable',
  'vma-lock-retry-minor',
  'set-pte-dirty-if-folio-dirty',
  'vma-prepare-complete',
  'vma-merge-existing-range',
  'vma-merge-new-range-prev-first',
  'anon-mthp',
  'fork-pte-batch',
  'longterm-pin-file-check-in-gup',
  'ro-longterm-pin-unshares-cow-mappings',
  'madvise-populate-stops-at-hole',
  'shmem-mthp',
  'finish-fault-large-folio',
  'cow-no-reuse-large-folio',
  'cow-reuse-pte-mapped-thp',
  'split-pmd-pte-dirty',
  'split-remap-zeropage',
  'pageout-ignore-references',
  'swapin-map-writable',
  'collapse-file-retract-all',
  'collapse-file-large-folios',
  'madv-cold-folio-mapcount',
  'madv-cold-estimated-sharers',
  'madv-cold-pte-sharers-gt1',
  'likely-mapped-shared',
  'madv-cold-avoid-split',
  'maybe-mapped-shared',
  'madv-free-pte-estimated-sharers',
  'madv-free-pmd-estimated-sharers',
  'madv-free-batch',
  'swapout-mthp',
  'shrink-split-partially-mapped',
  'swapin-large-folio',
  'move-pages-folio-walk',
  'remove-migration-pte-soft-dirty',
] as const;
export type RuleId = typeof RULE_IDS[number];

/** The table, in mainline order (the large-folio rows, thpRules below, merged in by `since`). */
export const VERSION_RULES: readonly VersionRule[] = mergeBySince([
  {
    id: 'fb-defio-folio-api',
    change: 'the deferred work locks and write-protects with folio_lock()/folio_mkclean() (6.1: lock_page()/page_mkclean())',
    file: 'drivers/video/fbdev/core/fb_defio.c', fn: 'fb_deferred_io_work',
    since: '6.2',
    commit: { subject: 'not established here (6.1 and 6.14 sources read; the 6.2 boundary is the earlier engine\'s)' },
    backports: [],
    note: 'the same walk under another name: only the trace differs',
  },
  {
    id: 'fb-defio-release-hook',
    change: 'fb_release() calls fb_deferred_io_release(): the pending work is cancelled and page->mapping cleared for every smem page, at every release of a file',
    file: 'drivers/video/fbdev/core/fbmem.c', fn: 'fb_release → fb_deferred_io_release',
    since: '6.2',
    commit: { id: '3efc61d95259', subject: 'fbdev: Fix invalid page access after closing deferred I/O devices' },
    backports: [{ series: '6.1', release: '6.1.13' }],
    note: 'before: no release hook, page->mapping stays and the work stays armed after the last munmap',
  },
  {
    id: 'mprotect-clean-anon-writable',
    change: 'mprotect may make a clean exclusive private anon PTE writable at once; 6.1 required it to be dirty',
    file: 'mm/mprotect.c', fn: 'can_change_pte_writable',
    since: '6.2',
    commit: { subject: 'mm/mprotect: allow clean exclusive anon pages to be writable' },
    backports: [],
  },
  {
    id: 'mprotect-pmd-writable',
    change: 'mprotect may make a PMD-mapped THP writable at once (can_change_pmd_writable: exclusive anon, or a dirty shared PMD); 6.1 left every PMD read-only until a write fault',
    file: 'mm/huge_memory.c', fn: 'change_huge_pmd (can_change_pmd_writable)',
    since: '6.2',
    commit: { subject: 'mm/huge_memory: try avoiding write faults when changing PMD protection (the "mm/autonuma: replace savedwrite infrastructure" series, merged for 6.2; 6.1 measured on Debian 6.1.192: mprotect r then rw leaves the PMD read-only and the next write faults)' },
    backports: [],
  },
  {
    id: 'ro-longterm-pin-unshares-cow-mappings',
    change: 'a long-term R/O pin (FOLL_PIN | FOLL_LONGTERM without FOLL_WRITE) of a page that is not anonymous (the shared zero page, a page-cache page) in a private writable ("COW") mapping unshares first: a FAULT_FLAG_UNSHARE fault replaces it by an exclusive anonymous copy mapped read-only, so the pin sees the process\'s later writes; before, such a page was pinned as it was and a later write fault replaced it in the page table (an unreliable pin)',
    file: 'include/linux/mm.h (mm/internal.h from 6.4), mm/memory.c', fn: 'gup_must_unshare, do_wp_page',
    since: '6.2',
    commit: { id: '84209e87c696', subject: 'mm/gup: reliable R/O long-term pinning in COW mappings' },
    backports: [],
    note: 'anonymous pages unshare at both releases (5.19, "mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous page"): a page not marked PageAnonExclusive is made exclusive (reused, or copied) before it is pinned; 6.1.192 (Debian) has no backport of the non-anonymous case',
  },
  {
    id: 'vma-prepare-complete',
    change: 'VMA merges and splits lock and update i_mmap/anon_vma through vma_prepare()/vma_complete(); 6.1: __vma_adjust() (and vma_expand() for mmap)',
    file: 'mm/mmap.c', fn: 'vma_prepare, vma_complete (was __vma_adjust)',
    since: '6.3',
    commit: { subject: 'mm/mmap: remove __vma_adjust() (Liam R. Howlett; the 6.3 boundary is not verified in source: 6.1 and 6.12 read)' },
    backports: [],
    note: 'the same i_mmap removal and re-insertion order in 6.1 and 6.12 (docs/kernel-findings.md, "VMA merging"): only the trace differs',
  },
  {
    id: 'fb-defio-lastclose-only',
    change: 'the release work runs only when the last file is released (open_count reaches 0: fb_deferred_io_lastclose)',
    file: 'drivers/video/fbdev/core/fb_defio.c', fn: 'fb_deferred_io_release',
    since: '6.3',
    commit: { id: 'fe9ae05cfbe5', subject: 'fbdev: Fix incorrect page mapping clearance at fb_deferred_io_release()' },
    backports: [{ series: '6.1', release: '6.1.21' }],
    note: 'adds fbdefio->open_count and fb_deferred_io_lastclose(), which still cancels the work',
  },
  {
    id: 'vma-lock-retry-minor',
    change: 'file read faults run under the per-VMA lock; a VM_FAULT_RETRY without VM_FAULT_MAJOR is retried without FAULT_FLAG_TRIED (counted minor)',
    file: 'arch/x86/mm/fault.c', fn: 'do_user_addr_fault',
    since: '6.7',
    commit: { id: '12214eba1992', subject: 'mm: handle read faults under the VMA lock (with 46e714c729c8, merged before v6.7)' },
    backports: [],
  },
  {
    id: 'fb-defio-fsync-flush',
    change: 'fsync runs the pending work synchronously (flush_delayed_work); before, it cancelled the work and re-armed it with delay 0',
    file: 'drivers/video/fbdev/core/fb_defio.c', fn: 'fb_deferred_io_fsync',
    since: '6.8',
    commit: { id: '15e4c1f46227', subject: 'fbdev: flush deferred work in fb_deferred_io_fsync()' },
    backports: [{ series: '6.1', release: '6.1.75' }, { series: '6.6', release: '6.6.14' }],
    note: 'before: fsync returns with nothing written; the re-armed work runs at the next `wait`',
  },
  {
    id: 'fb-defio-flush-on-lastclose',
    change: 'the last close flushes the pending work (runs it now) instead of cancelling it',
    file: 'drivers/video/fbdev/core/fb_defio.c', fn: 'fb_deferred_io_lastclose',
    since: '6.8',
    commit: { id: '33cd6ea9c067', subject: 'fbdev: flush deferred IO before closing' },
    backports: [{ series: '6.1', release: '6.1.75' }, { series: '6.6', release: '6.6.14' }],
  },
  {
    id: 'pageout-ignore-references',
    change: 'MADV_PAGEOUT leaves the young bits alone and reclaims with ignore_references (no folio_referenced walk); before, it cleared them and shrink_folio_list checked references',
    file: 'mm/madvise.c, mm/vmscan.c', fn: 'madvise_cold_or_pageout_pte_range, reclaim_folio_list',
    since: '6.9',
    commit: { subject: 'mm: madvise: pageout: ignore references rather than clearing young' },
    backports: [],
    note: '6.1 and 6.12 sources read (shrink_folio_list(..., false) / (..., true)); the 6.9 boundary is the merge of that patch',
  },
  {
    id: 'fb-defio-mkwrite-pgoff',
    change: 'page_mkwrite finds the pageref from vmf->pgoff; before, from the address relative to vm_start (vm_pgoff ignored)',
    file: 'drivers/video/fbdev/core/fb_defio.c', fn: 'fb_deferred_io_page_mkwrite',
    since: '6.9',
    commit: { id: '78d9161d2bcd', subject: 'fbdev: fix incorrect address computation in deferred IO' },
    backports: [{ series: '6.1', release: '6.1.90' }],
  },
  {
    id: 'fb-defio-lastclose-pagerefs',
    change: 'lastclose clears page->mapping only for pagerefs that cached a page; before, for every page of smem_len',
    file: 'drivers/video/fbdev/core/fb_defio.c', fn: 'fb_deferred_io_lastclose',
    since: '6.11',
    commit: { subject: 'fbdev/deferred-io: Clean up pageref on lastclose' },
    backports: [],
  },
  {
    id: 'swapin-map-writable',
    change: 'do_swap_page maps an exclusive swapped-in folio writable on a read fault too (VM_WRITE, no uffd-wp, no soft-dirty tracking); before, only a write fault made it writable',
    file: 'mm/memory.c', fn: 'do_swap_page',
    since: '6.11',
    commit: { id: 'c18160dba5ff', subject: 'mm: swap: entirely map large folios found in swapcache (with 20dfa5b7adc5, pte_needs_soft_dirty_wp)' },
    backports: [],
    note: '6.1 and 6.12 sources read; the boundary is the 2024-06 commits in the blame of do_swap_page',
  },
  {
    id: 'vma-merge-existing-range',
    change: 'mprotect and mremap merge through vma_modify() → vma_merge_existing_range() → commit_merge(); before, vma_merge() (cases 1-8)',
    file: 'mm/vma.c', fn: 'vma_merge_existing_range, commit_merge',
    since: '6.12',
    commit: { subject: 'mm: refactor vma_merge() into modify-only vma_merge_existing_range() (Lorenzo Stoakes)' },
    backports: [],
    note: 'the same decisions and i_mmap order as 6.1 vma_merge() for every case the engine models (6.1.192 and 6.12.118 sources read): only the trace differs',
  },
  {
    id: 'vma-merge-new-range-prev-first',
    change: 'mmap merges a new range by vma_merge_new_range(): prev is checked with no anon_vma, next joins only when prev\'s and next\'s anon_vmas are compatible; before, mmap_region checked next first and passed next\'s anon_vma to the prev check (so a prev without anon_vma never joined a next with one)',
    file: 'mm/vma.c, mm/mmap.c', fn: 'vma_merge_new_range (was mmap_region → vma_expand)',
    since: '6.12',
    commit: { subject: 'mm: avoid using vma_merge() for new VMAs (Lorenzo Stoakes)' },
    backports: [],
    note: '6.1.192 and 6.12.118 sources read; releases 6.2 to 6.11 are taken to keep the 6.1 order',
  },
  {
    id: 'mapping-wrprotect-range',
    change: 'fb_defio records the mapping at open and write-protects with mapping_wrprotect_range(); ->fault no longer sets page->mapping/index; the `wrprotect` statement exists',
    file: 'mm/rmap.c, drivers/video/fbdev/core/fb_defio.c', fn: 'mapping_wrprotect_range, fb_deferred_io_work',
    since: '6.15',
    commit: { subject: 'series "expose mapping wrprotect, fix fb_defio use" (fb_defio: do not use deprecated page->mapping, index fields)' },
    backports: [],
  },
  {
    id: 'set-pte-dirty-if-folio-dirty',
    change: 'a read fault maps a PTE that the protection lets write dirty when the folio is dirty',
    file: 'mm/memory.c', fn: 'set_pte_range',
    since: '6.16',
    commit: { id: '4e92030c05dc', subject: 'mm: set the pte dirty if the folio is already dirty' },
    backports: [],
  },
], thpRulesTable);

/** Large folios and THP (language v2): mm/memory.c, mm/huge_memory.c, mm/shmem.c, mm/rmap.c. */
function thpRulesTable(): VersionRule[] {
  return [
  {
    id: 'anon-mthp',
    change: 'multi-size anonymous THP: a write fault allocates the highest enabled order whose aligned range fits the VMA with only none PTEs; hugepages-<size>/enabled exists',
    file: 'mm/memory.c, mm/huge_memory.c', fn: 'alloc_anon_folio, thp_vma_allowable_orders',
    since: '6.8',
    commit: { id: '19eaf44954df', subject: 'mm: thp: support allocation of anonymous multi-size THP' },
    backports: [],
    note: 'before: only PMD-size anonymous THP (hugepage_vma_check); `sysctl thp anon` is an error diagnostic',
  },
  {
    id: 'fork-pte-batch',
    change: 'fork copies the PTEs of one large folio as a batch (folio_pte_batch, one rmap and refcount update per batch)',
    file: 'mm/memory.c', fn: 'copy_present_ptes',
    since: '6.9',
    commit: { id: 'f8d937761d65', subject: 'mm/memory: optimize fork() with PTE-mapped THP' },
    backports: [],
    note: 'the batch respects dirty and soft-dirty where they matter (FPB_IGNORE_DIRTY only for VM_SHARED, FPB_IGNORE_SOFT_DIRTY only without soft-dirty tracking) and write-protects the whole batch: the resulting PTEs equal the per-page copy, only the trace differs',
  },
  {
    id: 'longterm-pin-file-check-in-gup',
    change: 'a long-term write pin of a file mapping whose dirtying the filesystem tracks is refused by GUP (EFAULT, before any fault); io_uring no longer refuses file-backed buffers itself, so a private file mapping may be registered (its pages are COW copies)',
    file: 'mm/gup.c, io_uring/rsrc.c', fn: 'check_vma_flags, writable_file_mapping_allowed, io_pin_pages',
    since: '6.5',
    commit: { subject: 'mm/gup: disallow FOLL_LONGTERM GUP-nonfast writing to file-backed mappings; io_uring: rsrc: delegate VMA file-backed check to GUP' },
    backports: [],
    note: 'before: io_pin_pages() pins first (faulting every page for a write) and then refuses any VMA with a file that is not shmem or hugetlbfs with EOPNOTSUPP, unpinning again',
  },
  {
    id: 'madvise-populate-stops-at-hole',
    change: 'MADV_POPULATE_READ/WRITE over a range with a hole stops at the hole with ENOMEM (madvise_populate() over the whole range); before, madvise_walk_vmas() called it per VMA: the hole was skipped, the VMAs after it populated, and ENOMEM returned at the end',
    file: 'mm/madvise.c', fn: 'madvise_populate, madvise_walk_vmas',
    since: '6.10',
    commit: { subject: 'mm/madvise: make MADV_POPULATE_(READ|WRITE) handle VM_FAULT_RETRY properly' },
    backports: [],
    note: 'measured on the oracle: madv_populate.c test_holes on 6.1.192 populates the pages after the hole, on 6.12.118 not; both return ENOMEM',
  },
  {
    id: 'shmem-mthp',
    change: 'shared anonymous memory allocates any size hugepages-<size>/shmem_enabled allows (shmem_allowable_huge_orders); before, PMD size only',
    file: 'mm/shmem.c', fn: 'shmem_allowable_huge_orders',
    since: '6.11',
    commit: { subject: 'mm: shmem: add multi-size THP sysfs interface for anonymous shmem' },
    backports: [],
    note: 'before: `sysctl thp shmem SIZE` is an error diagnostic',
  },
  {
    id: 'finish-fault-large-folio',
    change: 'finish_fault maps every page of a large folio that fits the VMA and the PTE table (only none PTEs), not just the faulting page',
    file: 'mm/memory.c', fn: 'finish_fault',
    since: '6.11',
    commit: { subject: 'mm: memory: extend finish_fault() to support large folio' },
    backports: [],
  },
  {
    id: 'cow-no-reuse-large-folio',
    change: 'a write (or unshare) fault on a page of a PTE-mapped large anon folio that is not marked exclusive never reuses it; before, the page was reused when the folio\'s only reference was this mapping (the last page of it still mapped)',
    file: 'mm/memory.c', fn: 'wp_can_reuse_anon_folio (inline in do_wp_page before 6.8)',
    since: '6.9', until: '6.15',
    commit: { id: 'cd197c3a2040', subject: 'mm: prohibit the last subpage from reusing the entire large folio' },
    backports: [],
    note: 'replaced in 6.15 by cow-reuse-pte-mapped-thp',
  },
  {
    id: 'cow-reuse-pte-mapped-thp',
    change: 'a write fault on a PTE-mapped large anon folio reuses the page when the folio is mapped by this mm only and has no other references; before, a large folio was always copied',
    file: 'mm/memory.c', fn: 'wp_can_reuse_anon_folio → __wp_can_reuse_large_anon_folio',
    since: '6.15',
    commit: { id: '1da190f4d0a6', subject: 'mm: Copy-on-Write (COW) reuse support for PTE-mapped THP' },
    backports: [],
    note: 'folio_large_mapcount() <= 1 still copies ("free up a large folio")',
  },
  {
    id: 'split-pmd-pte-dirty',
    change: 'splitting a dirty anon PMD gives dirty PTEs; before, only the folio became dirty (pte_mkdirty was left out for sparc64)',
    file: 'mm/huge_memory.c', fn: '__split_huge_pmd_locked',
    since: '6.2',
    commit: { subject: 'mm/thp: re-apply mkdirty for small pages after split' },
    backports: [],
    note: 'measured on the oracle: 6.1.192 leaves the 512 PTEs clean, 6.12.118 dirty (a folio split freezes the PMD into migration entries, which keep dirty at every release)',
  },
  {
    id: 'swapin-large-folio',
    change: 'a swap-in fault on a SWP_SYNCHRONOUS_IO device (zram) that skips the swap cache reads a large folio (alloc_swap_folio: the highest enabled order below the PMD order whose aligned range holds contiguous swap entries with the same bits and zeromap state, none in the swap cache) and maps all its PTEs; before, one order-0 page',
    file: 'mm/memory.c', fn: 'do_swap_page → alloc_swap_folio',
    since: '6.12',
    commit: { subject: 'mm: support large folios swap-in for sync io devices' },
    backports: [],
    note: '6.11.11 source has no alloc_swap_folio, 6.12.0 has it; zswap never enabled (Debian: CONFIG_ZSWAP_DEFAULT_ON not set), else order 0. A PMD-size THP swapped out whole comes back as order-0 pages at every release',
  },
  {
    id: 'move-pages-folio-walk',
    change: 'move_pages() finds the folio with folio_walk_start(FW_ZEROPAGE) instead of follow_page(FOLL_GET | FOLL_DUMP): nothing mapped in an anonymous VMA is ENOENT (was EFAULT from no_page_table())',
    file: 'mm/migrate.c', fn: 'add_page_for_migration → add_folio_for_migration (do_pages_move)',
    since: '6.12',
    commit: { subject: 'mm/migrate: convert add_page_for_migration() from follow_page() to folio_walk (id not established here: 6.11.11 reads follow_page(), 6.12 folio_walk_start())' },
    backports: [],
    note: 'the zero page stays EFAULT (FOLL_DUMP before, is_zero_folio() after); a swap entry stays ENOENT',
  },
  {
    id: 'split-remap-zeropage',
    change: 'splitting an anon folio maps each subpage that holds only zeroes to the shared zero page (special PTE, soft-dirty kept) instead of remapping it, and frees it',
    file: 'mm/migrate.c', fn: 'remove_migration_pte → try_to_map_unused_to_zeropage (remap_page(RMP_USE_SHARED_ZEROPAGE) from __split_huge_page)',
    since: '6.12',
    commit: { id: 'b1f202060afe', subject: 'mm: remap unused subpages to shared zeropage when splitting isolated thp' },
    backports: [],
    note: 'measured on the oracle: 6.12.118 maps the never-written subpages of a split THP to the zero page in every process that mapped them; 6.1.192 remaps them all',
  },
  {
    id: 'collapse-file-retract-all',
    change: 'MADV_COLLAPSE of shmem: collapse_file() → retract_page_tables(mapping, pgoff) frees the emptied PTE table of every VMA in i_mmap (no anon_vma, PMD-aligned), so other processes refault the new THP by a PMD; the caller gets its PMD from collapse_pte_mapped_thp() (SCAN_PTE_MAPPED_HUGEPAGE), also where it had no PTE table under a present PMD level. Before: retract_page_tables() freed only the caller\'s table and set_huge_pmd() there (mmap_write_trylock); other processes kept their emptied tables (left to khugepaged), and a caller without a PTE table, or with an anon_vma, got EINVAL',
    file: 'mm/khugepaged.c', fn: 'retract_page_tables, collapse_file, collapse_pte_mapped_thp',
    since: '6.6',
    commit: { id: '1d65b771bc08', subject: 'mm/khugepaged: retract_page_tables() without mmap or vma lock' },
    backports: [],
    note: '6.1.166 (unifreq), 6.5, 6.8, 6.12.19 and Debian 6.12.118 sources read; no khugepaged change in the 6.1 changelog after 6.1.166',
  },
  {
    id: 'collapse-file-large-folios',
    change: 'collapse_file() copies large folios smaller than PMD size (shmem mTHP) into the new THP; before, any large folio other than a PMD-size one at the range start failed the range with SCAN_PAGE_COMPOUND',
    file: 'mm/khugepaged.c', fn: 'hpage_collapse_scan_file, collapse_file',
    since: '6.12',
    commit: { subject: 'not established here (6.11.11 source: folio_test_large() → SCAN_PAGE_COMPOUND; 6.12.19 and 6.12.118: index += folio_nr_pages())' },
    backports: [],
    note: 'only shared anonymous memory has such folios in the model (shmem mTHP, 6.11), so only 6.11 differs',
  },
  ...madviseColdSharingRows(),
  ];
}

/**
 * The sharing test of MADV_COLD / MADV_PAGEOUT for a large folio (madviseShared.ts), one
 * row per definition: each mainline release read in source (docs/kernel-findings.md §20:
 * 6.2.1, 6.3.8, 6.4.6, 6.5, 6.8, 6.9, 6.10, 6.11.11, 6.12, 6.13.7, 6.14 trees; Debian
 * 6.1.192). Before 6.3: page_mapcount(page) != 1. No row was backported to 6.1.y (the
 * 6.1.192 changelog has only MADV_FREE's sibling fix, 6.1.50; its madvise.c keeps
 * page_mapcount).
 */
function madviseColdSharingRows(): VersionRule[] {
  const file = 'mm/madvise.c, include/linux/mm.h', fn = 'madvise_cold_or_pageout_pte_range';
  return [
  {
    id: 'madv-cold-folio-mapcount',
    change: 'a large folio (PMD or PTE branch) is left alone unless folio_mapcount(folio) == 1 (all its mappings); before, page_mapcount() of the page the PMD/PTE maps — so a PTE-mapped THP with more than one page mapped is never split',
    file, fn, since: '6.3', until: '6.5',
    commit: { id: '07e8c82b5eff', subject: 'madvise: convert madvise_cold_or_pageout_pte_range() to use folios' },
    backports: [],
    note: '6.2.1 source: page_mapcount(page) != 1; 6.3.8 and 6.4.6: folio_mapcount(folio) != 1',
  },
  {
    id: 'madv-cold-estimated-sharers',
    change: 'the test is folio_estimated_sharers(folio) != 1: page_mapcount() of the folio\'s first page (its PTE mappings plus the PMD mappings)',
    file, fn, since: '6.5', until: '6.10',
    commit: { id: '2f406263e3e9', subject: 'madvise:madvise_cold_or_pageout_pte_range(): don\'t use mapcount() against large folio for sharing check' },
    backports: [],
    note: '6.5 and 6.8 sources; 6.4.6 still folio_mapcount. Not in the 6.1.192 changelog (only madvise_free_pte_range\'s sibling fix, 6.1.50)',
  },
  {
    id: 'madv-cold-pte-sharers-gt1',
    change: 'the PTE branch tests folio_estimated_sharers(folio) > 1: a PTE-mapped folio whose first page no one maps is split; the PMD branch keeps != 1',
    file, fn, since: '6.9', until: '6.10',
    commit: { subject: 'madvise:madvise_cold_or_pageout_pte_range(): allow split while folio_estimated_sharers = 0 (Barry Song, Fixes 2f406263e3e9)' },
    backports: [],
    note: '6.8 source: != 1 in both branches; 6.9 source: > 1 in the PTE branch',
  },
  {
    id: 'likely-mapped-shared',
    change: 'the test (MADV_COLD/PAGEOUT and MADV_FREE, PMD and PTE branches) is folio_likely_mapped_shared(folio): one mapping is exclusive; a PMD mapping with any other, or more mappings than pages, is shared; else the first page\'s own PTE mappings > 1',
    file, fn: `${fn}, madvise_free_pte_range, madvise_free_huge_pmd`, since: '6.10', until: '6.15',
    commit: { id: '6af8cb80d3a9', subject: 'mm/rmap: improve folio_likely_mapped_shared() using the mapcount of large folios (with "mm: convert folio_estimated_sharers() to folio_likely_mapped_shared()")' },
    backports: [],
    note: '6.9 source: folio_estimated_sharers; 6.10, 6.11.11, 6.12, 6.13.7, 6.14 sources: this definition. The rename\'s own definition (page_mapcount(first page) > 1) is in no mainline release',
  },
  {
    id: 'remove-migration-pte-soft-dirty',
    change: 'remove_migration_pte() gives the PTE exactly the migration entry\'s soft-dirty bit (`else pte = pte_clear_soft_dirty(pte)` after pte_mkdirty()); before, x86\'s pte_mkdirty() of a dirty entry of a dirty folio set soft-dirty again after clear_refs. The PMD (remove_migration_pmd: pmd_mkdirty) is unchanged',
    file: 'mm/migrate.c', fn: 'remove_migration_pte (migrate_pages, and a split\'s remap_page)',
    since: '6.9',
    commit: { subject: 'not established here (6.8 and 6.9.0 sources read: 6.8 has no else, 6.9.0 has it)' },
    backports: [],
    note: 'measured on the oracle: after clear_refs, a dirty page migrated, or a dirty THP split, is soft-dirty on 6.1.192 and not on 6.12.118',
  },
  {
    id: 'madv-cold-avoid-split',
    change: 'the PTE walk batches a large folio\'s PTEs: a shared folio (or a failed split) is skipped and the walk goes on; before, it ended the walk of that PTE table. A folio the range covers whole is tested with folio_mapcount != folio_nr_pages and not split',
    file: 'mm/madvise.c', fn,
    since: '6.10',
    commit: { subject: 'mm: madvise: avoid split during MADV_PAGEOUT and MADV_COLD (Ryan Roberts)' },
    backports: [],
    note: '6.9 source: break; 6.10 source: madvise_folio_pte_batch() and continue. Measured: MADV_COLD over a PTE-mapped THP its VMA covers whole keeps it large on 6.12.118, splits it on 6.1.192 (MADV_PAGEOUT\'s reclaim splits it anyway: add_to_swap() fails for a large folio)',
  },
  {
    id: 'maybe-mapped-shared',
    change: 'the test (MADV_COLD/PAGEOUT and MADV_FREE) is folio_maybe_mapped_shared(folio): shared when more than one mm maps the folio (MM-owner tracking, CONFIG_MM_ID); one mapping is exclusive',
    file, fn: `${fn}, madvise_free_pte_range, madvise_free_huge_pmd`, since: '6.15',
    commit: { subject: 'mm: convert folio_likely_mapped_shared() to folio_maybe_mapped_shared() (series "mm: MM owner tracking for large folios (!hugetlb) + CONFIG_NO_MAPCOUNT", with 1da190f4d0a6)' },
    backports: [],
    note: '6.14 source: folio_likely_mapped_shared; a later tree (stored mm/madvise.c) tests folio_maybe_mapped_shared in both branches. The 6.15 boundary is the series\' (v3 posted 3 Mar 2025 into mm-unstable ahead of the 6.15 merge window, per its thread), as for cow-reuse-pte-mapped-thp: no 6.15 tree was read',
  },
  {
    id: 'madv-free-pte-estimated-sharers',
    change: 'MADV_FREE\'s PTE walk leaves a large folio alone when folio_estimated_sharers(folio) != 1 (the first page\'s page_mapcount); before, folio_mapcount(folio) != 1 (every mapping: a PTE-mapped THP with two pages mapped is never split)',
    file: 'mm/madvise.c', fn: 'madvise_free_pte_range',
    since: '6.5', until: '6.10',
    commit: { subject: 'madvise:madvise_free_pte_range(): don\'t use mapcount() against large folio for sharing check (Yin Fengwei, the sibling of 2f406263e3e9)' },
    backports: [{ series: '6.1', release: '6.1.50' }],
    note: '6.1-rc7 and 6.2.1-6.4.6 sources: folio_mapcount; 6.5-6.9: folio_estimated_sharers; Debian 6.1.192\'s source and changelog (ChangeLog-6.1.50) have the backport',
  },
  {
    id: 'madv-free-pmd-estimated-sharers',
    change: 'madvise_free_huge_pmd leaves a PMD-mapped THP alone when folio_estimated_sharers(folio) != 1; before, total_mapcount()/folio_mapcount() != 1 (any other mapping)',
    file: 'mm/huge_memory.c', fn: 'madvise_free_huge_pmd',
    since: '6.5', until: '6.10',
    commit: { subject: 'madvise:madvise_free_huge_pmd(): don\'t use mapcount() against large folio for sharing check (Yin Fengwei)' },
    backports: [],
    note: 'Debian 6.1.192 and 6.2.1: total_mapcount(page) != 1; 6.3.8, 6.4.6: folio_mapcount; 6.5-6.9: folio_estimated_sharers; 6.10+: folio_likely_mapped_shared',
  },
  {
    id: 'madv-free-batch',
    change: 'MADV_FREE\'s PTE walk batches a large folio\'s PTEs: a folio the batch covers whole is marked lazyfree whole (its dirty bit cleared only when folio_mapcount == folio_nr_pages), with no sharing test; one it does not cover is split unless shared, and a shared one is skipped (the walk goes on); before, the first test ended the PTE table\'s walk',
    file: 'mm/madvise.c', fn: 'madvise_free_pte_range',
    since: '6.10',
    commit: { subject: 'mm/madvise: optimize lazyfreeing with mTHP in madvise_free (Lance Yang)' },
    backports: [],
    note: '6.9 source: split or break; 6.10, 6.11.11, 6.12, 6.14 sources: madvise_folio_pte_batch()',
  },
  {
    id: 'swapout-mthp',
    change: 'add_to_swap of a large folio of any order gets 2^order contiguous, naturally aligned slots (the per-CPU cluster of that order, else a free cluster) on a SWP_BLKDEV device with clusters; before, only a PMD-size folio, which gets a whole free cluster (swap_alloc_cluster), and any other size fails',
    file: 'mm/swapfile.c', fn: 'get_swap_pages → scan_swap_map_slots → scan_swap_map_try_ssd_cluster (6.1–6.9: swap_alloc_cluster)',
    since: '6.10',
    commit: { subject: 'mm: swap: allow storage of all mTHP orders' },
    backports: [],
    note: '6.1, 6.8, 6.9, 6.10, 6.12 sources read (6.9: "if (size == SWAPFILE_CLUSTER) { if (si->flags & SWP_BLKDEV) swap_alloc_cluster }"; 6.10: "if (!(si->flags & SWP_BLKDEV) || !si->cluster_info) return 0" for order > 0). The engine: the zram (`sync`) device has clusters, the swap file does not; the cluster chosen is the lowest free one (slot numbers are not compared with the kernel)',
  },
  {
    id: 'shrink-split-partially-mapped',
    change: 'shrink_folio_list splits a large anon folio before add_to_swap only when it is partially mapped (on the deferred split list); before, every large folio without a PMD mapping (folio_entire_mapcount 0) was split first, so only a PMD-mapped THP could be swapped out whole',
    file: 'mm/vmscan.c', fn: 'shrink_folio_list',
    since: '6.10',
    commit: { subject: 'mm: vmscan: avoid split during shrink_folio_list()' },
    backports: [],
    note: '6.9 and 6.10 sources read; 6.12 adds folio_test_partially_mapped() because fully mapped THPs join the deferred list too (the model queues only partially mapped ones, so one test serves both)',
  },
  ];
}

function mergeBySince(base: VersionRule[], more: () => VersionRule[]): VersionRule[] {
  const key = (r: VersionRule): number => { const [a, b] = r.since.split('.').map(Number); return a * 1000 + b; };
  return [...base, ...more()].map((r, i) => ({ r, i })).sort((x, y) => key(x.r) - key(y.r) || x.i - y.i).map((x) => x.r);
}

/** The oldest release the engine models. */
export const OLDEST_MODELLED = '6.1';
/** The release a scenario without a `kernel` statement runs as. */
export const DEFAULT_KERNEL = '6.15';

/**
 * The stable series whose changelog was checked for every row, up to which release (the
 * changelogs of Debian's linux 6.1.192-3 and linux-6.12 6.12.118-1~deb12u1). Outside them
 * a stable release runs as its mainline release plus the backports listed, and backports
 * the table does not know may be missing.
 */
export const CHECKED_STABLE: readonly { series: string; upTo: string }[] = [
  { series: '6.1', upTo: '6.1.192' },
  { series: '6.12', upTo: '6.12.118' },
];

/** Was every backport up to release `r` looked for (mainline releases always are)? */
export function backportsChecked(r: KernelRelease): boolean {
  if (r.patch === 0) return true;
  const c = CHECKED_STABLE.find((s) => s.series === seriesOf(r));
  return !!c && compareReleases(r, must(c.upTo)) <= 0;
}

/**
 * The exact releases the real-kernel oracle boots (Debian packages; the upstream release
 * is in the package version, e.g. 6.1.192-3, not in `uname -r`).
 */
export const ORACLE_RELEASES = ['6.1.192', '6.12.118'] as const;

// ---- releases ----------------------------------------------------------------------

/** `6.1` → 6.1.0; `6.1.192`; undefined for anything else (leading zeros included). */
export function parseRelease(text: string | undefined): KernelRelease | undefined {
  const m = /^(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/.exec(text ?? '');
  if (!m) return undefined;
  const r = { major: Number(m[1]), minor: Number(m[2]), patch: m[3] === undefined ? 0 : Number(m[3]) };
  return Number.isSafeInteger(r.major) && Number.isSafeInteger(r.minor) && Number.isSafeInteger(r.patch) ? r : undefined;
}

function must(text: string): KernelRelease {
  const r = parseRelease(text);
  if (!r) throw new Error(`versions.ts: bad release '${text}'`);
  return r;
}

export function compareReleases(a: KernelRelease, b: KernelRelease): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** `6.1` for 6.1.0, `6.1.192` otherwise. */
export function releaseText(r: KernelRelease): string {
  return r.patch ? `${r.major}.${r.minor}.${r.patch}` : `${r.major}.${r.minor}`;
}

export function seriesOf(r: KernelRelease): string { return `${r.major}.${r.minor}`; }

const RULES = new Map<RuleId, VersionRule>(VERSION_RULES.map((r) => [r.id, r]));

export function rule(id: RuleId): VersionRule { return RULES.get(id)!; }

/** Does release `r` have the rule: mainline since..until, or a stable backport in its series. */
export function hasRule(r: KernelRelease, id: RuleId): boolean {
  const row = RULES.get(id)!;
  const mainline = { major: r.major, minor: r.minor, patch: 0 };
  const inMainline = compareReleases(mainline, must(row.since)) >= 0 && (!row.until || compareReleases(mainline, must(row.until)) < 0);
  if (inMainline) return true;
  const series = seriesOf(r);
  return row.backports.some((b) => b.series === series && compareReleases(r, must(b.release)) >= 0);
}

/** The rules whose answer at `r` differs from the answer at `base`. */
export function rulesDiffering(r: KernelRelease, base: KernelRelease): VersionRule[] {
  return VERSION_RULES.filter((row) => hasRule(r, row.id) !== hasRule(base, row.id));
}

/**
 * The versions the editor offers (completion, the inspector's compare list): every release
 * where a rule changes (mainline `since`/`until`, each backport's first stable release), the
 * oldest modelled, the default and the oracle's releases, in release order.
 */
export function offeredVersions(): string[] {
  const set = new Map<string, KernelRelease>();
  const add = (t: string): void => { const r = must(t); set.set(releaseText(r), r); };
  add(OLDEST_MODELLED);
  add(DEFAULT_KERNEL);
  for (const t of ORACLE_RELEASES) add(t);
  for (const row of VERSION_RULES) {
    add(row.since);
    if (row.until) add(row.until);
    for (const b of row.backports) add(b.release);
  }
  return [...set.values()].sort(compareReleases).map(releaseText);
}

/**
 * One line per rule where release `r` differs from `base` (the default): what `r` does, and
 * where the rule came from; for a kernel-line hover.
 */
export function differencesFrom(r: KernelRelease, base: KernelRelease): string[] {
  return rulesDiffering(r, base).map((row) => {
    const on = hasRule(r, row.id);
    const bp = row.backports.find((b) => b.series === seriesOf(r) && compareReleases(r, must(b.release)) >= 0);
    const from = bp ? `backported to ${bp.release}` : `mainline ${row.since}`;
    return `${on ? 'has' : 'lacks'} \`${row.id}\` (${from}${row.commit.id ? `, ${row.commit.id}` : ''}): ${row.change}`;
  });
}

/** What changes at release `text` (for completion): the rules whose mainline or backport starts there. */
export function changesAt(text: string): string {
  const r = must(text);
  const ids = VERSION_RULES.filter((row) => (r.patch === 0 && row.since === releaseText(r)) || row.backports.some((b) => b.release === text)).map((row) => row.id);
  const kind = r.patch === 0 ? 'mainline' : 'stable';
  const oracle = (ORACLE_RELEASES as readonly string[]).includes(text) ? '; the real-kernel oracle boots it' : '';
  const dflt = text === DEFAULT_KERNEL ? '; the default' : '';
  return `${kind}${ids.length ? `: ${ids.join(', ')}` : ''}${oracle}${dflt}`;
}
