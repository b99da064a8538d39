// The oracle translation's data: what the generated C realises (objects, processes,
// mappings) and what each step observes. See src/oracle/translate.ts.

import type { Prot, Statement, StatementKind } from '../../language/ast';

export const PAGE_SIZE = 4096;
/** The oracle guest's RAM (run.ts boots QEMU with it: two NUMA nodes of half each). */
export const GUEST_RAM_MB = 512;

/** Debian 6.1 (CONFIG_HZ=250): DRM fbdev emulation's deferred-I/O delay is HZ/20 jiffies. */
export const KERNEL_FB_DELAY_MS = 48;
/** pages of /dev/fb0 with `-vga std` (bochs-drmdrmfb, 1280x800x32: smem_len 4096000) */
export const DEFAULT_FB_PAGES = 1000;

/** Limits of the guest side (src/oracle/guest/oracle.h, setup.sh's disk, -m 512M). */
export const ORACLE_LIMITS = {
  /** O_MAXP */
  processes: 64,
  /** O_MAXOBJ */
  objects: 32,
  /** a `file` must fit the 64 MiB ext4 disk image, next to the other files */
  filePages: 12_288,
  /** a `shmem` lives in the guest's RAM (tmpfs) */
  shmemPages: 32_768,
  /** pages per pagemap record (one snap() call) */
  snapshotChunk: 1024,
} as const;

export type OracleObjKind = 'file' | 'shmem' | 'fbdev' | 'pfnmap';

export interface OracleObject {
  /** index in the generated C (OBJ[index]); -1 when not realisable */
  index: number;
  name: string;
  kind: OracleObjKind;
  pages: number;
  cold: boolean;
  line: number;
  realisable: boolean;
  reason?: string;
  /** what realises it: a path on the guest, or a description */
  realisedAs?: string;
  /** shmem: the tmpfs mount's huge= (a mount of its own under /tmp); absent: /tmp itself */
  huge?: 'always' | 'within_size' | 'advise';
  /** fbdev: the scenario's `delay` (default 50 ms) and the oracle kernel's own */
  scenarioDelayMs?: number;
  kernelDelayMs?: number;
}

export interface OracleProcess { index: number; name: string; line: number; parent?: string }

export interface OracleMapping {
  /** unique per (process, mmap): a forked child gets its own copies */
  index: number;
  proc: string;
  label: string | null;
  /** object name, or 'anon' */
  obj: string;
  /**
   * What the mapping's pages belong to: the object name; for private anonymous memory
   * `anon#N` (shared by a parent and the children that inherited it), for shared
   * anonymous memory `shmem#N`. Steps touching one key snapshot every mapping with it.
   */
  objKey: string;
  addr: number;
  pages: number;
  pgoff: number;
  shared: boolean;
  prot: Prot;
  line: number;
  realised: boolean;
}

export interface OracleAccess {
  proc: string;
  /** OracleMapping.index, or null when no mapping of the process covers the page */
  mapping: number | null;
  label: string | null;
  /** page index within the mapping (from its original start), or null */
  page: number | null;
  addr: number;
  write: boolean;
}

export interface OracleSnapshot {
  proc: string;
  mapping: number;
  label: string | null;
  /** first page index (within the mapping) and address of this run of pages */
  page: number;
  addr: number;
  pages: number;
}

export type Observability = 'yes' | 'partial' | 'no';

export interface OracleStep {
  /** index in scn.statements; the C step number */
  index: number;
  /** 0-based source line (as in the AST) */
  line: number;
  kind: StatementKind;
  observable: Observability;
  /** why not (or not fully) observable, or how it is realised when that matters */
  reason?: string;
  /** the process the step runs in, 'driver', or null (nothing to run) */
  runsIn: string | null;
  accesses: OracleAccess[];
  snapshots: OracleSnapshot[];
  /** object pages probed (page-cache residency, PFN, kpageflags, mapcount) */
  objPages: { obj: string; index: number }[];
  /**
   * expect folio … mapping/index of an fbdev page: a process's present PTE of that page,
   * read with the mms/vnp probe on (vm_normal_page returns the struct page)
   */
  folioPtes?: { obj: string; index: number; proc: string; addr: number }[];
  /** lines of earlier not-observable statements that changed state this step looks at */
  taintedBy: number[];
  /** expect vma: the address of the page it names; expect vma/vmas: the ranges whose smaps it reads */
  vma?: { at: number | null; ranges: { addr: number; pages: number }[] };
  /**
   * object pages whose PG_dirty / PG_writeback differ from the engine's because a `mkclean`
   * was stood in by writeback (the kernel wrote the folio back, the engine keeps it dirty):
   * those two values of those pages are not compared. Active at the step's start.
   */
  dirtyTaint?: { obj: string; index: number; line: number }[];
}

export interface NotObservable {
  index: number;
  line: number;
  kind: StatementKind;
  reason: string;
}

export interface TranslateOptions {
  /** scenario name in the output (a path is fine); default 'scenario' */
  name?: string;
  /** position in a batch: C symbols get the prefix `s<index>_`; default 0 */
  index?: number;
  /** statements the checker rejected: not run (the engine skips them too) */
  invalid?: ReadonlySet<Statement>;
  /** pages of /dev/fb0 on the oracle machine; default DEFAULT_FB_PAGES */
  fbPages?: number;
  /** also read smaps for every snapshot (default true) */
  smaps?: boolean;
  /** most pages recorded after one statement (default 4096); the rest is left out */
  maxSnapshotPages?: number;
  /** false: the kernel runs without the kprobe events (no PTE values, walks, defio) */
  probes?: boolean;
  /** the kernel has gup_test's PIN_LONGTERM_TEST_START (CONFIG_GUP_TEST, 6.2+ or the gup-6.1
   *  kernel's backport): `pin ... readonly` is made with it */
  gupTest?: boolean;
}

export interface OracleTranslation {
  name: string;
  index: number;
  /** C function that runs the scenario (a driver, in a forked process) */
  fn: string;
  /** the scenario's C code: its step function and driver, no main() */
  fragment: string;
  /** a complete program for this scenario alone */
  c: string;
  steps: OracleStep[];
  notObservable: NotObservable[];
  objects: OracleObject[];
  processes: OracleProcess[];
  mappings: OracleMapping[];
  /** the `kernel` statement (default 6.15); the oracle boots Debian's 6.1.192 and the engine is compared at the booted release */
  scenarioKernel: string;
}
