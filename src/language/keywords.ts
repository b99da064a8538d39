// The vocabulary of the .mms language (v1): one source of truth for the lexer, parser,
// checker, completion and hover. See ../shared/spec/scenario-language.md and
// docs/language.md.

export interface KeywordDoc {
  /** the word as written in a scenario */
  keyword: string;
  /** one-line syntax, in the spec's notation */
  syntax: string;
  /** one-line description (markdown allowed) */
  doc: string;
}

/** Statement keywords, in the order of the spec. */
export const STATEMENTS: readonly KeywordDoc[] = [
  { keyword: 'kernel', syntax: 'kernel MAJOR.MINOR[.PATCH]', doc: 'The kernel release the scenario models: `6.15` is mainline 6.15.0, `6.1.192` that stable release (mainline 6.1 plus the stable backports of modelled rules, docs/kernel-findings.md §14). Default 6.15. At most once, before any other statement.' },
  { keyword: 'sysctl', syntax: 'sysctl fault_around_bytes N | sysctl swap pages N [sync] | sysctl thp enabled|anon SIZE|shmem SIZE|shmem_enabled|use_zero_page VALUE', doc: 'Set the fault-around window (debugfs `fault_around_bytes`; 4096 turns fault-around off), `swapon` a swap device of N pages on a disk (`sync`: a synchronous device such as zram; from that line on), or a transparent-hugepage knob (/sys/kernel/mm/transparent_hugepage: `enabled`, `hugepages-SIZE/enabled` (6.8+), `hugepages-SIZE/shmem_enabled` (6.11+), `shmem_enabled`, `use_zero_page`). Applies to later faults.' },
  { keyword: 'file', syntax: 'file NAME pages N [cold] [folio SIZE]', doc: 'A regular ext4 file with writeback; all pages cached and clean, or none cached with `cold`; `folio SIZE`: the page cache holds folios of SIZE (naturally aligned, smaller at the end of the file).' },
  { keyword: 'shmem', syntax: 'shmem NAME pages N [huge always|within_size|advise|never]', doc: 'A tmpfs/memfd file: page cache, no writeback, no write-notify; pages exist once faulted or written. `huge`: the mount\'s huge= option (PMD-size folios; default never).' },
  { keyword: 'fbdev', syntax: 'fbdev NAME pages N [backing vmalloc|contig|carveout] [delay D] [sorted]', doc: 'A framebuffer with deferred I/O (fb_defio); default backing `vmalloc`, default delay `50ms`.' },
  { keyword: 'pfnmap', syntax: 'pfnmap NAME pages N', doc: 'A device mapped with `vmf_insert_pfn` (VM_PFNMAP, special PTEs, no struct page). A private mapping fails with EINVAL.' },
  { keyword: 'process', syntax: 'process NAME', doc: 'A new process with an empty address space.' },
  { keyword: 'fork', syntax: 'fork PARENT as CHILD', doc: 'fork(2): `dup_mmap`/`copy_page_range`; the child inherits the parent\'s mappings and their labels.' },
  { keyword: 'exit', syntax: 'exit NAME', doc: 'The process unmaps everything and ends; it cannot be used afterwards.' },
  { keyword: 'mmap', syntax: 'mmap PROC OBJ|anon at ADDR pages N [offset K] shared|private r|rw|w|none [as LABEL]', doc: 'mmap(2) with MAP_FIXED_NOREPLACE semantics at a page-aligned address; LABEL names the mapping inside PROC.' },
  { keyword: 'munmap', syntax: 'munmap PROC LABEL | LABEL[I..J] | ADDR pages N', doc: 'munmap(2); partial unmaps split VMAs.' },
  { keyword: 'mprotect', syntax: 'mprotect PROC LABEL | LABEL[I..J] | ADDR pages N r|rw|w|none', doc: 'mprotect(2), splitting VMAs as needed.' },
  { keyword: 'madvise', syntax: 'madvise PROC LABEL | LABEL[I..J] | ADDR pages N dontneed|free|cold|pageout|willneed|populate_read|populate_write|hugepage|nohugepage|collapse|dontfork|dofork', doc: 'madvise(2) as `mm/madvise.c` does it at that version; `pageout` reclaims what it isolates (`shrink_folio_list`: `folio_referenced`, `try_to_unmap`, swap-out); `hugepage`/`nohugepage` set VM_HUGEPAGE/VM_NOHUGEPAGE on the range (splitting VMAs and merging them with neighbours that then match); `collapse` (MADV_COLLAPSE) collapses each 2 MiB range of anonymous or shmem memory into a PMD-mapped THP (`collapse_huge_page`, `collapse_file`; regular files fail with EINVAL: no CONFIG_READ_ONLY_THP_FOR_FS); `dontfork`/`dofork` set/clear VM_DONTCOPY, which fork skips. A refusal is an error diagnostic naming the errno.' },
  { keyword: 'migrate', syntax: 'migrate OBJ[I] | migrate PROC LABEL[I]', doc: '`migrate_pages()` (MIGRATE_SYNC) of that folio to a new one: `try_to_migrate`, copy, `remove_migration_ptes`; result 0 or the errno.' },
  { keyword: 'read', syntax: 'read PROC LABEL[I] | LABEL[I..J] | ADDR', doc: 'A CPU read by PROC, one page at a time; faults as the kernel does.' },
  { keyword: 'write', syntax: 'write PROC LABEL[I] | LABEL[I..J] | ADDR', doc: 'A CPU write by PROC, one page at a time; faults as the kernel does.' },
  { keyword: 'mkclean', syntax: 'mkclean OBJ[I]', doc: '`folio_mkclean()` on the folio at page-cache index I (folio locked around it).' },
  { keyword: 'wrprotect', syntax: 'wrprotect OBJ[I..J]', doc: '`mapping_wrprotect_range(mapping, I, pfn of page I, J-I+1)`; Linux 6.15 and later only.' },
  { keyword: 'pfn_mkclean', syntax: 'pfn_mkclean OBJ[I..J] PROC LABEL', doc: '`pfn_mkclean_range()` on the single VMA PROC:LABEL (the fs/dax primitive); not an rmap walk.' },
  { keyword: 'writeback', syntax: 'writeback OBJ [[I..J]]', doc: 'Write back dirty folios as fsync does (`folio_clear_dirty_for_io()` then writeback); result = folios written.' },
  { keyword: 'msync', syntax: 'msync PROC LABEL', doc: 'msync(MS_SYNC) over the mapping: writeback for a file, `fb_deferred_io_fsync` for an fbdev.' },
  { keyword: 'unmap_range', syntax: 'unmap_range OBJ[I..J]', doc: '`unmap_mapping_range()` without even_cows; result = PTEs zapped.' },
  { keyword: 'flush', syntax: 'flush OBJ', doc: 'Run the fbdev\'s deferred work now.' },
  { keyword: 'clear_refs', syntax: 'clear_refs PROC softdirty', doc: 'Write 4 to /proc/PID/clear_refs: clear VM_SOFTDIRTY, write-protect every PTE and clear its soft-dirty bit.' },
  { keyword: 'mremap', syntax: 'mremap PROC LABEL | LABEL[I..J] | ADDR pages N  (to ADDR [pages N] | pages N)', doc: 'mremap(2) (v2): `to ADDR` moves with MREMAP_MAYMOVE|MREMAP_FIXED (`move_vma`: `copy_vma`, `move_page_tables`, the old range unmapped), `pages N` alone grows or shrinks in place (growing fails with ENOMEM where the next range is taken). The label moves with its pages.' },
  { keyword: 'wait', syntax: 'wait D', doc: 'Advance simulated time by D (`50ms`, `1s`); due deferred work runs in order.' },
  { keyword: 'split', syntax: 'split OBJ[I] | split PROC LABEL[I]', doc: '`split_folio()` on the large folio that holds the page: order-0 folios after it; refused with EBUSY for the huge zero page or a folio under writeback.' },
  { keyword: 'vmsplice', syntax: 'vmsplice PROC LABEL | LABEL[I..J] | ADDR pages N as PIPE', doc: 'vmsplice(2) of the range into a new pipe PIPE (language extension): `iter_to_pipe` takes a reference to each page as a read GUP does (faulting in what is not mapped) until the pipe\'s 16 buffers are full (a longer range has its next 16 pages faulted in and put again); result = the bytes spliced; EFAULT when not even the first page could be had (VM_IO/VM_PFNMAP, no VM_READ, a hole). PROC holds the pipe, a child forked later holds it too; its references go when the last holder exits.' },
  { keyword: 'pin', syntax: 'pin PROC LABEL | LABEL[I..J] | ADDR pages N as BUF [readonly [fast]]', doc: 'Register the range as io_uring fixed buffer BUF (language extension): `io_pin_pages` takes a long-term R/W pin of every page (`pin_user_pages(FOLL_WRITE | FOLL_LONGTERM)`), faulting each for a write first (COW broken, the zero page replaced), so the pinned pages are the ones PROC writes to. A later fork gives the child a copy of a pinned exclusive anonymous page at once (`copy_present_page`). All or nothing: EFAULT when a page cannot be pinned (no VM_WRITE, VM_IO/VM_PFNMAP, a hole; from 6.5 a shared file mapping the filesystem tracks), EOPNOTSUPP before 6.5 for any file mapping but shmem. PROC holds the ring, a child forked later holds it too; the pins go when the last holder exits. `readonly`: a long-term R/O pin instead (`pin_user_pages(FOLL_LONGTERM)`, as the kernel\'s gup_test takes it; `fast`: `pin_user_pages_fast`): a read-only page that is not exclusively PROC\'s anonymous page is unshared first (`gup_must_unshare` → FAULT_FLAG_UNSHARE: made exclusive, or copied and mapped read-only), the shared zero page and page-cache pages of private writable mappings only from 6.2. EFAULT for a hole, VM_IO/VM_PFNMAP or no VM_READ.' },
  { keyword: 'expect', syntax: 'expect pte|folio|result|walk|faults|signal|defio|oops|vma|vmas|i_mmap|error|pipe|pin ...', doc: 'An expectation, checked at its place in the scenario.' },
];

