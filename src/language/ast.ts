// The syntax tree of a .mms scenario (language v1, ../shared/spec/scenario-language.md).
// Every node carries the exact source range it was parsed from. Positions are 0-based
// (line, character), like VS Code's; the CLI prints them 1-based.

export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface Ident { name: string; range: Range }
/** An integer literal; `value` is exact (the lexer refuses anything beyond 2^53). */
export interface Num { value: number; range: Range; text: string }
export interface Duration { ms: number; range: Range }

export type Prot = 'r' | 'rw' | 'none';

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
export interface FileStmt extends Base { kind: 'file'; name: Ident; pages: Num; cold: boolean }
export interface ShmemStmt extends Base { kind: 'shmem'; name: Ident; pages: Num }
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
/** madvise(2) advices of language v2 (THP advices: the large-folio work adds theirs to the union) */
export type MadviseAdvice = 'dontneed' | 'free' | 'cold' | 'pageout' | 'willneed' | 'populate_read' | 'populate_write';
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

export type PteFlagName = 'none' | 'present' | 'write' | 'dirty' | 'young' | 'softdirty' | 'special' | 'swap' | 'migration';
export type PteFlag =
  | { kind: PteFlagName; negated: boolean; range: Range }
  | { kind: 'maps'; negated: boolean; target: 'anon' | 'zero' | { obj: Ident; index: Num }; range: Range }
  | { kind: 'pfn'; negated: boolean; pfn: Num; range: Range }
  /** `same OBJ[J]` (the page-cache/device page) or `same PROC LABEL[J]` (what PROC maps there): the same PFN */
  | { kind: 'same'; negated: boolean; proc?: Ident; page: { target: Ident; index: Num }; range: Range };
export type FolioFlagName = 'dirty' | 'writeback' | 'cached' | 'swapcache';
export type FolioFlag =
  | { kind: FolioFlagName; negated: boolean; range: Range }
  | { kind: 'mapcount'; negated: boolean; value: Num; range: Range }
  | { kind: 'mapping'; negated: boolean; obj: Ident | null /* `none` */; range: Range }
  | { kind: 'index'; negated: boolean; value: Num; range: Range };

export interface WalkEntry { proc: Ident; label: Ident; skipped: boolean; range: Range }

export interface ExpectPte extends Base { kind: 'expect_pte'; proc: Ident; pages: PageSpec; flags: PteFlag[] }
/** `expect folio OBJ[I] ...`, or `expect folio PROC LABEL[I] ...` (proc set: the folio PROC maps there, or whose swap entry it holds) */
export interface ExpectFolio extends Base { kind: 'expect_folio'; proc?: Ident; page: PageSpec; flags: FolioFlag[] }
export interface ExpectResult extends Base { kind: 'expect_result'; value: Num }
export interface ExpectWalk extends Base { kind: 'expect_walk'; entries: WalkEntry[] /* empty = `none` */ }
export interface ExpectFaults extends Base { kind: 'expect_faults'; proc: Ident; value: Num; major?: Num }
export type SignalName = 'SIGSEGV' | 'SIGBUS' | 'none';
export interface ExpectSignal extends Base { kind: 'expect_signal'; proc: Ident; signal: SignalName; signalRange: Range }
export interface ExpectDefioPending extends Base { kind: 'expect_defio_pending'; obj: Ident; value: Num }
export interface ExpectDefioWritten extends Base { kind: 'expect_defio_written'; obj: Ident; indexes: Num[] }
export interface ExpectOops extends Base { kind: 'expect_oops' }

export type Expectation =
  | ExpectPte | ExpectFolio | ExpectResult | ExpectWalk | ExpectFaults | ExpectSignal
  | ExpectDefioPending | ExpectDefioWritten | ExpectOops;

export type Statement =
  | KernelStmt | SysctlStmt | FileStmt | ShmemStmt | FbdevStmt | PfnmapStmt
  | ProcessStmt | ForkStmt | ExitStmt | MmapStmt | MunmapStmt | MprotectStmt | AccessStmt
  | MadviseStmt | MigrateStmt | MkcleanStmt | WrprotectStmt | PfnMkcleanStmt | WritebackStmt | MsyncStmt | UnmapRangeStmt
  | FlushStmt | ClearRefsStmt | WaitStmt | Expectation;

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
  kind: 'process' | 'object' | 'label';
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
