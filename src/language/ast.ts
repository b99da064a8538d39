// The syntax tree of a .mms scenario (language v1, ../shared/spec/scenario-language.md).
// Every node carries the exact source range it was parsed from. Positions are 0-based
// (line, character), like VS Code's; the CLI prints them 1-based.

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface Ident { name: string; range: Range }
/** An integer literal; `value` is exact (the lexer refuses anything beyond 2^53). */
export interface Num { value: number; range: Range; text: string }
export interface Duration { ms: number; range: Range }

export type Prot = 'r' | 'rw' | 'w' | 'none';

/**
 * A page spec: `X[I]`, `X[I..J]` (X an object name or a mapping label) or an absolute
 * address `0x...` (the page that contains it). `last` is absent for a single page.
 */
export type PageSpec =
  | { kind: 'named'; target: Ident; first: Num; last?: Num; range: Range }
  | { kind: 'addr'; addr: Num; range: Range };

/** munmap/mprotect target: a whole label, `LABEL[I..J]`, or `ADDR pages N`. */
export type MapSpec =
  | { kind: 'label'; label: Ident; first?: Num; last?: Num; range: Range }
  | { kind: 'addr'; addr: Num; pages: Num; range: Range };

interface Base { range: Range; /** range of the leading keyword(s) */ kwRange: Range }

/** `kernel 6.15` (mainline, patch 0) or `kernel 6.1.192` (that stable release). */
export interface KernelStmt extends Base { kind: 'kernel'; version: { major: number; minor: number; patch: number; text: string; range: Range } }
/** `sysctl fault_around_bytes N`, or `sysctl swap pages N [sync]` (value = N pages; `sync`: a SWP_SYNCHRONOUS_IO device) */
export interface SysctlStmt extends Base { kind: 'sysctl'; knob: Ident; value: Num; sync?: boolean }
/** A size written `16K`, `2M` (bytes). */
export interface Size { bytes: number; text: string; range: Range }
export interface FileStmt extends Base { kind: 'file'; name: Ident; pages: Num; cold: boolean; /** `folio SIZE` (v2) */ folio?: Size }
export type TmpfsHuge = 'always' | 'within_size' | 'advise' | 'never';
export interface ShmemStmt extends Base { kind: 'shmem'; name: Ident; pages: Num; /** `huge ...` (v2): the tmpfs mount's huge= */ huge?: TmpfsHuge; hugeRange?: Range }
/** `sysctl thp KNOB [SIZE] VALUE` (language v2): /sys/kernel/mm/transparent_hugepage. */
export type ThpKnob = 'enabled' | 'anon' | 'shmem' | 'shmem_enabled' | 'use_zero_page';
export interface SysctlThpStmt extends Base { kind: 'sysctl_thp'; knob: ThpKnob; knobRange: Range; size?: Size; value: string; valueRange: Range }
/** `split OBJ[I]` or `split PROC LABEL[I]` (v2): split_folio() on the folio holding that page. */
export interface SplitStmt extends Base { kind: 'split'; proc?: Ident; page: PageSpec }
export type FbBacking = 'vmalloc' | 'contig' | 'carveout';
export interface FbdevStmt extends Base {
  kind: 'fbdev'; name: Ident; pages: Num;
  backing: FbBacking; delay?: Duration; sorted: boolean;
}
export interface PfnmapStmt extends Base { kind: 'pfnmap'; name: Ident; pages: Num }
export interface ProcessStmt extends Base { kind: 'process'; name: Ident }
export interface ForkStmt extends Base { kind: 'fork'; parent: Ident; child: Ident }
export interface ExitStmt extends Base { kind: 'exit'; proc: Ident }
export interface MmapStmt extends Base {
  kind: 'mmap'; proc: Ident; obj: Ident; /** obj.name === 'anon' for anonymous memory */
  addr: Num; pages: Num; offset?: Num; shared: boolean; sharedRange: Range;
  prot: Prot; protRange: Range; label?: Ident;
}
export interface MunmapStmt extends Base { kind: 'munmap'; proc: Ident; spec: MapSpec }
export interface MprotectStmt extends Base { kind: 'mprotect'; proc: Ident; spec: MapSpec; prot: Prot; protRange: Range }
/** madvise(2) advice: reclaim and population (issue 16b) and the large-folio ones (issue 15). */
export type MadviseAdvice = 'dontneed' | 'free' | 'cold' | 'pageout' | 'willneed' | 'populate_read' | 'populate_write'
  | 'hugepage' | 'nohugepage' | 'collapse' | 'dontfork' | 'dofork';
