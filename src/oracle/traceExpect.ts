// Expectations answered from the kprobe trace (kprobes.ts, kstate.ts): `expect walk`,
// `expect result`, `expect defio pending/written`, and the PTE values behind
// `expect pte … write/dirty/young`. Each gives the real kernel's verdict, or says why it
// cannot (a probe not placed on this kernel, the operation has no user-space trigger).

import type { Expectation, Scenario, Statement } from '../language/ast';
import { missingProbes, pteBits, RECLAIM_MIGRATE_APIS, type KPte, type ProbeStatus } from './kprobes';
import { kernelVisitNames } from './kstate';
import type { OracleCheck, OracleScenarioResult, OracleStepResult } from './results';
import type { OracleTranslation } from './translate';

/** Statements whose value `expect result` reads (spec: the last kernel operation above). */
export const RESULT_KINDS = new Set(['mkclean', 'wrprotect', 'pfn_mkclean', 'writeback', 'msync', 'unmap_range', 'flush', 'migrate', 'madvise', 'split', 'vmsplice', 'pin']);
/** Statements whose result the kprobe trace gives (mkclean: where writeback stands in for it). */
export const TRACED_RESULT_KINDS = new Set(['mkclean', 'writeback', 'msync', 'flush']);
/** Statements that make an rmap walk in the engine. */
export const WALK_KINDS = new Set(['mkclean', 'wrprotect', 'unmap_range', 'writeback', 'msync', 'flush', 'madvise', 'migrate']);
/** Statements whose walks are reclaim's and migration's (folio_referenced, try_to_unmap, try_to_migrate, remove_migration_ptes). */
const RECLAIM_MIGRATE_KINDS = new Set(['madvise', 'migrate']);
const RECLAIM_APIS: readonly string[] = ['folio_referenced', 'try_to_unmap'];
const MIGRATE_APIS: readonly string[] = ['try_to_migrate', 'remove_migration_ptes'];
/** The walk APIs the kprobe events observe (mapping_wrprotect_range where the kernel has it). */
const OBSERVED_APIS: readonly string[] = ['folio_mkclean', 'mapping_wrprotect_range', ...RECLAIM_MIGRATE_APIS];

/** Why the probes of that walk API (or, without one, of every walk the scenario may make) are missing, or null. */
function missingWalkProbes(probes: ProbeStatus[] | null, api: string | undefined, reclaimOrMigrate: boolean): string | null {
  if (api && RECLAIM_APIS.includes(api)) return missingProbes(probes, 'reclaimWalk');
  if (api && MIGRATE_APIS.includes(api)) return missingProbes(probes, 'migrateWalk');
  const m = missingProbes(probes, 'walk');
  if (m || api || !reclaimOrMigrate) return m;
  return missingProbes(probes, 'reclaimWalk') ?? missingProbes(probes, 'migrateWalk');
}

const na = (subject: string, flag: string, reason: string): OracleCheck => ({ subject, flag, verdict: 'not-observable', reason });

/** The object a writeback / msync / flush statement works on, and its kind. */
function stepObject(st: Statement, t: OracleTranslation): { name: string; kind: string } | null {
  let name: string | null = null;
  if (st.kind === 'writeback' || st.kind === 'flush') name = st.obj.name;
  else if (st.kind === 'msync') name = [...t.mappings].reverse().find((m) => m.proc === st.proc.name && m.label === st.label.name)?.obj ?? null;
  const o = t.objects.find((x) => x.name === name);
  return o ? { name: o.name, kind: o.kind } : null;
}

/**
 * The value the kernel returned for a writeback / msync / flush step: folios written
 * (folio_clear_dirty_for_io returned true) for a file; for an fbdev the pages the deferred
 * work handed to the driver during the step. null when the step is not of that kind.
 */
export function kernelResult(sr: OracleStepResult, st: Statement, t: OracleTranslation): number | null {
  if (sr.kernel && st.kind === 'mkclean') {
    // stood in by writeback: folio_mkclean's own return, if the folio was dirty (else no walk)
    const w = sr.kernel.walks.filter((x) => !x.byWork && x.api === 'folio_mkclean');
    return w.length ? w[w.length - 1].ret : null;
  }
  if (!sr.kernel || !['writeback', 'msync', 'flush'].includes(st.kind)) return null;
  const o = stepObject(st, t);
  if (!o) return null;
  if (o.kind === 'fbdev') return sr.kernel.workRuns.reduce((n, r) => n + r.pages.length, 0);
  return sr.kernel.written;   // tmpfs: shmem's fsync writes nothing back, so 0
}

