// Results of the real-kernel oracle: typed per scenario and per statement, made from
// the guest's "ORACLE {json}" lines and the translation that produced the program.
//
// Join key for a comparison with the engine: (scenario name, statement index — or its
// 0-based line —, process, mapping label, page index within the mapping). See
// `pageAt()`. PFNs differ from boot to boot (page allocator shuffling): compare them
// only for equality inside one scenario, through `pfnId`.

import { errorCheck, vmaChecks } from './vmaChecks';
import { procFolioChecks } from './procFolioChecks';
import type { ExpectFolio, ExpectPte, Scenario, StatementKind } from '../language/ast';
import type { Observability, OracleAccess, OracleStep, OracleTranslation } from './translate';
import { type KEvent, type KStep, type ProbeStatus, assembleTrace, missingProbes, parseTraceLine, savedDirtyBit } from './kprobes';
import { type KStepState, kernelStates } from './kstate';
import { pteAt, pteFlagFromTrace, traceChecks } from './traceExpect';

// kpageflags bits (include/uapi/linux/kernel-page-flags.h)
export const KPF = {
  LOCKED: 0, REFERENCED: 2, UPTODATE: 3, DIRTY: 4, LRU: 5, ACTIVE: 6, WRITEBACK: 8,
  MMAP: 11, ANON: 12, SWAPBACKED: 14, ZERO_PAGE: 24,
} as const;
const bit = (v: number, b: number): boolean => Math.floor(v / 2 ** b) % 2 === 1;

export interface OracleFolio {
  /** raw kpageflags (bits below 53) */
  flags: number;
  dirty: boolean;
  writeback: boolean;
  uptodate: boolean;
  lru: boolean;
  anon: boolean;
  referenced: boolean;
  /** kpagecount: page_mapcount() */
  mapcount: number;
}

/** One page of one mapping after a step, as /proc/PID/pagemap and kpageflags show it. */
export interface OraclePage {
  proc: string;
  /** OracleMapping.index, or -1 when no mapping covers the address */
  mapping: number;
  label: string | null;
  /** page index within the mapping, counted from its original start */
  page: number;
  addr: number;
  present: boolean;
  swapped: boolean;
  /** pagemap "file-page or shared-anon" (not anonymous, not the zero page) */
  file: boolean;
  /** pagemap "exclusively mapped" (page_mapcount == 1) */
  exclusive: boolean;
  /** pagemap soft-dirty: the PTE's bit, or VM_SOFTDIRTY of the VMA (see OracleVma.vmFlags 'sd') */
  softDirty: boolean;
  uffdWp: boolean;
  /** 0 when not present. Differs between boots. */
  pfn: number;
  /** run-local identity of the PFN: 1, 2, ... in order of first sight in the scenario */
  pfnId: number | null;
  zeroPage: boolean;
  folio: OracleFolio | null;
}

/** One VMA from /proc/PID/smaps (sizes in kB). */
export interface OracleVma {
  proc: string;
  mapping: number;
  start: number;
  end: number;
  rss: number; pss: number;
  sharedClean: number; sharedDirty: number; privateClean: number; privateDirty: number;
  referenced: number; anonymous: number;
  vmFlags: string[];
  /** the permissions column of the header (`rw-s`) and its offset in bytes (0 for private anon) */
  perms?: string;
  offset?: number;
  /** the header's inode (0: no file, so the offset column is 0 whatever vm_pgoff is) */
  inode?: number;
}

export type OracleSignal = 'SIGSEGV' | 'SIGBUS' | null;

/** an access (as translated) and what the kernel made of it */
export interface OracleAccessResult extends OracleAccess {
  /** ru_minflt + ru_majflt over the access */
  faults: number;
  minflt: number;
  majflt: number;
  signal: OracleSignal;
  us: number;
  /** ms since the scenario started (guest CLOCK_MONOTONIC) */
  ms: number;
}

export interface OracleOp { proc: string | null; op: string; ret: number; errno: number; us: number }

/** An object page probed from the driver: page-cache residency (mincore), PFN, folio. */
export interface OracleObjPage {
  obj: string;
  index: number;
  /** null for /dev/fb0 (no page cache) */
  resident: boolean | null;
  pfn: number;
  pfnId: number | null;
  folio: OracleFolio | null;
}

export type CheckVerdict = 'pass' | 'fail' | 'not-observable';