/** The word after `expect`, in the order of the spec. */
export const EXPECTATIONS: readonly KeywordDoc[] = [
  { keyword: 'pte', syntax: 'expect pte PROC PAGES FLAG...', doc: 'The PTE of every page in PAGES has the flags (`!` negates).' },
  { keyword: 'folio', syntax: 'expect folio OBJ[I] FLAG... | expect folio PROC LABEL[I] FLAG...', doc: 'The folio (struct page) at index I of OBJ, or the one mapped at that page of PROC (or whose swap slot its PTE holds), has the flags (`!` negates).' },
  { keyword: 'result', syntax: 'expect result N', doc: 'The value returned by the last kernel operation (mkclean, wrprotect, pfn_mkclean, writeback, msync, unmap_range).' },
  { keyword: 'walk', syntax: 'expect walk [API] PROC:LABEL, ~PROC:LABEL, ... | none', doc: 'The VMAs the last rmap walk reached (v2: the last walk of API, e.g. `folio_mkclean`), in order; `~` marks one skipped by `invalid_vma`; a VMA is named by the label of its lowest page (`PROC:LABEL[I]`: the one whose first page is LABEL[I]).' },
  { keyword: 'faults', syntax: 'expect faults PROC N [major M]', doc: 'Page faults PROC has taken since it started, as getrusage counts them; `major M`: M of them major.' },
  { keyword: 'signal', syntax: 'expect signal PROC SIGSEGV|SIGBUS|none', doc: 'What PROC\'s last access raised.' },
  { keyword: 'defio', syntax: 'expect defio OBJ pending N | written I, J, ...', doc: 'Pages on the fbdev\'s deferred-I/O list, or the indexes handed to `deferred_io` by the last run.' },
  { keyword: 'oops', syntax: 'expect oops', doc: 'The last statement made the kernel oops or hit a BUG.' },
  { keyword: 'vma', syntax: 'expect vma PROC PAGES FLAG...', doc: 'The VMA that holds the page (v2): `start ADDR`, `end ADDR`, `pages N`, `pgoff K`, `shared`, `private`, `read`, `write`, `none`, `softdirty`, `anon_vma`; `!` negates.' },
  { keyword: 'vmas', syntax: 'expect vmas PROC N', doc: 'PROC has N VMAs (v2).' },
  { keyword: 'i_mmap', syntax: 'expect i_mmap OBJ PROC:LABEL, ... | none', doc: 'The object\'s i_mmap interval tree in in-order walk order, every VMA listed (v2); two VMAs of one label are written `PROC:LABEL[I]`, I the first page each holds.' },
  { keyword: 'error', syntax: 'expect error ERRNO', doc: 'The statement before it was refused with ERRNO (v2): the refusal is expected, so the file does not exit 2 for it.' },
  { keyword: 'pipe', syntax: 'expect pipe PIPE unchanged|changed', doc: 'Whether the data in the pipe is still what the pages held when they were spliced (`unchanged`), or a later write reached a page the pipe references (`changed`): what reading the pipe would show (cow.c\'s vmsplice tests).' },
  { keyword: 'pin', syntax: 'expect pin BUF unchanged|changed', doc: 'Whether the data in the pinned buffer is still what the pages held when they were pinned (`unchanged`), or a later write reached a pinned page (`changed`): what an io_uring write from the fixed buffer would store (cow.c\'s io_uring tests: a reliable R/W pin sees the process\'s writes).' },
];