/**
 * A `migrate` step's result on the kernel: its move_pages(2)'s errno (guest o_migrate, op
 * `migrate`), 0 when it succeeded. Recordings made before 2026-12-05 realised the statement
 * with madvise(MADV_SOFT_OFFLINE) (op `madvise`); their errno is read the same way.
 */
export function migrateResult(sr: OracleStepResult): number | null {
  const op = sr.ops.find((o) => o.op === 'migrate') ?? sr.ops.find((o) => o.op === 'madvise');
  return op ? op.errno : null;
}

/** A `vmsplice` or `pin` step's result on the kernel: what vmsplice(2) (the bytes spliced)
 *  or io_uring_register(2) (0) returned, or its errno. */
export function syscallResult(sr: OracleStepResult, kind: 'vmsplice' | 'pin'): number | null {
  const op = sr.ops.find((o) => o.op === kind);
  return op ? (op.ret < 0 ? op.errno : op.ret) : null;
}

/** The scenario-order index of the last statement before `i` whose kind is in `kinds`. */
function lastBefore(scn: Scenario, i: number, kinds: Set<string>): number {
  for (let j = i - 1; j >= 0; j--) if (kinds.has(scn.statements[j].kind)) return j;
  return -1;
}

export interface TraceExpectCtx {
  res: OracleScenarioResult;
  t: OracleTranslation;
  scn: Scenario;
  probes: ProbeStatus[] | null;
}