export interface OracleCheck {
  /** e.g. "a m[0..3]", "data[0]", "a" */
  subject: string;
  /** as written: "present", "!write", "maps data[0]", "faults 2", "signal SIGBUS" */
  flag: string;
  verdict: CheckVerdict;
  /** what the real kernel showed (per page for a range) */
  observed?: string;
  reason?: string;
}

export interface OracleExpectationResult { verdict: CheckVerdict; checks: OracleCheck[] }

export interface OracleError { step: number; proc: string | null; what: string; errno: number }

export type StepStatus = 'observed' | 'not-observable' | 'not-run';

export interface OracleStepResult {
  index: number;
  line: number;
  kind: StatementKind;
  observable: Observability;
  reason?: string;
  taintedBy: number[];
  /** observed: it ran (or is answered from what ran); not-run: the guest never got there */
  status: StepStatus;
  /** ms since the scenario started, when the step began */
  tMs: number | null;
  accesses: OracleAccessResult[];
  pages: OraclePage[];
  vmas: OracleVma[];
  objPages: OracleObjPage[];
  ops: OracleOp[];
  /** cumulative faults (measured accesses) of each live process after the step */
  faults: Record<string, number>;
  /** the signal each live process's last access raised */
  lastSignal: Record<string, OracleSignal>;
  errors: OracleError[];
  expectation?: OracleExpectationResult;
  /** what the kprobe events recorded during the step (absent: the kernel ran without them) */
  kernel?: KStep;
  /** object pages whose PG_dirty/PG_writeback are not compared (translate.ts OracleStep.dirtyTaint) */
  dirtyTaint?: { obj: string; index: number; line: number }[];
}

export interface OracleScenarioResult {
  name: string;
  index: number;
  status: 'ok' | 'failed' | 'not-run';
  scenarioKernel: string;
  steps: OracleStepResult[];
  errors: OracleError[];
  /** fault counting self-check per process: an empty window and a caught SIGSEGV (both must be 0) */
  calibration: { proc: string; empty: number; signal: number }[];
  objects: { name: string; kind: string; pages: number; resident?: number; fbId?: string; smemLen?: number }[];
  /** guest ms from driver start to end */
  ms: number | null;
  summary: { pass: number; fail: number; notObservable: number };
  /** the translation's mappings (addresses, labels): they name the VMAs of kernel walks */
  mappings: OracleTranslation['mappings'];
  /** the realised fbdev (from the translation, not from the guest's objinit record), or null */
  fbObject: string | null;
  /** the kprobe trace lost events (ring buffer overflow): no trace value of it is used */
  traceLost?: boolean;
  /** uname -r of the kernel that ran it ('' when unknown) */
  release: string;
  /** process name -> pid in the guest (the kprobe events name VMAs by their owner's tgid) */
  pids: Record<string, number>;
  /** the kernel state the kprobe trace shows before/after each step (null: no probes) */
  kstates: KStepState[] | null;
}

export interface OracleRunInfo {
  release: string;
  version: string;
  zeroPfn: number;
  faultAroundBytes: number;
  fb: { id: string; smemLen: number } | null;
  /** guest uptime (s) when /init started the oracle, and when it finished */
  bootS: number | null;
  doneS: number | null;
  /** the kprobe events of this boot (null: booted without them) */
  probes: ProbeStatus[] | null;
}

// ------------------------------------------------------------------- raw records

/* eslint-disable @typescript-eslint/no-explicit-any */
type Rec = Record<string, any>;

/** The JSON objects of the "ORACLE " lines of a serial log, and how many did not parse. */
export function parseOracleLines(log: string): { records: Rec[]; garbled: string[] } {
  const records: Rec[] = [];
  const garbled: string[] = [];
  for (const raw of log.split('\n')) {
    const line = raw.replace(/\r/g, '');
    const k = line.indexOf('ORACLE-K ');
    if (k >= 0) { records.push({ t: 'k', line: line.slice(k + 9) }); continue; }
    const at = line.indexOf('ORACLE {');
    if (at < 0) continue;
    const text = line.slice(at + 7).trim();
    try { records.push(JSON.parse(text)); } catch { garbled.push(text); }
  }
  return { records, garbled };
}

function folioOf(kf: number, mc: number): OracleFolio {
  return {
    flags: kf, dirty: bit(kf, KPF.DIRTY), writeback: bit(kf, KPF.WRITEBACK), uptodate: bit(kf, KPF.UPTODATE),
    lru: bit(kf, KPF.LRU), anon: bit(kf, KPF.ANON), referenced: bit(kf, KPF.REFERENCED), mapcount: mc,
  };
}

