// Engine vs kernel for what the kprobe trace shows (docs/real-kernel.md): the rmap walks
// of each statement, the value a writeback / msync / flush returned, fb_defio's
// deferred-work runs, and the PTE values behind `expect pte`. The engine side is recorded
// by `engineTraceStep()` while captureEngine runs; `compareTraceStep()` is pure.
//
// fb_defio timing: the deferred work fires HZ/20 after the first tracked write, in real
// time on the kernel and in simulated time in the engine, and the oracle's steps take real
// time. So the runs are compared by their number (the kernel's run N with the engine's
// run N), not by the statement they fell in; a state that depends on how many runs have
// completed (the list, the last pages written, the last walk, write-protected PTEs) is
// compared only where both have completed the same number of runs, and is reported as a
// timing window where they have not because the kernel's work fired on time.

import { fbDefioOf } from '../engine/drivers/fbDefio';
import type { Kernel } from '../engine/kernel';
import type { Step } from '../scenario/trace';
import { RECLAIM_MIGRATE_APIS, type KWalk } from './kprobes';
import { type KFbState, kernelVisitNames } from './kstate';
import type { OracleScenarioResult, OracleStepResult } from './results';
import type { ValueComparison, Verdict } from './compare';
import type { OracleMapping } from './translate';
import { migrateResult, syscallResult } from './traceExpect';

export interface EngineWalk { api: string; idx: number; visits: string[]; result: number; fb: boolean }
export interface EngineFb { runs: number; pending: number[]; lastWritten: number[] | null }

/** What the engine did in one statement, as the kprobes would see it. */
export interface EngineTraceStep {
  walks: EngineWalk[];
  /** the realised fbdev's state after the statement (null: no fbdev) */
  fb: EngineFb | null;
  result?: number;
}

