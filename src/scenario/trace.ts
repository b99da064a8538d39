// The trace of a run (format `mmscope-trace` version 1, docs/trace-format.md): one step
// per statement, and inside each step the engine's events in the order they happened.
// TraceRecorder is the engine's Tracer: it turns hook calls into compact records.

import type { DefioEvent, FaultOutcome, FolioField, Tracer, WalkApi } from '../engine/trace';

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

export interface Step {
  index: number;
  /** 0-based source line of the statement */
  line: number;
  kind: string;
  /** simulated time (ms) when the step ended */
  time: number;
  events: TraceEvent[];
  /** value of a kernel operation (`expect result`) */
  result?: number;
  /** for expectations */
  expect?: { ok: boolean; message: string };
  skipped?: boolean;
}

export class TraceRecorder implements Tracer {
  readonly steps: Step[] = [];
  current: Step | undefined;
  eventCount = 0;
  private fault: Extract<TraceEvent, { t: 'fault' }> | undefined;
  private walk: Extract<TraceEvent, { t: 'walk' }> | undefined;
  private visit: WalkVisit | undefined;
  lastWalk: Extract<TraceEvent, { t: 'walk' }> | undefined;
  oopsInStep = false;

  beginStep(line: number, kind: string): Step {
    const s: Step = { index: this.steps.length, line, kind, time: 0, events: [] };
    this.steps.push(s);
    this.current = s;
    this.oopsInStep = false;
    return s;
  }

  private push(e: TraceEvent): void {
    this.eventCount++;
    (this.current ?? this.beginStep(-1, 'setup')).events.push(e);
  }

  faultBegin(pid: number, addr: number, err: number): void {
    this.fault = { t: 'fault', pid, addr, err, path: [] };
    this.push(this.fault);
  }
  call(fn: string): void {
    if (this.walk) this.walk.path.push(fn);
    else if (this.fault) this.fault.path.push(fn);
    else this.push({ t: 'call', fn });
  }
  faultEnd(_pid: number, _addr: number, outcome: FaultOutcome): void {
    if (this.fault) this.fault.outcome = outcome;
    this.fault = undefined;
  }
  hwAccess(pid: number, addr: number, write: boolean): void { this.push({ t: 'hw', pid, addr, write }); }
  pteSet(pid: number, addr: number, bf: number, bp: number, af: number, ap: number, why: string): void {
    this.push({ t: 'pte', pid, addr, before: { flags: bf, pfn: bp }, after: { flags: af, pfn: ap }, why });
  }
  folioSet(pfn: number, field: FolioField, before: number, after: number): void {
    this.push({ t: 'folio', pfn, field, before, after });
  }
  walkBegin(api: WalkApi, mapping: number, pgoff: number, nr: number, pfn: number): void {
    this.walk = { t: 'walk', api, mapping, pgoff, nr, pfn, path: [], visits: [] };
    this.push(this.walk);
  }
  walkVisit(pid: number, vma: number, label: string | undefined, address: number): void {
    this.visit = { pid, vma, label, address, skipped: false, ptes: [] };
    this.walk?.visits.push(this.visit);
  }
  walkSkip(pid: number, vma: number, label: string | undefined, reason: string): void {
    this.walk?.visits.push({ pid, vma, label, address: 0, skipped: true, reason, ptes: [] });
    this.visit = undefined;
  }
  walkPte(_pid: number, addr: number, counted: boolean): void { this.visit?.ptes.push({ addr, counted }); }
  walkEnd(result: number): void {
    if (this.walk) { this.walk.result = result; this.lastWalk = this.walk; }
    this.walk = undefined; this.visit = undefined;
  }
  defio(obj: number, ev: DefioEvent, page: number, time: number): void { this.push({ t: 'defio', obj, ev, page, time }); }
  signal(pid: number, sig: 'SIGSEGV' | 'SIGBUS'): void { this.push({ t: 'signal', pid, sig }); }
  oops(message: string): void { this.oopsInStep = true; this.push({ t: 'oops', message }); }
  vmasChanged(pid: number): void { this.push({ t: 'vmas', pid }); }
  warn(message: string): void { this.push({ t: 'warn', message }); }
}