export const STATEMENT_KEYWORDS: readonly string[] = STATEMENTS.map(s => s.keyword);
export const EXPECT_KEYWORDS: readonly string[] = EXPECTATIONS.map(s => s.keyword);

export const PTE_FLAGS = ['none', 'present', 'write', 'dirty', 'young', 'softdirty', 'special', 'huge', 'maps', 'pfn', 'swap', 'migration', 'same'] as const;
export const PTE_FLAG_DOCS: Readonly<Record<(typeof PTE_FLAGS)[number], string>> = {
  none: 'no PTE at all (`pte_none`)',
  present: '`pte_present`',
  write: 'writable (`pte_write`)',
  dirty: 'hardware dirty bit (`pte_dirty`)',
  young: 'accessed bit (`pte_young`)',
  softdirty: 'soft-dirty bit (`pte_soft_dirty`)',
  special: 'special PTE (`pte_special`: no struct page to refcount, e.g. the zero page or VM_PFNMAP)',
  huge: 'mapped by a PMD leaf (`pmd_trans_huge`); the other flags then describe that PMD entry',
  maps: '`maps OBJ[I]`, `maps anon` or `maps zero`: what the PTE points at',
  pfn: '`pfn N`: the PTE\'s page frame number',
  swap: 'the PTE holds a swap entry (the page was swapped out)',
  migration: 'the PTE holds a migration entry',
  same: '`same OBJ[J]` or `same PROC LABEL[J]`: maps the same PFN as that page',
};