const SIGNALS: Record<number, OracleSignal> = { 0: null, 7: 'SIGBUS', 11: 'SIGSEGV' };

/** Build the results of one scenario from its records (those between its scn and scn_end). */
export function scenarioResult(t: OracleTranslation, recs: Rec[], run: OracleRunInfo | null, scn?: Scenario): OracleScenarioResult {
  const procName = (i: number): string | null => (i >= 0 && i < t.processes.length ? t.processes[i].name : null);
  const objName = (i: number): string => t.objects.find(o => o.index === i)?.name ?? `#${i}`;
  const pfnIds = new Map<number, number>();
  const pfnId = (pfn: number): number | null => {
    if (!pfn) return null;
    let id = pfnIds.get(pfn);
    if (id === undefined) pfnIds.set(pfn, (id = pfnIds.size + 1));
    return id;
  };
  const zero = run?.zeroPfn ?? -1;
  const started = recs.some(r => r.t === 'scn');
  const ended = recs.find(r => r.t === 'scn_end');
  const errors: OracleError[] = [];
  const calibration: OracleScenarioResult['calibration'] = [];
  const objects: OracleScenarioResult['objects'] = [];
  const byStep = new Map<number, Rec[]>();
  const pids: Record<string, number> = {};
  const scnRec = recs.find(r => r.t === 'scn');
  const traceLines: string[] = [];
  for (const r of recs) {
    if (r.t === 'pid') { const n = procName(r.p); if (n) pids[n] = r.pid; }
    if (r.t === 'k') { traceLines.push(r.line); continue; }
    if (r.t === 'err') errors.push({ step: r.s, proc: procName(r.p), what: r.what, errno: r.errno });
    if (r.t === 'cal') calibration.push({ proc: procName(r.p) ?? '?', empty: r.empty, signal: r.sig });
    if (r.t === 'objinit') {
      objects.push({ name: objName(r.o), kind: r.kind, pages: r.pages, resident: r.resident, fbId: r.id, smemLen: r.smem });
    }
    if (typeof r.s === 'number' && r.s >= 0) {
      let l = byStep.get(r.s);
      if (!l) byStep.set(r.s, (l = []));
      l.push(r);
    }
  }
  const lastStepRun = Math.max(-1, ...[...byStep.keys()]);

  let faults: Record<string, number> = {};
  const lastSignal: Record<string, OracleSignal> = {};
  const steps: OracleStepResult[] = t.steps.map((st: OracleStep) => {
    const rs = byStep.get(st.index) ?? [];
    const res: OracleStepResult = {
      index: st.index, line: st.line, kind: st.kind, observable: st.observable, reason: st.reason,
      taintedBy: st.taintedBy, dirtyTaint: st.dirtyTaint, status: 'observed', tMs: null, accesses: [], pages: [], vmas: [], objPages: [], ops: [],
      faults, lastSignal: { ...lastSignal }, errors: [],
    };
    for (const r of rs) {
      switch (r.t) {
        case 'st': res.tMs = r.ms; break;
        case 'acc': {
          const plan = st.accesses.find(a => a.addr === r.a);
          const proc = procName(r.p) ?? '?';
          const sig = SIGNALS[r.sig] ?? null;
          res.accesses.push({
            proc, mapping: plan?.mapping ?? null, label: plan?.label ?? null, page: plan?.page ?? (r.i >= 0 ? r.i : null),
            addr: r.a, write: r.w === 1, faults: r.min + r.maj, minflt: r.min, majflt: r.maj, signal: sig, us: r.us, ms: r.ms,
          });
          lastSignal[proc] = sig;
          break;
        }
        case 'op': res.ops.push({ proc: procName(r.p), op: r.op, ret: r.ret, errno: r.errno, us: r.us }); break;
        case 'pm': {
          const m = t.mappings[r.m];
          const proc = procName(r.p) ?? '?';
          (r.f as number[]).forEach((f, i) => {
            const addr = r.a + i * 4096;
            const pfn = r.pfn[i] as number;
            const present = (f & 1) !== 0;
            res.pages.push({
              proc, mapping: m ? m.index : -1, label: m?.label ?? null,
              page: m ? (addr - m.addr) / 4096 : i,
              addr, present, swapped: (f & 2) !== 0, file: (f & 4) !== 0, exclusive: (f & 8) !== 0,
              softDirty: (f & 16) !== 0, uffdWp: (f & 32) !== 0,
              pfn, pfnId: present ? pfnId(pfn) : null,
              zeroPage: present && (pfn === zero || bit(r.kf[i], KPF.ZERO_PAGE)),
              folio: present && pfn ? folioOf(r.kf[i], r.mc[i]) : null,
            });
          });
          break;
        }
        case 'sm':
          for (const v of r.v as Rec[]) {
            const proc = procName(r.p) ?? '?';
            if (res.vmas.some(x => x.proc === proc && x.start === v.a && x.end === v.e)) continue;   // chunked snapshots
            res.vmas.push({
              proc, mapping: r.m, start: v.a, end: v.e, rss: v.rss, pss: v.pss,
              sharedClean: v.sc, sharedDirty: v.sd, privateClean: v.pc, privateDirty: v.pd,
              referenced: v.ref, anonymous: v.anon, vmFlags: String(v.vf).split(' ').filter(Boolean),
              ...(typeof v.pr === 'string' ? { perms: v.pr, offset: Number(v.off), inode: Number(v.ino) } : {}),
            });
          }
          break;
        case 'obj':
          res.objPages.push({
            obj: objName(r.o), index: r.i, resident: r.res < 0 ? null : r.res === 1, pfn: r.pfn, pfnId: pfnId(r.pfn),
            folio: r.pfn ? folioOf(r.kf, r.mc) : null,
          });
          break;
        case 'flt': {
          const f: Record<string, number> = {};
          (r.n as number[]).forEach((n, i) => { if (n >= 0) f[t.processes[i].name] = n; });
          faults = f;
          res.faults = f;
          break;
        }
        case 'err': res.errors.push({ step: r.s, proc: procName(r.p), what: r.what, errno: r.errno }); break;
        default: break;
      }
    }
    res.lastSignal = { ...lastSignal };
    for (const p of Object.keys(res.lastSignal)) if (!(p in faults)) delete res.lastSignal[p];
    if (st.observable === 'no') res.status = 'not-observable';
    else if (!started || ((!ended || ended.failed) && st.index > lastStepRun)) res.status = 'not-run';
    return res;
  });

  let kstates: KStepState[] | null = null;
  // the ring buffer overflowed ("CPU:0 [LOST N EVENTS]"): walks may be incomplete, so none is used
  const traceLost = traceLines.some(l => /\[LOST \d+ EVENTS\]/.test(l));
  if (run?.probes && scnRec && !traceLost) {
    const t0 = Number(scnRec.t0);
    const events = traceLines.map(l => parseTraceLine(l, t0)).filter((e): e is KEvent => e !== null);
    const trace = assembleTrace(events, new Set([Number(scnRec.pid), ...Object.values(pids)]));
    for (const sr of steps) if (sr.status !== 'not-run') sr.kernel = trace.steps.get(sr.index) ?? { walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [] };
    kstates = kernelStates(steps.map(sr => sr.kernel));
  }
  const result: OracleScenarioResult = {
    name: t.name, index: t.index, status: !started ? 'not-run' : ended && !ended.failed && errors.length === 0 ? 'ok' : 'failed',
    scenarioKernel: t.scenarioKernel, steps, errors, calibration, objects, ms: ended?.ms ?? null,
    summary: { pass: 0, fail: 0, notObservable: 0 }, pids, kstates, mappings: t.mappings, release: run?.release ?? '',
    fbObject: t.objects.find(o => o.kind === 'fbdev' && o.realisable)?.name ?? null,
    ...(traceLost ? { traceLost } : {}),
  };
  if (scn) evaluateExpectations(result, t, scn, run);
  return result;
}

