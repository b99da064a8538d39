// Engine vs real kernel, per statement (docs/real-kernel.md, "Comparison").
//
// `captureEngine()` runs the engine as the oracle kernel (its exact release, e.g. 6.1.192
// from oracle/release.ts, and the kernel's own fbdev deferred-I/O delay) and records,
// after every statement, what user space would see of the same pages the oracle looked
// at: cumulative faults (min+maj),
// last signal, and per page pagemap's present / zero page / file / exclusive /
// soft-dirty bits, the PFN's identity, and the folio's dirty / writeback / mapcount.
// `compareScenario()` is pure: it joins that with an `OracleScenarioResult` on
// (statement index, process, label, page) and gives a verdict per value:
// agree / differ (with both values) / not-observable (with the reason).

import type { Scenario, Statement } from '../language/ast';
import { runScenario, type RunResult } from '../scenario/run';
import { check } from '../language/checker';
import type { Kernel, Task } from '../engine/kernel';
import { PG_dirty, PG_writeback, ZERO_PFN, isHugeZeroPfn } from '../engine/memmap';
import { pte_dirty, pte_present, pte_soft_dirty, pte_special, pte_write, pte_young } from '../engine/pte';
import { VM_SOFTDIRTY } from '../engine/vma';
import { is_swap_pte, pte_swp_soft_dirty } from '../engine/swapEntry';
import type { RuleId } from '../engine/versions';
import type { OracleScenarioResult, OracleSignal } from './results';
import { missingProbes, pteBits, savedDirtyBit, type ProbeStatus } from './kprobes';
import { type EngineTraceStep, type TraceCompareCtx, compareRuns, compareTraceStep, engineTraceStep, fbTiming } from './compareTrace';
import { pteAt } from './traceExpect';

// ------------------------------------------------------------------ engine side

export interface EnginePage {
  proc: string; label: string | null; page: number; addr: number;
  present: boolean; zeroPage: boolean; file: boolean; exclusive: boolean; softDirty: boolean;
  /** pagemap PM_SWAP: the PTE holds a swap-type entry (a swap slot or a migration entry) */
  swapped: boolean;
  /** engine PFN (0 when not present); only compared for identity */
  pfn: number;
  folio: { dirty: boolean; writeback: boolean; mapcount: number; /** the page in a large folio (kpageflags COMPOUND_HEAD/TAIL) */ compound?: 'head' | 'tail' | null } | null;
  /** the page lies in an fbdev mapping (timing-sensitive) */
  fb: boolean;
  /** the PTE's write / dirty / young bits (false when not present) */
  pte: { write: boolean; dirty: boolean; young: boolean };
}

/** An object page as the engine has it: page-cache residency and the folio. */
export interface EngineObjPage {
  obj: string; index: number; fb: boolean; resident: boolean; pfn: number;
  folio: { dirty: boolean; writeback: boolean; mapcount: number } | null;
}

export interface EngineStep {
  index: number;
  /** false: the engine did not execute this statement nor any before it (no state) */
  captured: boolean;
  /** cumulative faults (min+maj) of every live process */
  faults: Record<string, number>;
  /** faults taken during this statement, per process */
  delta: Record<string, number>;
  lastSignal: Record<string, OracleSignal>;
  /** one per oracle page of this step (same order) */
  pages: (EnginePage | null)[];
  /** one per oracle object-page probe of this step (same order) */
  objPages?: (EngineObjPage | null)[];
  /** expectation outcome in the engine */
  expect?: { ok: boolean; message: string };
  skipped?: boolean;
  /** walks, result and fb_defio state (what the kprobes see of the statement) */
  trace?: EngineTraceStep;
  /** file / shmem statement: the object and its pages in the page cache */
  cached?: { obj: string; pages: number };
  /** sysctl fault_around_bytes: the value now */
  faultAroundBytes?: number;
  /** the swap device: usable slots (si->pages) and whether it is synchronous (zram) */
  swap?: { pages: number; sync: boolean };
  /** the engine gave pages back to the allocator during this statement (vmstat pgfree grew) */
  freed?: boolean;
}

export interface EngineCapture {
  kernel: string;
  fbDelayMs: number | null;
  notes: string[];
  steps: EngineStep[];
  exitStatus: number;
}

export interface CaptureOptions {
  /** the release the oracle booted, e.g. '6.1.192' (oracle/release.ts bootedRelease); the engine runs as it */
  kernel: string;
  /** engine rules the booted kernel has on top of that release (a patched build: the series kernel) */
  patches?: readonly RuleId[];
  /** the oracle kernel's fbdev deferred-I/O delay (48 ms at HZ=250) */
  fbDelayMs?: number;
}

/** /proc/kpagecount of a page (CONFIG_PAGE_MAPCOUNT): its PTE mappings + its folio's PMD mappings */
export function kpagecount(mm: Kernel['memmap'], pfn: number): number {
  return mm.mapcount[pfn] + mm.entireOf(mm.head(pfn));
}