export const FOLIO_FLAGS = ['dirty', 'writeback', 'cached', 'mapcount', 'mapping', 'index', 'large', 'order', 'folio_mapcount', 'swapcache'] as const;
export const FOLIO_FLAG_DOCS: Readonly<Record<(typeof FOLIO_FLAGS)[number], string>> = {
  dirty: 'PG_dirty',
  writeback: 'PG_writeback',
  cached: 'in the object\'s page cache',
  mapcount: '`mapcount N`: the page\'s map count as /proc/kpagecount reports it (its PTE mappings plus the folio\'s PMD mappings)',
  mapping: '`mapping OBJ` or `mapping none`: the struct page\'s own `mapping` field',
  index: '`index N`: the struct page\'s own `index` field',
  large: 'a large folio (`folio_test_large`: order above 0)',
  order: '`order N`: `folio_order()` (0 for a single page, 4 for 64K, 9 for 2M)',
  folio_mapcount: '`folio_mapcount N`: every PTE and PMD mapping of the folio (`folio_mapcount()`)',
  swapcache: 'PG_swapcache: in the swap cache',
};

/** The madvise advices of language v2: reclaim and population (issue 16b), the large-folio ones (issue 15), then fork's (cow.c's partially shared THP, issue 18). */
export const MADVISE_ADVICES = ['dontneed', 'free', 'cold', 'pageout', 'willneed', 'populate_read', 'populate_write', 'hugepage', 'nohugepage', 'collapse', 'dontfork', 'dofork'] as const;
export const MADVISE_ADVICE_DOCS: Readonly<Record<(typeof MADVISE_ADVICES)[number], string>> = {
  dontneed: 'MADV_DONTNEED: zap the range (`zap_page_range_single`); anonymous pages are gone, file pages refault',
  free: 'MADV_FREE: anonymous folios become lazyfree (`madvise_free_pte_range`); reclaim discards them unless written again',
  cold: 'MADV_COLD: deactivate folios mapped only here (`madvise_cold_or_pageout_pte_range`)',
  pageout: 'MADV_PAGEOUT: reclaim folios mapped only here now (`reclaim_pages` → `shrink_folio_list`)',
  willneed: 'MADV_WILLNEED: read ahead (file) or read swapped-out pages into the swap cache (anonymous)',
  populate_read: 'MADV_POPULATE_READ: fault the range in readable (as get_user_pages)',
  populate_write: 'MADV_POPULATE_WRITE: fault the range in writable (as get_user_pages with FOLL_WRITE)',
  hugepage: 'MADV_HUGEPAGE: VM_HUGEPAGE on the range (`hugepage_madvise`; VMAs split and merge as after mprotect)',
  nohugepage: 'MADV_NOHUGEPAGE: VM_NOHUGEPAGE on the range (`hugepage_madvise`)',
  collapse: 'MADV_COLLAPSE: collapse each 2 MiB range of anonymous or shmem memory into a PMD-mapped THP (`madvise_collapse`: `collapse_huge_page`, `collapse_file` with `retract_page_tables`)',
  dontfork: 'MADV_DONTFORK: VM_DONTCOPY on the range (VMAs split and merge as after mprotect); a later fork does not copy it (`dup_mmap`)',
  dofork: 'MADV_DOFORK: clears VM_DONTCOPY; EINVAL on a VM_IO mapping (a device)',
};