// -------------------------------------------------------------- expectations

function combine(checks: OracleCheck[]): CheckVerdict {
  if (checks.some(c => c.verdict === 'fail')) return 'fail';
  return checks.some(c => c.verdict === 'pass') ? 'pass' : 'not-observable';
}

/** Evaluate the scenario's observable expectations against what the real kernel showed. */
export function evaluateExpectations(res: OracleScenarioResult, t: OracleTranslation, scn: Scenario, run: OracleRunInfo | null): void {
  for (const sr of res.steps) {
    const st = scn.statements[sr.index];
    if (!st || !st.kind.startsWith('expect_')) continue;
    let checks: OracleCheck[] = [];
    const na = (subject: string, flag: string, reason: string): OracleCheck => ({ subject, flag, verdict: 'not-observable', reason });
    if (sr.status === 'not-run') {
      sr.expectation = { verdict: 'not-observable', checks: [na('', st.kind, 'not run')] };
      continue;
    }
    switch (st.kind) {
      case 'expect_faults': {
        const n = sr.faults[st.proc.name];
        checks = [n === undefined
          ? na(st.proc.name, `faults ${st.value.value}`, 'no such process')
          : { subject: st.proc.name, flag: `faults ${st.value.value}`, verdict: n === st.value.value ? 'pass' : 'fail', observed: String(n) }];
        if (st.major && n !== undefined) {
          // the major faults of the accesses so far (the only faults a step measures one by one)
          const maj = res.steps.filter(x => x.index <= sr.index).flatMap(x => x.accesses).filter(a => a.proc === st.proc.name).reduce((s, a) => s + a.majflt, 0);
          checks.push({ subject: st.proc.name, flag: `major ${st.major.value}`, verdict: maj === st.major.value ? 'pass' : 'fail', observed: String(maj) });
        }
        break;
      }
      case 'expect_signal': {
        if (!(st.proc.name in sr.faults)) { checks = [na(st.proc.name, `signal ${st.signal}`, 'no such process')]; break; }
        const s = sr.lastSignal[st.proc.name] ?? null;
        const want = st.signal === 'none' ? null : st.signal;
        checks = [{ subject: st.proc.name, flag: `signal ${st.signal}`, verdict: s === want ? 'pass' : 'fail', observed: s ?? 'none' }];
        break;
      }
      case 'expect_pte': checks = ptechecks(st, sr, run, res); break;
      case 'expect_folio': checks = foliochecks(st, sr, t, res, run); break;
      case 'expect_vma': case 'expect_vmas': checks = vmaChecks(st, sr, t.steps[sr.index]); break;
      case 'expect_error': checks = errorCheck(st, sr, res.steps); break;
      case 'expect_pipe': {
        // the guest's o_pipe_check: 1 = the pipe's data changed since the splice, 0 = not
        const op = sr.ops.find(o => o.op === 'pipe');
        const flag = st.changed ? 'changed' : 'unchanged';
        checks = [!op || op.ret < 0 ? na(st.pipe.name, flag, op ? `the pipe could not be read (errno ${op.errno})` : 'not checked on the kernel')
          : { subject: st.pipe.name, flag, verdict: (op.ret === 1) === st.changed ? 'pass' : 'fail', observed: op.ret === 1 ? 'changed' : 'unchanged' }];
        break;
      }
      case 'expect_pin': {
        // the guest's o_pin_check: 1 = the pinned pages' data changed since registering, 0 = not
        const op = sr.ops.find(o => o.op === 'pinchk');
        const flag = st.changed ? 'changed' : 'unchanged';
        checks = [!op || op.ret < 0 ? na(st.buf.name, flag, op ? `the pinned buffer could not be read (errno ${op.errno})` : 'not checked on the kernel')
          : { subject: st.buf.name, flag, verdict: (op.ret === 1) === st.changed ? 'pass' : 'fail', observed: op.ret === 1 ? 'changed' : 'unchanged' }];
        break;
      }
      case 'expect_walk': case 'expect_result': case 'expect_defio_pending': case 'expect_defio_written':
        checks = traceChecks(st, sr, { res, t, scn, probes: run?.probes ?? null });
        break;
      default:
        checks = [na('', st.kind.replace('expect_', ''), sr.reason ?? 'not visible from user space')];
    }
    if (sr.taintedBy.length) {
      // the engine ran statements here that the real kernel could not: a disagreement
      // is expected, not a finding
      const lines = sr.taintedBy.map(l => `L${l + 1}`).join(', ');
      for (const c of checks) {
        if (c.verdict !== 'fail') continue;
        c.verdict = 'not-observable';
        c.reason = `state diverged: ${lines} did not run on the real kernel`;
      }
    }
    sr.expectation = { verdict: combine(checks), checks };
  }
  for (const sr of res.steps) {
    if (!sr.expectation) continue;
    const v = sr.expectation.verdict;
    if (v === 'pass') res.summary.pass++;
    else if (v === 'fail') res.summary.fail++;
    else res.summary.notObservable++;
  }
}