/**
 * kpageflags' PG_dirty / PG_writeback of one page: from 6.9 ("proc: rewrite
 * stable_page_flags()") the folio's flags, so every page of a large folio shows them;
 * before (6.1 measured), page->flags of the page itself, where a tail never has them.
 */
export function kpfFolioFlag(k: Kernel, pfn: number, bit: number): boolean {
  const mm = k.memmap;
  const v = k.profile.version;
  if (v.major < 6 || (v.major === 6 && v.minor < 9)) return mm.head(pfn) === pfn && mm.test(pfn, bit);
  return mm.test(pfn, bit);
}

/**
 * pagemap's PM_MMAP_EXCLUSIVE of a mapped page (pagemap_pmd_range): page_mapcount() == 1 of
 * that page; but before 6.11 ("fs/proc/task_mmu: properly detect PM_MMAP_EXCLUSIVE per page
 * of PMD-mapped THPs"; 6.10 source tests pmd_page() once before the loop, 6.11.11 each page)
 * a PMD mapping reports its head page's answer for all 512 pages — measured on 6.1.192: a
 * THP another process maps by PTEs except the first page is "exclusive" in every page.
 */
export function pagemapExclusive(k: Kernel, pmdMapped: boolean, pfn: number): boolean {
  const mm = k.memmap, v = k.profile.version;
  const old = v.major < 6 || (v.major === 6 && v.minor < 11);
  return kpagecount(mm, pmdMapped && old ? mm.head(pfn) : pfn) === 1;
}

/** kpageflags COMPOUND_HEAD (15) / COMPOUND_TAIL (16) of a page: its place in a large folio */
export function compoundOf(mm: Kernel['memmap'], pfn: number): 'head' | 'tail' | null {
  return mm.order[pfn] ? (mm.head(pfn) === pfn ? 'head' : 'tail') : null;
}
export function kpfCompound(flags: number): 'head' | 'tail' | null {
  return flags & (1 << 15) ? 'head' : flags & (1 << 16) ? 'tail' : null;
}

function engineSignal(t: Task): OracleSignal { return t.lastSignal === 'none' ? null : t.lastSignal; }

function enginePage(k: Kernel, t: Task | undefined, proc: string, label: string | null, page: number, addr: number): EnginePage | null {
  if (!t || !t.alive) return null;
  const flags = t.mm.pteFlags(addr), pfn = t.mm.ptePfn(addr);
  const vma = t.mm.vma_lookup(addr);
  // a none PTE has no bits, so it is not present either
  const present = pte_present(flags);
  const mm = k.memmap;
  // pagemap_pmd_range → pte_to_pagemap_entry: page = vm_normal_page() (NULL for special PTEs)
  const normal = present && !pte_special(flags) && mm.pfnValid(pfn);
  // page_mapcount() (kpagecount, pagemap's PM_MMAP_EXCLUSIVE): the page's PTE mappings plus
  // its large folio's PMD mappings
  const mapcount = normal ? kpagecount(mm, pfn) : 0;
  return {
    // pte_to_pagemap_entry: PM_SWAP for every non-present swap-type PTE (is_swap_pte), a
    // migration entry included
    proc, label, page, addr, present, swapped: !present && is_swap_pte(flags), zeroPage: present && (pfn === ZERO_PFN || isHugeZeroPfn(pfn)),
    file: normal && !mm.folioTestAnon(pfn),
    exclusive: normal && pagemapExclusive(k, t.mm.isPmdMapped(addr), pfn),
    // pagemap reports VM_SOFTDIRTY of the VMA for every page, holes included; a present
    // PTE's soft-dirty bit, and a swap or migration entry's (pte_swp_soft_dirty; a none
    // PTE has no bits)
    softDirty: (!!vma && (vma.flags & VM_SOFTDIRTY) !== 0) || (present ? pte_soft_dirty(flags) : pte_swp_soft_dirty(flags)),
    pfn: present ? pfn : 0,
    folio: normal ? { dirty: kpfFolioFlag(k, pfn, PG_dirty), writeback: kpfFolioFlag(k, pfn, PG_writeback), mapcount, compound: compoundOf(mm, pfn) } : null,
    fb: vma?.file?.kind === 'fbdev',
    pte: { write: present && pte_write(flags), dirty: present && pte_dirty(flags), young: present && pte_young(flags) },
  };
}

