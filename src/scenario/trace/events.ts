// The events of a trace (format `mmscope-trace` version 1, docs/trace-format.md), as the
// recorder hands them out: one step per statement, the engine's events in order.

import type { DefioEvent, FaultOutcome, FolioField, WalkApi } from '../../engine/trace';

export const TRACE_FORMAT = 'mmscope-trace';
export const TRACE_VERSION = 1;

export interface PteVal { flags: number; pfn: number }

export type TraceEvent =
  | { t: 'fault'; pid: number; addr: number; err: number; path: string[]; outcome?: FaultOutcome }
  | { t: 'hw'; pid: number; addr: number; write: boolean }
  | { t: 'pte'; pid: number; addr: number; before: PteVal; after: PteVal; why: string }
  | { t: 'folio'; pfn: number; field: FolioField; before: number; after: number }
  | { t: 'walk'; api: WalkApi; mapping: number; pgoff: number; nr: number; pfn: number; path: string[];
      visits: WalkVisit[]; result?: number }
  | { t: 'defio'; obj: number; ev: DefioEvent; page: number; time: number }
  | { t: 'signal'; pid: number; sig: 'SIGSEGV' | 'SIGBUS' }
  | { t: 'oops'; message: string }
  | { t: 'vmas'; pid: number }
  | { t: 'call'; fn: string }
  | { t: 'warn'; message: string };

export interface WalkVisit {
  pid: number; vma: number; label?: string; address: number; skipped: boolean; reason?: string;
  ptes: { addr: number; counted: boolean }[];
}

/** A VMA as it was at the end of a step (for time travel). */
export interface VmaSnapshot {
  start: number; end: number; pgoff: number; flags: number; prot: number;
  /** address_space id, 0 for anonymous */ file: number; label?: string; id: number;
}

/** Thrown by the recorder when a run exceeds its event or time budget (caught by the runner). */
export class TraceBudgetExceeded extends Error {
  constructor(readonly which: 'events' | 'time') { super(`trace budget exceeded (${which})`); }
}

/** One entry of TraceRecorder.vmaHistory: a full snapshot or a delta. */
export interface VmaHistoryEntry { step: number; vmas?: VmaSnapshot[]; changed?: VmaSnapshot[]; removed?: number[] }