export const VMA_FLAGS = ['start', 'end', 'pages', 'pgoff', 'shared', 'private', 'read', 'write', 'none', 'softdirty', 'anon_vma'] as const;
export const VMA_FLAG_DOCS: Readonly<Record<(typeof VMA_FLAGS)[number], string>> = {
  start: '`start ADDR`: vm_start', end: '`end ADDR`: vm_end', pages: '`pages N`: the VMA\'s size in pages', pgoff: '`pgoff K`: vm_pgoff',
  shared: 'VM_SHARED', private: 'not VM_SHARED', read: 'VM_READ', write: 'VM_WRITE', none: 'neither VM_READ nor VM_WRITE (PROT_NONE)',
  softdirty: 'VM_SOFTDIRTY', anon_vma: 'vma->anon_vma is set',
};
/** The errnos `expect error` names (those a modelled statement can return). */
export const ERRNOS = ['EINVAL', 'ENOMEM', 'EFAULT', 'EEXIST', 'EACCES', 'EBUSY', 'EAGAIN', 'EPERM', 'ENOENT', 'EIO', 'EHWPOISON', 'EOPNOTSUPP'] as const;
/** The rmap-walk APIs `expect walk API ...` names. */
export const WALK_APIS = [
  'folio_mkclean', 'mapping_wrprotect_range', 'pfn_mkclean_range', 'unmap_mapping_range', 'rmap_walk_anon',
  'try_to_unmap', 'try_to_migrate', 'remove_migration_ptes', 'folio_referenced', 'retract_page_tables',
] as const;