function engineObjPage(k: Kernel, name: string, index: number): EngineObjPage | null {
  const as = [...k.objects.values()].find((o) => o.name === name);
  if (!as) return null;
  const fb = as.kind === 'fbdev';
  const pfn = k.pfnOf(as, index);
  const mm = k.memmap;
  // pfnOf() is 0 for no page, and PFN 0 is never a valid page (pfn_valid(0) is false)
  const has = mm.pfnValid(pfn);
  return {
    obj: name, index, fb, resident: fb ? has : as.folioAt(index) !== 0, pfn: has ? pfn : 0,
    folio: has ? { dirty: kpfFolioFlag(k, pfn, PG_dirty), writeback: kpfFolioFlag(k, pfn, PG_writeback), mapcount: kpagecount(mm, pfn) } : null,
  };
}

/** The scenario with every fbdev's `delay` set to ms (the engine then runs as the real kernel). */
export function withFbDelay(scenario: Scenario, ms: number): { scenario: Scenario; changed: { line: number; from: number }[] } {
  const changed: { line: number; from: number }[] = [];
  const statements = scenario.statements.map((s): Statement => {
    if (s.kind !== 'fbdev') return s;
    const from = s.delay?.ms ?? 50;
    if (from === ms) return s;
    changed.push({ line: s.range.start.line, from });
    return { ...s, delay: { ms, range: s.delay?.range ?? s.range } };
  });
  return { scenario: { ...scenario, statements }, changed };
}

/**
 * Run the engine as the oracle's kernel and record, after each statement, the state of
 * the pages the oracle observed at that statement.
 */
export function captureEngine(scenario: Scenario, oracle: OracleScenarioResult, opts: CaptureOptions): EngineCapture {
  const notes: string[] = [];
  let scn = scenario;
  if (opts.fbDelayMs !== undefined) {
    const w = withFbDelay(scenario, opts.fbDelayMs);
    scn = w.scenario;
    for (const c of w.changed) {
      notes.push(`L${c.line + 1}: fbdev delay ${c.from} ms in the scenario; the engine ran with the real kernel's ${opts.fbDelayMs} ms`);
    }
  }
  const n = scn.statements.length;
  const index = new Map<Statement, number>();
  scn.statements.forEach((s, i) => index.set(s, i));
  const steps: EngineStep[] = scn.statements.map((_, i) => ({
    index: i, captured: false, faults: {}, delta: {}, lastSignal: {}, pages: (oracle.steps[i]?.pages ?? []).map(() => null),
  }));
  const invalid = check(scn).invalid;
  let prev: Record<string, number> = {};
  let pgfree = 0;
  const fbName = oracle.fbObject;
  const snap = (k: Kernel, i: number, delta: Record<string, number>, trace?: EngineTraceStep) => {
    const byName = new Map<string, Task>();
    for (const t of k.tasks.values()) if (t.alive) byName.set(t.name, t);
    const faults: Record<string, number> = {};
    const lastSignal: Record<string, OracleSignal> = {};
    for (const [name, t] of byName) { faults[name] = t.minFlt + t.majFlt; lastSignal[name] = engineSignal(t); }
    const os = oracle.steps[i];
    steps[i] = {
      index: i, captured: true, faults, delta, lastSignal,
      pages: (os?.pages ?? []).map((p) => enginePage(k, byName.get(p.proc), p.proc, p.label, p.page, p.addr)),
      objPages: (os?.objPages ?? []).map((o) => engineObjPage(k, o.obj, o.index)),
      trace, faultAroundBytes: k.faultAroundBytes,
      swap: k.swap ? { pages: k.swap.totalSwapPages, sync: k.swap.sync } : undefined,
    };
    const st = scn.statements[i];
    if (st.kind === 'file' || st.kind === 'shmem') {
      const as = [...k.objects.values()].find((o) => o.name === st.name.name);
      if (as) { let c = 0; for (let p = 0; p < as.sizePages; p++) if (as.folioAt(p) !== 0) c++; steps[i].cached = { obj: as.name, pages: c }; }
    }
    return faults;
  };
  const r: RunResult = runScenario(scn, [], {
    kernelOverride: opts.kernel,
    kernelPatches: opts.patches,
    onStep: (s, step, k) => {
      const i = index.get(s);
      if (i === undefined) return;
      const now: Record<string, number> = {};
      for (const t of k.tasks.values()) now[t.name] = t.minFlt + t.majFlt;
      const delta: Record<string, number> = {};
      for (const [p, v] of Object.entries(now)) if (v !== (prev[p] ?? 0)) delta[p] = v - (prev[p] ?? 0);
      prev = now;
      const tr = engineTraceStep(k, step, fbName);
      snap(k, i, delta, tr);
      if (k.memmap.pgfree !== pgfree) { steps[i].freed = true; pgfree = k.memmap.pgfree; }
      // statements the engine does not execute (expectations, refused lines) see this state
      for (let j = i + 1; j < n; j++) {
        const sj = scn.statements[j];
        if (!sj.kind.startsWith('expect_') && !invalid.has(sj)) break;
        snap(k, j, {}, { walks: [], fb: tr.fb });
      }
    },
  });
  // one run step per statement of scn, as steps has
  for (const s of r.steps) {
    const st = steps[s.index];
    if (s.expect) st.expect = { ok: s.expect.ok, message: s.expect.message };
    if (s.skipped) st.skipped = true;
  }
  return { kernel: r.kernel.toString(), fbDelayMs: opts.fbDelayMs ?? null, notes, steps, exitStatus: r.exitStatus };
}
// ---------------------------------------------------------------- comparison