/** Record the engine's walks and fb_defio state of one step (called from captureEngine). */
export function engineTraceStep(k: Kernel, step: Step, fbName: string | null): EngineTraceStep {
  const fbAs = fbName === null ? undefined : [...k.objects.values()].find((o) => o.name === fbName);
  const walks: EngineWalk[] = [];
  for (const e of step.events) {
    if (e.t !== 'walk') continue;
    walks.push({
      api: e.api, idx: e.pgoff, result: e.result ?? 0, fb: !!fbAs && e.mapping === fbAs.id,
      visits: e.visits.map((v) => `${v.skipped ? '~' : ''}${k.tasks.get(v.pid)?.name ?? v.pid}:${v.label ?? `vma#${v.vma}`}${'*'.repeat(v.ptes.filter((p) => p.counted).length)}`),
    });
  }
  const fb = fbDefioOf(fbAs);
  return {
    walks, result: step.result,
    fb: fb ? { runs: fb.workRuns, pending: [...fb.pagereflist], lastWritten: fb.workRuns ? [...fb.lastWritten] : null } : null,
  };
}

const walkStr = (idx: number, visits: string[], ret: number | null): string => `[${idx}] ${visits.join(', ') || 'none'} =${ret ?? '?'}`;

export interface TraceCompareCtx {
  oracle: OracleScenarioResult;
  mappings: readonly OracleMapping[];
  /** why walks / results / defio cannot be compared on this kernel (probes), or null */
  noWalk: string | null;
  /** why the walks of reclaim and migration cannot be compared (their probes), or null */
  noRmWalk?: string | null;
  noResult: string | null;
  noDefio: string | null;
  quiet: number;
  again: number;
}

/** Kernel walk visit names (PROC:LABEL, ~ skipped, * per PTE cleaned). */
export function kernelWalkStr(w: KWalk, ctx: TraceCompareCtx): string {
  const procOf = (tgid: number) => Object.entries(ctx.oracle.pids).find(([, p]) => p === tgid)?.[0];
  return walkStr(w.idx, kernelVisitNames(w, procOf, ctx.mappings, true), w.ret);
}

/**
 * Timing: at time t the kernel has completed k.runs deferred-work runs, the engine eRuns.
 * null when they agree; else why the difference is a matter of timing, or 'differ'.
 */
export function fbTiming(k: KFbState, eRuns: number, t: number, ctx: Pick<TraceCompareCtx, 'again'>): string | 'differ' | null {
  if (k.runs === eRuns) return null;
  const arm = k.arms[k.arms.length - 1];
  if (arm === undefined) return 'differ';
  if (k.runs > eRuns && k.arms.length >= k.runs) {
    // the kernel's run fired on time (real time ran ahead of the engine's clock)
    return `timing window: the kernel's deferred work has run ${k.runs} time(s), the engine's ${eRuns} (the kernel fires HZ/20 after the first tracked write in real time; the oracle's statements take real time)`;
  }
  if (eRuns > k.runs && t - arm < ctx.again) {
    return `timing window: the kernel's deferred work was not due yet (${(t - arm).toFixed(0)} ms after the first tracked write)`;
  }
  return 'differ';
}

/** The kernel's work runs of the whole scenario, in order, each with the step it fell in and its walks. */
export function kernelRuns(oracle: OracleScenarioResult): { step: number; pages: number[]; walks: KWalk[]; startMs: number }[] {
  const out: { step: number; pages: number[]; walks: KWalk[]; startMs: number }[] = [];
  for (const s of oracle.steps) {
    for (const r of s.kernel?.workRuns ?? []) {
      const walks = (s.kernel?.walks ?? []).filter((w) => w.byWork && w.ms >= r.startMs && (r.endMs === null || w.ms <= r.endMs));
      out.push({ step: s.index, pages: r.pages, walks, startMs: r.startMs });
    }
  }
  return out;
}

/** The engine's work runs: per step where its run count went up, the fb walks of that step. */
export function engineRuns(steps: readonly (EngineTraceStep | undefined)[]): { step: number; pages: number[]; walks: EngineWalk[] }[] {
  const out: { step: number; pages: number[]; walks: EngineWalk[] }[] = [];
  let runs = 0;
  steps.forEach((s, i) => {
    if (!s?.fb || s.fb.runs === runs) return;
    runs = s.fb.runs;
    out.push({ step: i, pages: s.fb.lastWritten ?? [], walks: s.walks.filter((w) => w.fb) });
  });
  return out;
}

const MKCLEAN_APIS: readonly string[] = ['folio_mkclean', 'mapping_wrprotect_range'];
const isRm = (api: string): boolean => (RECLAIM_MIGRATE_APIS as readonly string[]).includes(api);
/** A reclaim / migration walk as text: API: visits in order (`~` skipped); no PTE counts (no probe counts them). */
const rmWalkStr = (api: string, visits: readonly string[]): string => `${api}: ${visits.map((v) => v.replace(/\*+$/, '')).join(', ') || 'none'}`;

/** The reclaim / migration walks of one statement, kernel against engine, in order. */
function compareRmWalks(os: OracleStepResult, es: EngineTraceStep, ctx: TraceCompareCtx): ValueComparison[] {
  const kw = (os.kernel?.walks ?? []).filter((w) => !w.byWork && isRm(w.api));
  const ew = es.walks.filter((w) => isRm(w.api));
  if (!kw.length && !ew.length) return [];
  const procOf = (tgid: number) => Object.entries(ctx.oracle.pids).find(([, p]) => p === tgid)?.[0];
  const k = kw.map((w) => rmWalkStr(w.api, kernelVisitNames(w, procOf, ctx.mappings))).join('; ') || 'none';
  const e = ew.map((w) => rmWalkStr(w.api, w.visits)).join('; ') || 'none';
  const v: ValueComparison = { subject: 'rmap', field: 'reclaim/migration walks', engine: e, kernel: k, verdict: e === k ? 'agree' : 'differ', reason: e === k ? undefined : 'the rmap walks differ' };
  return [ctx.noRmWalk ? { ...v, kernel: '?', verdict: 'not-observable', reason: ctx.noRmWalk } : v];
}

/** Walk / result values of one statement (not fb-work walks: those are compared per run). */
export function compareTraceStep(os: OracleStepResult, es: EngineTraceStep | undefined, ctx: TraceCompareCtx,
  prevEngineRuns: number): ValueComparison[] {
  const vals: ValueComparison[] = [];
  if (!os.kernel || !es) return vals;
  const kw = os.kernel.walks.filter((w) => !w.byWork && MKCLEAN_APIS.includes(w.api));
  const ew = es.walks.filter((w) => !w.fb && w.api === 'folio_mkclean');
  // a mkclean stood in by writeback earlier: the engine keeps folios dirty that the kernel wrote back
  const dt = os.dirtyTaint?.find((d) => d.line !== os.line);
  const standIn = os.kind === 'mkclean';
  if (kw.length || ew.length) {
    const k = kw.map((w) => kernelWalkStr(w, ctx)).join('; ') || 'none';
    const e = ew.map((w) => walkStr(w.idx, w.visits, w.result)).join('; ') || 'none';
    let v: ValueComparison = { subject: 'rmap', field: 'walks', engine: e, kernel: k, verdict: e === k ? 'agree' : 'differ', reason: e === k ? undefined : 'the rmap walks differ' };
    if (ctx.noWalk) v = { ...v, kernel: '?', verdict: 'not-observable', reason: ctx.noWalk };
    else if (v.verdict === 'differ' && standIn && !kw.length) v = { ...v, verdict: 'not-observable', reason: 'the folio was clean on the kernel: the writeback that stands in for mkclean made no folio_mkclean call' };
    else if (v.verdict === 'differ' && dt) v = { ...v, verdict: 'not-observable', reason: `L${dt.line + 1}'s mkclean was stood in by writeback: folios the engine keeps dirty were written back on the kernel (${v.reason})` };
    vals.push(v);
  }
  if (es.result !== undefined && ['writeback', 'msync', 'flush', 'mkclean'].includes(os.kind)) {
    const kw2 = os.kernel.walks.filter((w) => !w.byWork && MKCLEAN_APIS.includes(w.api));
    const kr = standIn ? kw2[kw2.length - 1]?.ret ?? null : os.kernel.workRuns.reduce((n, r) => n + r.pages.length, 0) + os.kernel.written;
    let verdict: Verdict = kr === es.result ? 'agree' : 'differ';
    let reason: string | undefined;
    if (ctx.noResult) { verdict = 'not-observable'; reason = ctx.noResult; }
    else if (kr === null) { verdict = 'not-observable'; reason = 'the folio was clean on the kernel: the writeback that stands in for mkclean made no folio_mkclean call'; }
    else if (verdict === 'differ' && dt && !standIn) { verdict = 'not-observable'; reason = `L${dt.line + 1}'s mkclean was stood in by writeback: folios the engine keeps dirty were written back on the kernel`; }
    else if (verdict === 'differ' && os.kernel.workRuns.length !== (es.fb ? es.fb.runs - prevEngineRuns : 0)) {
      verdict = 'not-observable';
      reason = 'timing window: the deferred work ran in another statement on the kernel than in the engine';
    }
    vals.push({ subject: 'op', field: 'result', engine: String(es.result), kernel: String(kr ?? '-'), verdict, reason });
  }
  if (es.result !== undefined && os.kind === 'migrate') {
    // move_pages' answer for the page (0 or the errno) against migrate_pages()'s in the engine
    const kr = migrateResult(os);
    vals.push({ subject: 'op', field: 'result', engine: String(es.result), kernel: String(kr ?? '-'),
      verdict: kr === null ? 'not-observable' : kr === es.result ? 'agree' : 'differ', reason: kr === null ? 'no move_pages recorded' : undefined });
  }
  if (es.result !== undefined && (os.kind === 'vmsplice' || os.kind === 'pin')) {
    // vmsplice(2)'s answer (the bytes spliced) or io_uring_register(2)'s (0), or the errno
    const kr = syscallResult(os, os.kind);
    vals.push({ subject: 'op', field: 'result', engine: String(es.result), kernel: String(kr ?? '-'),
      verdict: kr === null ? 'not-observable' : kr === es.result ? 'agree' : 'differ', reason: kr === null ? `no ${os.kind} recorded` : undefined });
  }
  vals.push(...compareRmWalks(os, es, ctx));
  return vals;
}

/**
 * The deferred-work runs, kernel run N against engine run N, as values of the step where
 * the engine ran it (or the kernel did, when the engine has no run N).
 */
export function compareRuns(oracle: OracleScenarioResult, esteps: readonly (EngineTraceStep | undefined)[], ctx: TraceCompareCtx,
  fbWriteMs: readonly number[]): Map<number, ValueComparison[]> {
  const out = new Map<number, ValueComparison[]>();
  const kr = kernelRuns(oracle), er = engineRuns(esteps);
  const n = Math.max(kr.length, er.length);
  let shifted = false;   // an earlier run fell in a timing window: later runs may be numbered differently
  for (let i = 0; i < n; i++) {
    const k = kr[i], e = er[i];
    const step = e?.step ?? k!.step;
    const kv = k ? `${k.pages.join(',') || 'none'}: ${k.walks.map((w) => kernelWalkStr(w, ctx)).join('; ')}` : 'no run';
    const ev = e ? `${e.pages.join(',') || 'none'}: ${e.walks.map((w) => walkStr(w.idx, w.visits, w.result)).join('; ')}` : 'no run';
    let verdict: Verdict = kv === ev ? 'agree' : 'differ';
    let reason: string | undefined;
    if (ctx.noDefio || ctx.noWalk) { verdict = 'not-observable'; reason = ctx.noDefio ?? ctx.noWalk ?? undefined; }
    else if (verdict === 'differ') {
      // a tracked write in the window around the run: which side of the run it fell on is timing
      const arms = oracle.kstates?.[oracle.kstates.length - 1]?.after.arms ?? [];
      const arm = k ? arms.filter((a) => a <= k.startMs).pop() : arms[arms.length - 1];
      const exposed = arm !== undefined && fbWriteMs.some((t) => t - arm >= ctx.quiet && t - arm < ctx.again);
      const endedEarly = !k && arm !== undefined && oracle.ms !== null && oracle.ms - arm < ctx.again;
      // the kernel's work fired before a write the engine's simulated clock puts before it: the
      // kernel's run is the engine's cut short, and the missing pages were tracked after it began
      const mkw = oracle.steps.flatMap((s) => s.kernel?.mkwrites ?? []);
      const split = !!k && !!e && k.pages.length < e.pages.length && k.pages.every((p, j) => p === e.pages[j])
        && e.pages.slice(k.pages.length).every((p) => mkw.some((m) => m.pgoff === p && m.ms >= k.startMs));
      // the kernel ran its work more often: a run of its own timer (not a flush) the engine's
      // clock never reached, because the scenario's statements take no time in the engine
      const extra = !!k && !e && kr.length > er.length && arm !== undefined && k.startMs - arm >= ctx.quiet;
      // both ran, but at different statements: the kernel's on its timer (HZ/20 of real time,
      // during a slow statement: an exit, a fork), the engine's later (a flush, a wait), so they
      // walked different states of the world (found by the fuzz: a process exited in between).
      // Only the walks may differ: the same pages, in the same order
      const elsewhere = !!k && !!e && k.step !== e.step && arm !== undefined && k.startMs - arm >= ctx.quiet
        && k.pages.join(',') === e.pages.join(',');
      if (exposed || endedEarly || split || extra || elsewhere || shifted) {
        verdict = 'not-observable';
        reason = endedEarly ? 'timing window: the scenario ended before the kernel\'s work was due'
          : exposed ? `timing window: a write fell ${ctx.quiet}-${ctx.again} ms after the cycle's first write, on either side of the work`
            : extra ? `timing window: the kernel's work fired on its timer ${(k!.startMs - arm!).toFixed(0)} ms after the cycle's first write, a time the scenario's clock did not reach`
            : split ? `timing window: the kernel's work fired ${(k!.startMs - (arm ?? k!.startMs)).toFixed(0)} ms after the cycle's first write, before the writes of page ${e!.pages.slice(k!.pages.length).join(', ')} (real time ran ahead of the scenario's)`
              : elsewhere ? `timing window: the kernel's work fired on its timer ${(k!.startMs - arm!).toFixed(0)} ms after the cycle's first write, in L${(oracle.steps[k!.step]?.line ?? 0) + 1}; the engine's clock reached it only at L${(oracle.steps[e!.step]?.line ?? 0) + 1}`
              : 'timing window: an earlier run fell in a timing window, so the runs after it are numbered differently';
        shifted = true;
      } else reason = 'the deferred-work runs differ';
    }
    const l = out.get(step) ?? [];
    l.push({ subject: `work run ${i + 1}`, field: 'defio', engine: ev, kernel: kv, verdict, reason });
    out.set(step, l);
  }
  return out;
}