/** Checks for `expect walk / result / defio …` from the trace. */
export function traceChecks(e: Expectation, sr: OracleStepResult, c: TraceExpectCtx): OracleCheck[] {
  const { res, t, scn } = c;
  const ks = res.kstates?.[sr.index];
  switch (e.kind) {
    case 'expect_walk': {
      const want = e.entries.map((x) => (x.skipped ? '~' : '') + `${x.proc.name}:${x.label.name}`);
      const api = e.api?.name;
      const flag = `${api ? `${api} ` : ''}${want.length ? want.join(', ') : 'none'}`;
      if (api && !OBSERVED_APIS.includes(api)) return [na('walk', flag, `${api}: no kprobe event observes this walk (the events cover ${OBSERVED_APIS.join(', ')})`)];
      if (e.entries.some((x) => x.index)) return [na('walk', flag, 'a VMA index (LABEL[I]) is the engine\'s numbering of a label\'s VMAs; the kprobe events name a VMA by its owner and start address')];
      const reclaimOrMigrate = scn.statements.slice(0, sr.index).some((s) => RECLAIM_MIGRATE_KINDS.has(s.kind));
      const miss = missingWalkProbes(c.probes, api, reclaimOrMigrate);
      if (miss || !ks) return [na('walk', flag, miss ?? (res.traceLost ? 'the kprobe trace lost events (ring buffer overflow)' : 'no kprobe trace for this scenario'))];
      const lastOp = lastBefore(scn, sr.index, WALK_KINDS);
      const last = api ? ks.lastWalkOf[api] ?? null : ks.lastWalk;
      const walkStep = last?.step ?? -1;
      // the engine's last walk may come from an operation the oracle cannot trigger
      if (lastOp > walkStep && t.steps[lastOp].observable === 'no') {
        return [na('walk', flag, `the last walk would be L${scn.statements[lastOp].range.start.line + 1}'s ${scn.statements[lastOp].kind}, which has no user-space trigger`)];
      }
      if (lastOp > walkStep && scn.statements[lastOp].kind === 'mkclean' && (!api || api === 'folio_mkclean')) {
        return [na('walk', flag, `L${scn.statements[lastOp].range.start.line + 1}'s mkclean: the folio was clean on the kernel, so the writeback that stands in for it made no folio_mkclean call`)];
      }
      const procOf = (tgid: number) => Object.entries(res.pids).find(([, p]) => p === tgid)?.[0];
      const got = last ? kernelVisitNames(last.walk, procOf, t.mappings) : [];
      const ok = got.length === want.length && got.every((g, i) => g === want[i]);
      return [{ subject: 'walk', flag, verdict: ok ? 'pass' : 'fail', observed: got.length ? got.join(', ') : 'none' }];
    }
    case 'expect_result': {
      const flag = `result ${e.value.value}`;
      const j = lastBefore(scn, sr.index, RESULT_KINDS);
      if (j < 0) return [na('result', flag, 'no kernel operation before this line')];
      const op = scn.statements[j];
      if (t.steps[j].observable === 'no') return [na('result', flag, `L${op.range.start.line + 1} ${op.kind} has no user-space trigger`)];
      if (op.kind === 'split') return [na('result', flag, `L${op.range.start.line + 1}'s split: the debugfs write's result is not recorded`)];
      if (op.kind === 'vmsplice' || op.kind === 'pin') {
        // vmsplice(2)'s or io_uring_register(2)'s own answer (the bytes spliced, 0), or the errno
        const v = syscallResult(res.steps[j], op.kind);
        if (v === null) return [na('result', flag, `L${op.range.start.line + 1}: no ${op.kind} recorded`)];
        return [{ subject: 'result', flag, verdict: v === e.value.value ? 'pass' : 'fail', observed: String(v) }];
      }
      if (op.kind === 'migrate' || op.kind === 'madvise') {
        // move_pages' own answer for the page (migrate), madvise(2)'s (e.g.
        // madvise_collapse_errno()): 0, or the errno (no kprobe needed)
        const v = migrateResult(res.steps[j]);
        if (v === null) return [na('result', flag, `L${op.range.start.line + 1}: no ${op.kind === 'migrate' ? 'move_pages' : 'madvise'} recorded`)];
        return [{ subject: 'result', flag, verdict: v === e.value.value ? 'pass' : 'fail', observed: String(v) }];
      }
      const o = stepObject(op, t);
      const miss = missingProbes(c.probes, 'result');
      if (miss) return [na('result', flag, miss)];
      const v = kernelResult(res.steps[j], op, t);
      if (v === null && op.kind === 'mkclean') return [na('result', flag, `L${op.range.start.line + 1}'s mkclean: the folio was clean on the kernel, so the writeback that stands in for it made no folio_mkclean call`)];
      if (v === null || (!o && op.kind !== 'mkclean')) return [na('result', flag, `L${op.range.start.line + 1}: no result recorded`)];
      const dt = res.steps[j].dirtyTaint?.filter((d) => d.line !== op.range.start.line);
      if (v !== e.value.value && dt?.length && op.kind !== 'mkclean') return [na('result', flag, `L${dt[0].line + 1}'s mkclean was stood in by writeback: folios the engine keeps dirty were written back on the kernel`)];
      return [{ subject: 'result', flag, verdict: v === e.value.value ? 'pass' : 'fail', observed: String(v) }];
    }
    case 'expect_defio_pending': case 'expect_defio_written': {
      const pending = e.kind === 'expect_defio_pending';
      const flag = pending ? `pending ${e.value.value}` : `written ${e.indexes.map((n) => n.value).join(', ')}`;
      const obj = t.objects.find((o) => o.name === e.obj.name);
      if (!obj || !obj.realisable) return [na(e.obj.name, flag, obj?.reason ?? `no object ${e.obj.name}`)];
      const miss = missingProbes(c.probes, 'defio');
      if (miss || !ks) return [na(e.obj.name, flag, miss ?? (res.traceLost ? 'the kprobe trace lost events (ring buffer overflow)' : 'no kprobe trace for this scenario'))];
      if (pending) {
        const n = ks.before.pending.length;
        return [{ subject: e.obj.name, flag, verdict: n === e.value.value ? 'pass' : 'fail', observed: `${n} [${ks.before.pending.join(', ')}]` }];
      }
      const got = ks.before.lastWritten;
      const want = e.indexes.map((n) => n.value);
      const ok = !!got && got.length === want.length && got.every((v, i) => v === want[i]);
      return [{ subject: e.obj.name, flag, verdict: ok ? 'pass' : 'fail', observed: got ? got.join(', ') || 'nothing' : 'the work has not run' }];
    }
    default:
      return [na('', e.kind.replace('expect_', ''), 'not visible from user space')];
  }
}

/** The PTE value the mms/vnp probe saw for (process, address) during this step's pagemap read. */
export function pteAt(sr: OracleStepResult, pid: number | undefined, addr: number): KPte | undefined {
  return sr.kernel?.ptes.find((p) => p.owner === pid && p.addr === addr);
}

/** write / dirty / young of a page from the PTE value (false when no PTE is present). */
export function pteFlagFromTrace(kind: 'write' | 'dirty' | 'young', present: boolean, pte: KPte | undefined, savedDirty: number | null): boolean | null {
  if (!present) return false;
  if (!pte) return null;
  return pteBits(pte.pte, savedDirty)[kind];
}