export type Verdict = 'agree' | 'differ' | 'not-observable';

export interface ValueComparison {
  /** e.g. "faults a", "signal a", "a m[0..3]", "expect" */
  subject: string;
  /** e.g. "faults", "present", "pages" */
  field: string;
  engine: string;
  kernel: string;
  verdict: Verdict;
  reason?: string;
}

export interface StepComparison {
  index: number;
  /** 1-based source line */
  line: number;
  text: string;
  kind: string;
  verdict: Verdict;
  reason?: string;
  values: ValueComparison[];
  /**
   * A directive, not an outcome: `kernel V` (picks the model; the engine runs at the booted
   * release instead) and an fbdev/shmem declaration with nothing to compare (it creates an
   * object with no pages; its `delay`/`sorted` are settings). Such a row is listed, and
   * counted in `summary.directives`, never in `summary.notObservable`.
   */
  directive?: boolean;
}

export interface ScenarioComparison {
  name: string;
  kernel: string;
  fbDelayMs: number | null;
  notes: string[];
  steps: StepComparison[];
  summary: { agree: number; differ: number; notObservable: number; directives: number };
}

export interface CompareOptions {
  /** source lines, for the statement text */
  lines?: string[];
  /** "no fault" is asserted only below this distance to an arming write (ms); default 30 */
  fbQuietMs?: number;
  /** "faults again" is asserted only from this distance on (ms); default 100 */
  fbAgainMs?: number;
  /** the kprobe events of the boot (run.probes); null/absent: no walks, results, defio, PTE values */
  probes?: ProbeStatus[] | null;
}

const b = (v: boolean): string => (v ? '1' : '0');

/** Per-page code: '-' not present ('-s' soft-dirty hole), S a swap entry (pagemap PM_SWAP; 'Ss' soft-dirty); Z zero page, F file/shmem, A anon; x exclusive, s soft-dirty; D dirty, W writeback, mN mapcount. */
export function pageCode(p: { present: boolean; swapped: boolean; zeroPage: boolean; file: boolean; exclusive: boolean; softDirty: boolean;
  folio: { dirty: boolean; writeback: boolean; mapcount: number } | null }): string {
  if (!p.present) return `${p.swapped ? 'S' : '-'}${p.softDirty ? 's' : ''}`;
  let c = p.zeroPage ? 'Z' : p.file ? 'F' : 'A';
  if (p.exclusive) c += 'x';
  if (p.softDirty) c += 's';
  if (p.folio && !p.zeroPage) c += `${p.folio.dirty ? 'D' : ''}${p.folio.writeback ? 'W' : ''}m${p.folio.mapcount}`;
  return c;
}

function combine(vs: Verdict[]): Verdict {
  if (vs.includes('differ')) return 'differ';
  return vs.includes('agree') ? 'agree' : 'not-observable';
}