export const PROTS = ['r', 'rw', 'w', 'none'] as const;
/** `expect pipe PIPE STATE`, `expect pin BUF STATE` */
export const PIPE_STATES = ['unchanged', 'changed'] as const;
export const FB_BACKINGS = ['vmalloc', 'contig', 'carveout'] as const;
export const SIGNALS = ['SIGSEGV', 'SIGBUS', 'none'] as const;
/** Object names that are not objects: `anon` (anonymous memory) and `zero` (the zero page). */
export const RESERVED_OBJECT_NAMES = ['anon', 'zero'] as const;
export const SYSCTL_KNOBS = ['fault_around_bytes', 'swap', 'thp'] as const;
/** `sysctl thp KNOB`, and the values each takes (language v2). */
export const THP_KNOBS = ['enabled', 'anon', 'shmem', 'shmem_enabled', 'use_zero_page'] as const;
export const THP_KNOB_VALUES: Readonly<Record<(typeof THP_KNOBS)[number], readonly string[]>> = {
  enabled: ['always', 'madvise', 'never'],
  anon: ['always', 'madvise', 'inherit', 'never'],
  shmem: ['always', 'within_size', 'advise', 'inherit', 'never'],
  shmem_enabled: ['always', 'within_size', 'advise', 'never', 'deny', 'force'],
  use_zero_page: ['0', '1'],
};
export const TMPFS_HUGE = ['always', 'within_size', 'advise', 'never'] as const;
export const THP_MADVISE = ['hugepage', 'nohugepage', 'collapse'] as const;
export const CLEAR_REFS_MODES = ['softdirty'] as const;

/** Words that appear inside statements (clause words, options, expectation words, flags). */
export const CLAUSE_KEYWORDS: readonly string[] = [
  'as', 'at', 'pages', 'offset', 'shared', 'private', 'cold',
  'backing', 'delay', 'sorted', 'vmalloc', 'contig', 'carveout',
  'pte', 'folio', 'result', 'walk', 'faults', 'signal', 'defio', 'oops', 'pending', 'written',
  'none', 'present', 'dirty', 'young', 'softdirty', 'special', 'maps', 'pfn',
  'cached', 'mapcount', 'mapping', 'index',
];

/**
 * The reserved words: no process, object or label may be named with one of them.
 * The protections `r` and `rw` are recognised by position only and are NOT reserved
 * (the shared scenarios name a mapping `r`); `none` is reserved.
 */
export const KEYWORDS: ReadonlySet<string> = new Set<string>([...STATEMENT_KEYWORDS, ...CLAUSE_KEYWORDS]);

export function statementDoc(keyword: string): KeywordDoc | undefined {
  return STATEMENTS.find(s => s.keyword === keyword);
}

export function expectationDoc(keyword: string): KeywordDoc | undefined {
  return EXPECTATIONS.find(s => s.keyword === keyword);
}

/** Levenshtein distance, capped: used for "did you mean" hints on short words only. */
export function editDistance(a: string, b: string, cap = 3): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  if (a.length > 64 || b.length > 64) return cap + 1;
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (cur[j] < rowMin) rowMin = cur[j];
    }
    if (rowMin > cap) return cap + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length];
}

/** The closest candidate within a small edit distance, for "did you mean 'x'?" hints. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length < 2 || word.length > 64) return undefined;
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestD = word.length <= 4 ? 1 : 2;
  for (const c of candidates) {
    if (c === lower) return c;
    const d = editDistance(lower, c, bestD);
    if (d <= bestD && (best === undefined || d < bestD)) { best = c; bestD = d; }
  }
  return best;
}