function specText(st: ExpectPte): string {
  const p = st.pages;
  if (p.kind === 'addr') return `${st.proc.name} ${p.addr.text}`;
  return `${st.proc.name} ${p.target.name}[${p.first.value}${p.last ? `..${p.last.value}` : ''}]`;
}

function ptechecks(st: ExpectPte, sr: OracleStepResult, run: OracleRunInfo | null, res: OracleScenarioResult): OracleCheck[] {
  const noPte = missingProbes(run?.probes ?? null, 'pte');
  const subject = specText(st);
  const pages = sr.pages.filter(p => p.proc === st.proc.name);
  const checks: OracleCheck[] = [];
  for (const f of st.flags) {
    const name = f.kind === 'maps'
      ? `maps ${typeof f.target === 'string' ? f.target : `${f.target.obj.name}[${f.target.index.value}]`}`
      : f.kind === 'pfn' ? `pfn ${f.pfn.text}` : f.kind;
    const flag = (f.negated ? '!' : '') + name;
    if (pages.length === 0) { checks.push({ subject, flag, verdict: 'not-observable', reason: 'no observation' }); continue; }
    let reason: string | undefined;
    const values: (boolean | null)[] = pages.map(pg => {
      switch (f.kind) {
        case 'none': return !pg.present && !pg.swapped;
        case 'present': return pg.present;
        case 'swap': return pg.swapped;
        case 'softdirty': {
          const vma = sr.vmas.find(v => v.proc === pg.proc && pg.addr >= v.start && pg.addr < v.end);
          if (vma?.vmFlags.includes('sd')) { reason = 'the VMA has VM_SOFTDIRTY, so pagemap reports soft-dirty for every page'; return null; }
          return pg.softDirty;
        }
        case 'special': return pg.present && pg.zeroPage;   // the zero page is the only special PTE the oracle can map
        case 'maps': {
          if (!pg.present) return false;
          if (f.target === 'zero') return pg.zeroPage;
          if (f.target === 'anon') return !pg.zeroPage && (pg.folio ? pg.folio.anon : !pg.file);
          const target = f.target;
          const op = sr.objPages.find(o => o.obj === target.obj.name && o.index === target.index.value);
          if (!op) { reason = 'object page not probed'; return null; }
          return op.pfn !== 0 && op.pfn === pg.pfn;
        }
        case 'write': case 'dirty': case 'young': {
          if (noPte) { reason = `${f.kind}: ${noPte}`; return null; }
          const v = pteFlagFromTrace(f.kind, pg.present && !pg.swapped, pteAt(sr, res.pids[pg.proc], pg.addr), savedDirtyBit(run?.release ?? ''));
          if (v === null) reason = `${f.kind}: no PTE value recorded (mms/vnp) for ${pg.proc} 0x${pg.addr.toString(16)}`;
          return v;
        }
        default:
          reason = f.kind === 'pfn' ? 'PFN numbers are the engine\'s own; the real ones change every boot' : 'not visible from user space';
          return null;
      }
    });
    if (values.some(v => v === null)) { checks.push({ subject, flag, verdict: 'not-observable', reason }); continue; }
    const ok = values.every(v => (v as boolean) !== f.negated);
    checks.push({ subject, flag, verdict: ok ? 'pass' : 'fail', observed: values.map(v => (v ? '1' : '0')).join(',') });
  }
  return checks;
}