/** Join one scenario's engine capture with the oracle's results. Pure. */
export function compareScenario(oracle: OracleScenarioResult, engine: EngineCapture, opts: CompareOptions = {}): ScenarioComparison {
  const quiet = opts.fbQuietMs ?? 30, again = opts.fbAgainMs ?? 100;
  const text = (line: number) => (opts.lines?.[line] ?? '').replace(/#.*/, '').trim();
  // PFN identity: the first observation (key) each PFN was seen at, on each side
  const firstK = new Map<number, string>(), firstE = new Map<number, string>();
  // fb write accesses that faulted on the kernel: each may have armed the deferred work
  const arms: number[] = [];
  // processes whose fault count went through a timing window (cumulative counts unreliable)
  const timingProcs = new Set<string>();
  const rows: StepComparison[] = [];
  const probes = opts.probes ?? null;
  const tctx: TraceCompareCtx = {
    oracle, mappings: oracle.mappings, quiet, again,
    noWalk: missingProbes(probes, 'walk'), noResult: missingProbes(probes, 'result'), noDefio: missingProbes(probes, 'defio'),
    noRmWalk: missingProbes(probes, 'reclaimWalk') ?? missingProbes(probes, 'migrateWalk'),
  };
  const noPte = missingProbes(probes, 'pte');
  // fb writes on the kernel (ms), and the deferred-work runs compared by their number
  const fbWrites: number[] = [];
  for (const os of oracle.steps) {
    const es = engine.steps[os.index];
    for (const a of os.accesses) if (a.write && es?.pages.some((ep) => ep?.fb && ep.addr === a.addr && ep.proc === a.proc)) fbWrites.push(a.ms);
  }
  tctx.mappings = oracle.mappings;
  const runVals = oracle.kstates ? compareRuns(oracle, engine.steps.map((e) => e.trace), tctx, fbWrites) : new Map<number, ValueComparison[]>();
  let engineRunsBefore = 0;

  for (const os of oracle.steps) {
    const es = engine.steps[os.index];
    const row: StepComparison = { index: os.index, line: os.line + 1, text: text(os.line), kind: os.kind, verdict: 'not-observable', values: [] };
    rows.push(row);
    // page identity is by PFN, and a freed PFN is handed out again (at once from the per-CPU
    // free lists, LIFO: found by the fuzz on the series kernel, an exited process's shmem page
    // came back as another's anon page; on 6.1 a page reclaimed to zram by MADV_PAGEOUT came
    // back as the folio its own swap-in allocated). After a statement that frees pages (exit,
    // munmap, or any the engine freed a page in) a PFN seen before identifies nothing: both
    // sides start afresh.
    if (os.kind === 'exit' || os.kind === 'munmap' || es?.freed) { firstK.clear(); firstE.clear(); }
    if (os.status === 'not-run') { row.reason = 'not run on the real kernel'; continue; }
    if (os.kind === 'kernel') { row.reason = `directive: ${os.reason ?? 'picks the model'}`; row.directive = true; continue; }
    // the engine stopped before it (a run budget): the first reason, whatever the kernel did
    if (!es || !es.captured) { row.reason = 'the engine did not run this statement'; continue; }
    if (os.observable === 'no') { row.reason = `no user-space trigger: ${os.reason ?? 'not observable'}`; continue; }
    const taint = os.taintedBy.length ? `tainted: ${os.taintedBy.map((l) => `L${l + 1}`).join(', ')} did not run on the real kernel` : undefined;
    const vals = row.values;
    // fb_defio timing: both sides completed the same number of runs at the statement's start,
    // and at its end (its observations are made during it: a run may land in between)?
    const ks = oracle.kstates?.[os.index];
    const endMs = oracle.steps.find((x) => x.index > os.index && x.tMs !== null)?.tMs ?? oracle.ms ?? os.tMs ?? 0;
    const fbWins = ks && es.trace?.fb ? [fbTiming(ks.before, engineRunsBefore, os.tMs ?? 0, { again }), fbTiming(ks.after, es.trace.fb.runs, endMs, { again })] : [];
    const fbReason = fbWins.find((w): w is string => typeof w === 'string' && w !== 'differ');
    if (oracle.kstates) {
      for (const v of compareTraceStep(os, es.trace, tctx, engineRunsBefore)) vals.push(taint && v.verdict === 'differ' ? { ...v, verdict: 'not-observable', reason: `${taint} (${v.reason})` } : v);
      for (const v of runVals.get(os.index) ?? []) vals.push(v);
    }
    if (es.trace?.fb) engineRunsBefore = es.trace.fb.runs;

    // --- declarations with an outcome: the process starts with no faults, a file's pages are
    // cached (or not: cold), fault_around_bytes reads back as set
    if (os.kind === 'process' && es.faults) {
      const p = Object.keys(os.faults).find((x) => !(x in (engine.steps[os.index - 1]?.faults ?? {}))) ?? Object.keys(os.faults).pop();
      if (p !== undefined) vals.push({ subject: p, field: 'faults', engine: String(es.faults[p] ?? '?'), kernel: String(os.faults[p]), verdict: es.faults[p] === os.faults[p] ? 'agree' : 'differ' });
    }
    if ((os.kind === 'file' || os.kind === 'shmem') && es.cached !== undefined) {
      const ob = oracle.objects.find((o) => o.name === es.cached?.obj);
      if (ob?.resident !== undefined && ob.resident >= 0) {
        vals.push({ subject: ob.name, field: 'cached', engine: `${es.cached.pages} pages`, kernel: `${ob.resident} pages`, verdict: es.cached.pages === ob.resident ? 'agree' : 'differ' });
      }
    }
    if (os.kind === 'sysctl' && es.faultAroundBytes !== undefined) {
      const op = os.ops.find((o) => o.op === 'fault_around_bytes');
      if (op) vals.push({ subject: 'fault_around_bytes', field: 'sysctl', engine: String(es.faultAroundBytes), kernel: String(op.ret), verdict: es.faultAroundBytes === op.ret ? 'agree' : 'differ' });
    }
    // sysctl swap pages N [sync]: the device swapon made, as /proc/swaps lists it (si->pages:
    // the header page is not a slot), on a disk or on zram
    const swapOp = os.kind === 'sysctl' ? os.ops.find((o) => o.op.startsWith('swap_pages_')) : undefined;
    if (swapOp) {
      const dev = (sync: boolean) => (sync ? 'zram' : 'file');
      const e = es.swap ? `${es.swap.pages} slots on ${dev(es.swap.sync)}` : 'none';
      const kn = swapOp.ret < 0 ? 'not listed' : `${swapOp.ret} slots on ${swapOp.op.slice('swap_pages_'.length)}`;
      vals.push({ subject: 'swap', field: 'sysctl', engine: e, kernel: kn, verdict: e === kn ? 'agree' : 'differ' });
    }

    // --- accesses: faults of this statement, and the signal
    const accProcs = [...new Set(os.accesses.map((a) => a.proc))];
    for (const p of accProcs) {
      const accs = os.accesses.filter((a) => a.proc === p);
      const kd = accs.reduce((s, a) => s + a.faults, 0);
      const ed = es.delta[p] ?? 0;
      let reason: string | undefined = taint;
      // fb_defio timing: an access's outcome depends on whether the deferred work fired
      const fbAcc = accs.filter((a) => es.pages.some((ep) => ep?.fb && ep.addr === a.addr && ep.proc === p));
      for (const a of fbAcc) {
        const window = arms.find((t0) => a.ms - t0 >= quiet && a.ms - t0 < again);
        if (window !== undefined && !reason) {
          reason = `timing window: ${(a.ms - window).toFixed(0)} ms after an arming write (the ${engine.fbDelayMs ?? 48} ms deferred work may or may not have run; compared only below ${quiet} ms or from ${again} ms)`;
          timingProcs.add(p);
        }
      }
      // ... and, past the window, whether it fired is still a matter of real time when the kernel
      // and the engine had completed a different number of runs (the engine's clock moves only
      // at `wait`; a fork, exit or writeback between two writes can take 48 ms of real time)
      if (fbAcc.length && fbReason && !reason) { reason = fbReason; timingProcs.add(p); }
      for (const a of fbAcc) if (a.write && a.faults > 0) arms.push(a.ms);
      const cum = `${os.faults[p] ?? '?'}`, ecum = `${es.faults[p] ?? '?'}`;
      vals.push({ subject: p, field: 'faults', engine: `+${ed} (=${ecum})`, kernel: `+${kd} (=${cum})`,
        verdict: reason ? 'not-observable' : ed === kd ? 'agree' : 'differ', reason });
      const ks = os.lastSignal[p] ?? null, esig = es.lastSignal[p] ?? null;
      vals.push({ subject: p, field: 'signal', engine: esig ?? 'none', kernel: ks ?? 'none',
        verdict: taint ? 'not-observable' : ks === esig ? 'agree' : 'differ', reason: taint });
    }

    // --- expectation: the kernel's verdict (results.ts) vs the engine's
    if (os.expectation && es.expect) {
      const ex = os.expectation;
      const observed = ex.checks.map((c) => `${c.flag}:${c.verdict === 'pass' ? 'ok' : c.verdict === 'fail' ? `FAIL(${c.observed ?? ''})` : 'n/o'}`).join(' ');
      let verdict: Verdict, reason: string | undefined;
      if (ex.verdict === 'not-observable') {
        verdict = 'not-observable';
        reason = ex.checks.map((c) => c.reason).filter(Boolean).join('; ') || 'not observable';
      } else if (os.kind === 'expect_faults' && [...timingProcs].some((p) => ex.checks.some((c) => c.subject === p))) {
        verdict = 'not-observable';
        reason = 'timing window: an earlier fb access of this process was not comparable, so its cumulative count is not either';
      } else if (fbReason && dependsOnFbRuns(os.kind, es)) {
        verdict = 'not-observable';
        reason = fbReason;
      } else if (taint && (ex.verdict === 'pass') !== es.expect.ok) {
        // a statement the kernel did not run changed what this expectation looks at: as for
        // the pages, a difference here is not the kernel's answer
        verdict = 'not-observable';
        reason = taint;
      } else {
        verdict = (ex.verdict === 'pass') === es.expect.ok ? 'agree' : 'differ';
      }
      vals.push({ subject: 'expect', field: os.kind.replace('expect_', ''), engine: es.expect.ok ? 'pass' : `fail: ${es.expect.message}`,
        kernel: `${ex.verdict} ${observed}`.trim(), verdict, reason });
    }

    // --- pages, grouped per (process, label)
    const groups = new Map<string, number[]>();
    os.pages.forEach((p, i) => {
      const key = `${p.proc} ${p.label ?? '?'}`;
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key)!.push(i);
    });
    for (const [key, idx] of groups) {
      const diffs: string[] = [];
      const kc: string[] = [], ec: string[] = [];
      for (const i of idx) {
        const kp = os.pages[i], ep = es.pages[i];
        const obsKey = `L${os.line + 1} ${kp.proc} ${kp.label ?? '?'}[${kp.page}]`;
        kc.push(pageCode(kp));
        ec.push(ep ? pageCode(ep) : '?');
        if (!ep) { diffs.push(`[${kp.page}] no engine page`); continue; }
        const cmp = (f: string, e: boolean | number, k: boolean | number) => { if (e !== k) diffs.push(`[${kp.page}] ${f}: engine ${typeof e === 'boolean' ? b(e) : e}, kernel ${typeof k === 'boolean' ? b(k) : k}`); };
        cmp('present', ep.present, kp.present);
        cmp('softdirty', ep.softDirty, kp.softDirty);
        if (ep.present && kp.present) {
          cmp('zero page', ep.zeroPage, kp.zeroPage);
          cmp('file', ep.file, kp.file);
          cmp('exclusive', ep.exclusive, kp.exclusive);
          if (ep.folio && kp.folio && !kp.zeroPage) {
            // /dev/fb0: noop_dirty_folio sets PG_dirty and nothing clears it (not a model fact);
            // a page a mkclean stood in by writeback wrote back on the kernel only
            const m = oracle.mappings[kp.mapping];
            const dtainted = !!m && kp.file && !!os.dirtyTaint?.some((d) => d.obj === m.obj && d.index === m.pgoff + kp.page);
            if (!ep.fb && !dtainted) cmp('folio dirty', ep.folio.dirty, kp.folio.dirty);
            if (!dtainted) cmp('folio writeback', ep.folio.writeback, kp.folio.writeback);
            cmp('mapcount', ep.folio.mapcount, kp.folio.mapcount);
            const ec = ep.folio.compound ?? null, kc = kpfCompound(kp.folio.flags);
            if (ep.folio.compound !== undefined && ec !== kc) diffs.push(`[${kp.page}] compound: engine ${ec ?? 'none'}, kernel ${kc ?? 'none'}`);
          }
          const kpte = noPte ? undefined : pteAt(os, oracle.pids[kp.proc], kp.addr);
          if (kpte && !(ep.fb && fbReason)) {
            const kb = pteBits(kpte.pte, savedDirtyBit(oracle.release));
            cmp('pte write', ep.pte.write, kb.write);
            cmp('pte dirty', ep.pte.dirty, kb.dirty);
            cmp('pte young', ep.pte.young, kb.young);
          }
          if (!kp.zeroPage && kp.pfn && ep.pfn) {
            const ks = firstK.get(kp.pfn), es2 = firstE.get(ep.pfn);
            if (ks === undefined) firstK.set(kp.pfn, obsKey);
            if (es2 === undefined) firstE.set(ep.pfn, obsKey);
            const kSame = ks ?? 'new', eSame = es2 ?? 'new';
            // the same key seen again at a later step is "the same page as before"
            if (kSame !== eSame) diffs.push(`[${kp.page}] page identity: engine ${eSame === 'new' ? 'a new page' : `same page as ${eSame}`}, kernel ${kSame === 'new' ? 'a new page' : `same page as ${kSame}`}`);
          }
        }
      }
      const first = os.pages[idx[0]].page, last = os.pages[idx[idx.length - 1]].page;
      const [proc, label] = key.split(' ');
      const subject = `${proc} ${label}[${first}${last !== first ? `..${last}` : ''}]`;
      let verdict: Verdict = diffs.length ? 'differ' : 'agree';
      let reason: string | undefined = diffs.length ? diffs.join('; ') : undefined;
      if (taint) { verdict = 'not-observable'; reason = reason ? `${taint} (${reason})` : taint; }
      vals.push({ subject, field: 'pages', engine: ec.join(' '), kernel: kc.join(' '), verdict, reason });
    }

    // --- object pages probed for `expect folio` / `maps OBJ[I]`: residency and folio
    os.objPages.forEach((kp, i) => {
      const ep = es.objPages?.[i];
      const subject = `${kp.obj}[${kp.index}]`;
      const kv = `${kp.resident === null ? '' : kp.resident ? 'cached' : 'not cached'}${kp.folio ? ` ${kp.folio.dirty ? 'D' : ''}${kp.folio.writeback ? 'W' : ''}m${kp.folio.mapcount}` : ''}`.trim();
      if (!ep) { vals.push({ subject, field: 'folio', engine: '?', kernel: kv, verdict: 'not-observable', reason: 'no such object in the engine' }); return; }
      const ev = `${ep.fb ? '' : ep.resident ? 'cached' : 'not cached'}${ep.folio ? ` ${ep.folio.dirty ? 'D' : ''}${ep.folio.writeback ? 'W' : ''}m${ep.folio.mapcount}` : ''}`.trim();
      const diffs: string[] = [];
      if (kp.resident !== null && kp.resident !== ep.resident) diffs.push(`cached: engine ${b(ep.resident)}, kernel ${b(kp.resident)}`);
      const dtainted = !!os.dirtyTaint?.some((d) => d.obj === kp.obj && d.index === kp.index);
      if (kp.folio && ep.folio && (kp.resident ?? true)) {
        if (!ep.fb && !dtainted && kp.folio.dirty !== ep.folio.dirty) diffs.push(`dirty: engine ${b(ep.folio.dirty)}, kernel ${b(kp.folio.dirty)}`);
        if (!dtainted && kp.folio.writeback !== ep.folio.writeback) diffs.push(`writeback: engine ${b(ep.folio.writeback)}, kernel ${b(kp.folio.writeback)}`);
        if (kp.folio.mapcount !== ep.folio.mapcount) diffs.push(`mapcount: engine ${ep.folio.mapcount}, kernel ${kp.folio.mapcount}`);
      }
      let verdict: Verdict = diffs.length ? 'differ' : 'agree';
      let reason = diffs.length ? diffs.join('; ') : undefined;
      if (taint) { verdict = 'not-observable'; reason = reason ? `${taint} (${reason})` : taint; }
      vals.push({ subject, field: 'folio', engine: ev, kernel: kv, verdict, reason });
    });

    if (!vals.length) {
      row.reason = os.observable === 'partial' && os.reason ? os.reason : 'nothing user space can see changes at this statement';
      if (DIRECTIVE_KINDS.has(os.kind)) row.directive = true;
      continue;
    }
    row.verdict = combine(vals.map((v) => v.verdict));
    if (row.verdict === 'not-observable') row.reason = vals.find((v) => v.reason)?.reason;
  }
  const summary = { agree: 0, differ: 0, notObservable: 0, directives: 0 };
  for (const r of rows) {
    if (r.directive) summary.directives++;
    else if (r.verdict === 'agree') summary.agree++;
    else if (r.verdict === 'differ') summary.differ++;
    else summary.notObservable++;
  }
  return { name: oracle.name, kernel: engine.kernel, fbDelayMs: engine.fbDelayMs, notes: engine.notes, steps: rows, summary };
}

