// What the engine reports while it runs. The engine calls these hooks in the order the
// kernel does things; the scenario layer (src/scenario/trace.ts) stores them compactly.
// Everything is numbers and interned-at-the-sink strings, so a hook costs no allocation.

import type { KernelCall } from './kernelFunctions';

export type FaultOutcome = 'minor' | 'major' | 'retry' | 'sigsegv' | 'sigbus' | 'oops' | 'nopage-loop';

export type WalkApi =
  | 'folio_mkclean' | 'mapping_wrprotect_range' | 'pfn_mkclean_range' | 'unmap_mapping_range'
  | 'rmap_walk_anon' | 'folio_referenced' | 'try_to_unmap' | 'try_to_migrate' | 'remove_migration_ptes'
  | 'retract_page_tables';

export type DefioEvent =
  | 'track'        // page_mkwrite put a pageref on the list
  | 'track-again'  // page_mkwrite found it already listed
  | 'arm'          // schedule_delayed_work() queued the work
  | 'arm-noop'     // schedule_delayed_work() while pending: a no-op
  | 'work-start' | 'wrprotect' | 'deferred_io' | 'work-end';

export type FolioField = 'flags' | 'mapping' | 'index' | 'cached';

export interface Tracer {
  /** A CPU access reached the fault handler. */
  faultBegin(pid: number, addr: number, errorCode: number): void;
  /** A kernel function the current fault / operation passed through. */
  call(fn: KernelCall): void;
  faultEnd(pid: number, addr: number, outcome: FaultOutcome): void;
  /** A hardware access that needed no fault (sets A, and D on write). */
  hwAccess(pid: number, addr: number, write: boolean): void;
  pteSet(pid: number, addr: number, beforeFlags: number, beforePfn: number,
    afterFlags: number, afterPfn: number, why: string): void;
  /** struct page field change; for 'flags' the values are PG_* bit masks. */
  folioSet(pfn: number, field: FolioField, before: number, after: number): void;
  /**
   * Runs of the records above on consecutive pages, each the same as n single calls (the
   * sink may store them compactly): n PTE changes at addr + i pages from (bf, bp + i) — none
   * when bf and bp are 0 — to (af, ap + i) — none when af and ap are 0 —; n hardware
   * accesses at addr + i pages; PG_* flags of pfn + i each from before to after.
   */
  pteSetRun(pid: number, addr: number, n: number, bf: number, bp: number, af: number, ap: number, why: string): void;
  hwAccessRun(pid: number, addr: number, n: number, write: boolean): void;
  folioFlagsRun(pfn: number, n: number, before: number, after: number): void;
  walkBegin(api: WalkApi, mappingId: number, pgoff: number, nrPages: number, pfn: number): void;
  walkVisit(pid: number, vmaId: number, label: string | undefined, address: number): void;
  walkSkip(pid: number, vmaId: number, label: string | undefined, reason: string): void;
  walkPte(pid: number, addr: number, counted: boolean): void;
  walkEnd(result: number): void;
  defio(objId: number, ev: DefioEvent, page: number, time: number): void;
  signal(pid: number, sig: 'SIGSEGV' | 'SIGBUS'): void;
  oops(message: string): void;
  /** The VMA layout of pid's mm changed (mmap/munmap/mprotect/fork/exit). */
  vmasChanged(pid: number): void;
  warn(message: string): void;
}