function foliochecks(st: ExpectFolio, sr: OracleStepResult, t: OracleTranslation, res: OracleScenarioResult, run: OracleRunInfo | null): OracleCheck[] {
  if (st.proc) return procFolioChecks(st, sr);
  const checks: OracleCheck[] = [];
  const plan = t.steps[sr.index]?.folioPtes ?? [];
  const noFolio = missingProbes(run?.probes ?? null, 'folio');
  // the fb's address_space: fb_deferred_io_fault's vmf->vma->vm_file->f_mapping, from any fault so far
  const fbMapping = res.steps.filter(x => x.index <= sr.index).flatMap(x => x.kernel?.faults ?? []).find(f => f.fmapping)?.fmapping ?? null;
  if (st.page.kind !== 'named') return [{ subject: '', flag: 'folio', verdict: 'not-observable', reason: 'needs OBJ[I]' }];
  const objName = st.page.target.name;
  const kind = t.objects.find(o => o.name === objName)?.kind;
  const first = st.page.first.value, last = st.page.last?.value ?? first;
  const subject = `${objName}[${first}${last !== first ? `..${last}` : ''}]`;
  for (const f of st.flags) {
    const flag = (f.negated ? '!' : '') + (f.kind === 'mapcount' ? `mapcount ${f.value.value}` : f.kind === 'index' ? `index ${f.value.value}`
      : f.kind === 'mapping' ? `mapping ${f.obj ? f.obj.name : 'none'}` : f.kind);
    let reason: string | undefined;
    const values: (boolean | null)[] = [];
    const seen: string[] = [];
    for (let i = first; i <= last; i++) {
      if (f.kind === 'mapping' || f.kind === 'index') {
        if (kind !== 'fbdev') { reason = `${f.kind}: struct page fields are visible only for an fbdev page (through vm_normal_page)`; values.push(null); continue; }
        if (noFolio) { reason = `${f.kind}: ${noFolio}`; values.push(null); continue; }
        const seenPte = plan.filter(p => p.index === i).map(p => pteAt(sr, res.pids[p.proc], p.addr)).find(p => p && p.page);
        if (!seenPte) { reason = `${f.kind}: no process maps ${objName}[${i}] present (the driver's own mapping would fault it in and change it)`; values.push(null); continue; }
        if (f.kind === 'index') { values.push(seenPte.index === f.value.value); seen.push(String(seenPte.index)); continue; }
        const isNull = !seenPte.mapping || Number.parseInt(seenPte.mapping, 16) === 0;
        if (!f.obj) { values.push(isNull); seen.push(isNull ? 'none' : seenPte.mapping ?? '?'); continue; }
        if (f.obj.name !== objName) { values.push(false); seen.push(isNull ? 'none' : 'the fb mapping'); continue; }
        if (!isNull && !fbMapping) { reason = 'mapping: the fb\'s address_space was not seen in a fault yet'; values.push(null); continue; }
        values.push(!isNull && seenPte.mapping === fbMapping); seen.push(isNull ? 'none' : seenPte.mapping === fbMapping ? objName : seenPte.mapping ?? '?');
        continue;
      }
      const op = sr.objPages.find(o => o.obj === objName && o.index === i);
      if (!op) { values.push(null); reason = 'not probed'; continue; }
      const cached = op.resident;
      switch (f.kind) {
        case 'cached':
          if (cached === null) { reason = 'no page cache (/dev/fb0)'; values.push(null); break; }
          values.push(cached); seen.push(cached ? '1' : '0'); break;
        case 'dirty': case 'writeback': {
          const dt = sr.dirtyTaint?.find(d => d.obj === objName && d.index === i);
          if (dt) { reason = `${f.kind}: L${dt.line + 1}'s mkclean was stood in by writeback, which cleaned the folio on the kernel (the engine keeps PG_dirty)`; values.push(null); break; }
          if (cached === false) { values.push(false); seen.push('0'); break; }
          if (!op.folio) { reason = 'PFN not found'; values.push(null); break; }
          values.push(op.folio[f.kind]); seen.push(op.folio[f.kind] ? '1' : '0'); break;
        }
        case 'mapcount': {
          const mc = cached === false ? 0 : op.folio?.mapcount;
          if (mc === undefined) { reason = 'PFN not found'; values.push(null); break; }
          values.push(mc === f.value.value); seen.push(String(mc)); break;
        }
        default:
          reason = `${(f as { kind: string }).kind}: not visible from user space`;
          values.push(null);
      }
    }
    if (values.some(v => v === null)) { checks.push({ subject, flag, verdict: 'not-observable', reason }); continue; }
    const ok = values.every(v => (v as boolean) !== f.negated);
    checks.push({ subject, flag, verdict: ok ? 'pass' : 'fail', observed: seen.join(',') });
  }
  return checks;
}

// ----------------------------------------------------------------------- joins

/** The oracle's view of one page after one statement: the join with the engine's trace. */
export function pageAt(res: OracleScenarioResult, stepIndex: number, proc: string, label: string, page: number): OraclePage | undefined {
  return res.steps[stepIndex]?.pages.find(p => p.proc === proc && p.label === label && p.page === page);
}

/** A stable key for (scenario, statement line, process, label, page). */
export function observationKey(scenario: string, line: number, proc: string, label: string | null, page: number): string {
  return `${scenario}:${line}:${proc}:${label ?? '-'}:${page}`;
}