/** Statements that are directives when nothing is compared at them (StepComparison.directive). */
const DIRECTIVE_KINDS = new Set(['kernel', 'fbdev', 'shmem']);

/** Expectations whose truth depends on how many deferred-work runs have completed. */
function dependsOnFbRuns(kind: string, es: EngineStep): boolean {
  if (kind === 'expect_defio_pending' || kind === 'expect_defio_written' || kind === 'expect_walk' || kind === 'expect_result') return true;
  return kind === 'expect_pte' && es.pages.some((p) => p?.fb);
}

// ------------------------------------------------------------------ rendering

/** A plain-text table: line, statement, engine value, kernel value, verdict. */
export function formatComparison(c: ScenarioComparison): string[] {
  const out: string[] = [];
  const w = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s.padEnd(n));
  out.push(`${'line'.padEnd(5)} ${w('statement', 34)} ${w('value', 18)} ${w('engine', 24)} ${w('kernel', 24)} verdict`);
  for (const r of c.steps) {
    const head = `${('L' + r.line).padEnd(5)} ${w(r.text, 34)}`;
    if (!r.values.length) { out.push(`${head} ${w('', 18)} ${w('', 24)} ${w('', 24)} ${r.directive ? 'directive, not an outcome' : 'not-observable'} (${r.reason ?? ''})`); continue; }
    r.values.forEach((v, i) => {
      const h = i === 0 ? head : ' '.repeat(head.length);
      const verdict = v.verdict === 'agree' ? 'agree' : `${v.verdict}${v.reason ? ` (${v.reason})` : ''}`;
      out.push(`${h} ${w(v.field === 'pages' ? v.subject : `${v.field} ${v.subject}`, 18)} ${w(v.engine, 24)} ${w(v.kernel, 24)} ${verdict}`);
    });
  }
  return out;
}

export function summaryLine(c: ScenarioComparison): string {
  return `${c.name}: ${c.summary.agree} agree, ${c.summary.differ} differ, ${c.summary.notObservable} not observable${c.summary.directives ? `, ${c.summary.directives} directive${c.summary.directives > 1 ? 's' : ''}` : ''} (engine as ${c.kernel}${c.fbDelayMs !== null ? `, fb delay ${c.fbDelayMs} ms` : ''})`;
}

/** Kernel verdicts per statement, for `mmscope run --json --kernel-oracle` (trace `kernel` field). */
export function stepVerdicts(c: ScenarioComparison): Map<number, { verdict: Verdict; reason?: string; values: ValueComparison[] }> {
  const m = new Map<number, { verdict: Verdict; reason?: string; values: ValueComparison[] }>();
  for (const r of c.steps) m.set(r.index, { verdict: r.verdict, reason: r.reason, values: r.values });
  return m;
}