export interface MadviseStmt extends Base { kind: 'madvise'; proc: Ident; spec: MapSpec; advice: MadviseAdvice; adviceRange: Range }
/** `migrate OBJ[I]` or `migrate PROC LABEL[I]` (proc set) */
export interface MigrateStmt extends Base { kind: 'migrate'; proc?: Ident; page: PageSpec }
export interface AccessStmt extends Base { kind: 'read' | 'write'; proc: Ident; pages: PageSpec }
export interface MkcleanStmt extends Base { kind: 'mkclean'; page: PageSpec }
export interface WrprotectStmt extends Base { kind: 'wrprotect'; pages: PageSpec }
export interface PfnMkcleanStmt extends Base { kind: 'pfn_mkclean'; pages: PageSpec; proc: Ident; label: Ident }
export interface WritebackStmt extends Base { kind: 'writeback'; obj: Ident; first?: Num; last?: Num }
export interface MsyncStmt extends Base { kind: 'msync'; proc: Ident; label: Ident }
export interface UnmapRangeStmt extends Base { kind: 'unmap_range'; pages: PageSpec }
export interface FlushStmt extends Base { kind: 'flush'; obj: Ident }
export interface ClearRefsStmt extends Base { kind: 'clear_refs'; proc: Ident; mode: Ident }
export interface WaitStmt extends Base { kind: 'wait'; duration: Duration }
/** v2: `mremap PROC SPEC to ADDR [pages N]` (MREMAP_MAYMOVE|MREMAP_FIXED) or `mremap PROC SPEC pages N` (in place). */
/** `vmsplice PROC SPEC as PIPE` (extension): a new pipe holding references to the pages */
export interface VmspliceStmt extends Base { kind: 'vmsplice'; proc: Ident; spec: MapSpec; pipe: Ident }
/** `pin PROC SPEC as BUF [readonly [fast]]` (extension): io_uring_register_buffers, a long-term
 *  R/W pin of the pages; `readonly`: a long-term R/O pin (gup_test's PIN_LONGTERM_TEST_START),
 *  `fast` through pin_user_pages_fast() */
export interface PinStmt extends Base { kind: 'pin'; proc: Ident; spec: MapSpec; buf: Ident; readonly?: Range; fast?: Range }
export interface MremapStmt extends Base { kind: 'mremap'; proc: Ident; spec: MapSpec; to?: Num; newPages?: Num }

export type PteFlagName = 'none' | 'present' | 'write' | 'dirty' | 'young' | 'softdirty' | 'special' | 'huge' | 'swap' | 'migration';
export type PteFlag =
  | { kind: PteFlagName; negated: boolean; range: Range }
  | { kind: 'maps'; negated: boolean; target: 'anon' | 'zero' | { obj: Ident; index: Num }; range: Range }
  | { kind: 'pfn'; negated: boolean; pfn: Num; range: Range }
  /** `same OBJ[J]` (the page-cache/device page) or `same PROC LABEL[J]` (what PROC maps there): the same PFN */
  | { kind: 'same'; negated: boolean; proc?: Ident; page: { target: Ident; index: Num }; range: Range };
export type FolioFlagName = 'dirty' | 'writeback' | 'cached' | 'large' | 'swapcache';
export type FolioFlag =
  | { kind: FolioFlagName; negated: boolean; range: Range }
  | { kind: 'mapcount' | 'order' | 'folio_mapcount'; negated: boolean; value: Num; range: Range }
  | { kind: 'mapping'; negated: boolean; obj: Ident | null /* `none` */; range: Range }
  | { kind: 'index'; negated: boolean; value: Num; range: Range };

/** `PROC:LABEL`, `~PROC:LABEL`, or `PROC:LABEL[I]` (the VMA of LABEL whose first page is I, v2). */
export interface WalkEntry { proc: Ident; label: Ident; index?: Num; skipped: boolean; range: Range }

/** v2 `expect vma` flags. */
export type VmaFlagName = 'shared' | 'private' | 'read' | 'write' | 'none' | 'softdirty' | 'anon_vma';
export type VmaFlag =
  | { kind: VmaFlagName; negated: boolean; range: Range }
  | { kind: 'start' | 'end' | 'pages' | 'pgoff'; negated: boolean; value: Num; range: Range };

