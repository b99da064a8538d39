// The inspector's view data: what the host (src/views) builds from a run and the webview
// draws. The protocol's payloads (src/shared/protocol.ts). Imports nothing: the webview
// bundle reads only src/shared.

export type RowStatus = 'none' | 'event' | 'pass' | 'fail' | 'skip' | 'signal' | 'oops';

export interface TimelineRow {
  step: number;
  /** 0-based source line */
  line: number;
  kind: string;
  /** the statement as written (trimmed, comment removed) */
  source: string;
  /** what happened, in kernel words, one entry per event group */
  text: string[];
  status: RowStatus;
  /** simulated time at the end of the step (ms) */
  time: number;
  /** number of PTEs this step changed */
  ptes: number;
  walks: number;
}

export interface InspectorRun {
  runId: number;
  kernel: string;
  passed: number;
  failed: number;
  rows: TimelineRow[];
  procs: string[];
  objects: string[];
}

/** A PTE cell state, one letter per page: n none, r read-only, w writable clean,
 *  d dirty, s special (pfnmap/zero page), p PROT_NONE. */
/** n none, r/w/d present read-only/writable/dirty, s special, p PROT_NONE, x swap entry, m migration entry */
export type CellCode = 'n' | 'r' | 'w' | 'd' | 's' | 'p' | 'x' | 'm';

export interface VmaView {
  id: number; start: string; end: string; pgoff: number; flags: string; object: string; label: string | null;
  /** one CellCode per page: the first pages of the VMA that make at most MAX_CELLS drawn cells (a PMD entry is one), at most MAX_STRIP_PAGES */
  cells: string;
  /** page indexes (within the VMA) whose PTE changed at this step */
  changed: number[];
  pages: number;
  /** pages that are one thing: a PMD entry (512 pages) or the PTE-mapped pages of one large folio */
  groups?: PageGroupView[];
}
/** A run of a strip's pages: one PMD entry (`pmd`), or one large folio mapped by PTEs (`folio`, its order). */
export interface PageGroupView { first: number; count: number; kind: 'pmd' | 'folio'; order: number }
/** What a step did to one VMA (v2 VMA history): made, removed (unmapped or merged away), resized or moved. */
export interface VmaChangeView { kind: 'new' | 'removed' | 'grew' | 'shrank' | 'moved'; label: string | null; before: string | null; after: string | null }
export interface ProcView {
  name: string; pid: number; alive: boolean; minFlt: number; majFlt: number; vmas: VmaView[]; changedVmas: boolean;
  /** the step's VMA changes (replayed step details only) */
  vmaChanges?: VmaChangeView[];
}

export interface FolioView {
  index: number; pfn: string; cached: boolean; flags: string[]; mapcount: number; mapping: string; pageIndex: number | null; changed: boolean;
}
export interface IntervalView { proc: string; label: string | null; vmaStart: string; vmaEnd: string; first: number; last: number; shared: boolean }
export interface DefioView { pending: number[]; due: number | null; delay: number; lastWritten: number[]; workRuns: number; sorted: boolean }
export interface ObjectView {
  name: string; kind: string; pages: number; nrpages: number; folios: FolioView[]; iMmap: IntervalView[]; defio: DefioView | null;
  /** i_mmap before the step, when the step changed it (a merge, split or move) */
  iMmapBefore?: IntervalView[];
}

export interface WalkPteView { addr: string; indices: [number, number, number, number]; before: string; after: string; counted: boolean }
export interface WalkVisitView {
  proc: string; label: string | null; vma: string; interval: string; skipped: boolean; reason: string | null;
  address: string | null; ptes: WalkPteView[];
}
export interface WalkView {
  api: string; mapping: string; pgoffFirst: number; pgoffLast: number; pfnFirst: string; pfnLast: string;
  path: string[]; visits: WalkVisitView[]; result: number | null;
}

/**
 * What a visited VMA with no PTE record means for the walk's API: retract_page_tables
 * (MADV_COLLAPSE of shmem) frees the VMA's emptied PTE table; other walks found no PTE.
 */
export function emptyVisitText(api: string): string {
  return api === 'retract_page_tables' ? 'its emptied page table freed (pmdp_collapse_flush)' : 'no PTE mapped here';
}

export interface StepDetail {
  step: number; line: number; time: number; source: string; text: string[];
  procs: ProcView[]; objects: ObjectView[]; walks: WalkView[]; pteCount: number; pteChanged: number;
}

export interface PteFilter { proc?: string; object?: string; changed?: boolean; sort?: 'addr' | 'pfn' | 'proc'; desc?: boolean }
export interface PteRow {
  proc: string; addr: string; idx: string; pfn: string; flags: number;
  /** P RW U A D SD S readable form */
  text: string; maps: string; changed: boolean;
}

export interface CompareRow { step: number; line: number; source: string; base: string; other: string; baseStatus: RowStatus; otherStatus: RowStatus; differs: boolean }

export const MAX_CELLS = 512;
/** pages a strip covers at most, however many of them PMD entries draw as one cell */
export const MAX_STRIP_PAGES = 8192;
export const MAX_FOLIOS = 512;