export interface ExpectPte extends Base { kind: 'expect_pte'; proc: Ident; pages: PageSpec; flags: PteFlag[] }
/** `expect folio OBJ[I] ...`, or (v2) `expect folio PROC LABEL[I] ...` (proc set: the folio PROC maps there, or whose swap entry it holds) */
export interface ExpectFolio extends Base { kind: 'expect_folio'; proc?: Ident; page: PageSpec; flags: FolioFlag[] }
export interface ExpectResult extends Base { kind: 'expect_result'; value: Num }
/** `api`: v2 `expect walk API ...`, the last walk of that rmap-walk API. */
export interface ExpectWalk extends Base { kind: 'expect_walk'; api?: Ident; entries: WalkEntry[] /* empty = `none` */ }
export interface ExpectVma extends Base { kind: 'expect_vma'; proc: Ident; pages: PageSpec; flags: VmaFlag[] }
export interface ExpectVmas extends Base { kind: 'expect_vmas'; proc: Ident; value: Num }
/** `expect i_mmap OBJ PROC:LABEL, ...` (entries empty = `none`). */
export interface ExpectIMmap extends Base { kind: 'expect_i_mmap'; obj: Ident; entries: WalkEntry[] }
/** `expect error ERRNO`: the statement before it was refused with ERRNO. */
export interface ExpectError extends Base { kind: 'expect_error'; errno: Ident }
export interface ExpectFaults extends Base { kind: 'expect_faults'; proc: Ident; value: Num; /** `major M` (v2) */ major?: Num }
export type SignalName = 'SIGSEGV' | 'SIGBUS' | 'none';
export interface ExpectSignal extends Base { kind: 'expect_signal'; proc: Ident; signal: SignalName; signalRange: Range }
export interface ExpectDefioPending extends Base { kind: 'expect_defio_pending'; obj: Ident; value: Num }
export interface ExpectDefioWritten extends Base { kind: 'expect_defio_written'; obj: Ident; indexes: Num[] }
export interface ExpectOops extends Base { kind: 'expect_oops' }
/** `expect pipe PIPE unchanged|changed` (extension) */
export interface ExpectPipe extends Base { kind: 'expect_pipe'; pipe: Ident; changed: boolean; stateRange: Range }
/** `expect pin BUF unchanged|changed` (extension) */
export interface ExpectPin extends Base { kind: 'expect_pin'; buf: Ident; changed: boolean; stateRange: Range }

export type Expectation =
  | ExpectPte | ExpectFolio | ExpectResult | ExpectWalk | ExpectFaults | ExpectSignal
  | ExpectDefioPending | ExpectDefioWritten | ExpectOops
  | ExpectVma | ExpectVmas | ExpectIMmap | ExpectError | ExpectPipe | ExpectPin;

export type Statement =
  | KernelStmt | SysctlStmt | FileStmt | ShmemStmt | FbdevStmt | PfnmapStmt
  | ProcessStmt | ForkStmt | ExitStmt | MmapStmt | MunmapStmt | MprotectStmt | AccessStmt
  | MadviseStmt | MigrateStmt | MkcleanStmt | WrprotectStmt | PfnMkcleanStmt | WritebackStmt | MsyncStmt | UnmapRangeStmt
  | FlushStmt | ClearRefsStmt | WaitStmt | MremapStmt | SysctlThpStmt | SplitStmt | VmspliceStmt | PinStmt | Expectation;

export type StatementKind = Statement['kind'];

export function isExpectation(s: Statement): s is Expectation {
  return s.kind.startsWith('expect_');
}

/**
 * A name declared by a line that failed to parse (`process NAME`, an object, `fork ... as
 * CHILD`, `mmap ... as LABEL`), recovered so that the checker does not report every later
 * use of the name as unknown. It is not a statement and is never executed.
 */
export interface RecoveredDecl {
  kind: 'process' | 'object' | 'label' | 'pipe' | 'buffer';
  name: Ident;
  objKind?: 'file' | 'shmem' | 'fbdev' | 'pfnmap';
  /** for a label: the process that owns it */
  proc?: Ident;
}

/** A parsed file: the statements that parsed, in order (lines that failed are absent). */
export interface Scenario {
  statements: Statement[];
  /** comments (text includes the leading `#`), for formatting and the outline */
  comments: { text: string; range: Range }[];
  lineCount: number;
  /** names declared by lines that failed to parse, in line order (see RecoveredDecl) */
  recovered?: RecoveredDecl[];
}
