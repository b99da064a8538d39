// Runs a checked scenario on the engine: one trace step per statement, expectations
// evaluated at their place, kernel refusals reported as diagnostics at their line.

import { parse } from '../language/parser';
import { check, CHECK_CODES, type CheckResult } from '../language/checker';
import type { Diagnostic, Severity } from '../language/diagnostics';
import type { MapSpec, Num, PageSpec, Range, Scenario, Statement } from '../language/ast';
import { resolveLimits, type Limits } from '../language/limits';
import { Kernel, KernelProfile, Task } from '../engine/kernel';
import type { AddressSpace } from '../engine/addressSpace';
import { userAccess } from '../engine/memory';
import { clear_refs_soft_dirty, do_mmap, do_mprotect, do_munmap, dup_mmap, exit_mmap } from '../engine/mmap';
import { folioMkclean, mappingWrprotectRange, pfnMkcleanRange, unmapMappingRange } from '../engine/rmap';
import { msyncRange, writebackRange } from '../engine/writeback';
import { flushDeferredWork } from '../engine/fbDefio';
import { Step, TraceBudgetExceeded, TraceRecorder, type VmaSnapshot } from './trace';
import { evaluateExpectation, type RunState } from './expect';
import { Mm } from '../engine/mm';
import type { Vma } from '../engine/vma';
import { OutOfSimulatedRam } from '../engine/memmap';

export interface RunOptions {
  /** kernel version when the file has no `kernel` statement, e.g. '6.15' */
  defaultKernel?: string;
  /** force this kernel version (the inspector's "compare kernels") */
  kernelOverride?: string;
  limits?: Partial<Limits>;
  /** stop after this many statements (cancellation checks) */
  shouldCancel?: () => boolean;
  /**
   * Called after every statement the engine executed (not after expectations or skipped
   * statements), with the engine state; for invariant checks (src/engine/invariants.ts).
   */
  onStep?: (statement: Statement, step: Step, engine: Kernel) => void;
  /** milliseconds for the maxRunMs budget (Date.now by default; tests pass a counting clock) */
  clock?: () => number;
}

export interface LabelInfo { proc: string; start: number; pages: number; obj: string; pgoff: number; shared: boolean }

export interface RunResult {
  scenario: Scenario;
  check: CheckResult;
  diagnostics: Diagnostic[];
  steps: Step[];
  passed: number;
  failed: number;
  /** 0 all good, 1 an expectation failed, 2 a parse/semantic/kernel-refusal error */
  exitStatus: 0 | 1 | 2;
  kernel: KernelProfile;
  engine: Kernel;
  /** process name → pid and object name → mapping id, for rendering the trace */
  pids: Map<string, number>;
  objects: Map<string, AddressSpace>;
  labels: Map<string, Map<string, LabelInfo>>;
  recorder: TraceRecorder;
  /** the statement each step ran (same index as steps) */
  statements: (Statement | undefined)[];
  cancelled: boolean;
}

export const RUN_CODES = {
  einval: 'MMS502', enomem: 'MMS501', eexist: 'MMS503', mprotect: 'MMS504', munmap: 'MMS505',
  deadProcess: 'MMS506', tooManyEvents: 'MMS604', timeBudget: 'MMS605', outOfRam: 'MMS606',
  expectation: 'MMS701',
  noFolio: 'MMS801', oops: 'MMS802', efault: 'MMS803', warn: 'MMS804', noStructPage: 'MMS805',
} as const;

function parseVersion(v: string | undefined): { major: number; minor: number } | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v ?? '');
  return m ? { major: +m[1], minor: +m[2] } : undefined;
}

export function runText(text: string, opts: RunOptions = {}): RunResult {
  const { scenario, diagnostics: parseDiags } = parse(text);
  return runScenario(scenario, parseDiags, opts);
}

export function runScenario(scenario: Scenario, parseDiags: Diagnostic[], opts: RunOptions = {}): RunResult {
  const limits = resolveLimits(opts.limits);
  const chk = check(scenario, { limits: opts.limits, defaultKernel: opts.defaultKernel });
  const version = parseVersion(opts.kernelOverride) ?? chk.kernel;
  const rec = new TraceRecorder();
  const k = new Kernel(new KernelProfile(version), rec, expectedPages(scenario, chk));
  rec.folioFlags = (pfn) => k.memmap.flags[pfn];
  rec.folioIndex = (pfn) => k.memmap.index[pfn];
  const snap = (v: Vma): VmaSnapshot => ({
    start: v.start, end: v.end, pgoff: v.pgoff, flags: v.flags, prot: v.pageProt, file: v.file ? v.file.id : 0,
    label: v.label, id: v.id,
  });
  rec.vmaSource = (pid) => {
    const mm = k.tasks.get(pid)?.mm;
    if (!mm) return [];
    mm.takeVmaChanges();
    return mm.vmas.map(snap);
  };
  rec.vmaChanges = (pid) => {
    const mm = k.tasks.get(pid)?.mm;
    if (!mm) return { changed: [], removed: [] };
    const c = mm.takeVmaChanges();
    return { changed: c.changed.map(snap), removed: c.removed };
  };
  const diags: Diagnostic[] = [...parseDiags, ...chk.diagnostics];
  // Language errors (syntax, names, kinds, values, limits) leave nothing meaningful to check,
  // so expectations are not evaluated after one. A call the kernel refuses (ENOMEM/EINVAL,
  // MMS501/MMS502, which the checker finds before the run) is the kernel's answer, not a
  // language error: the spec's "a mapping call the kernel refuses is reported as an error
  // diagnostic at its line naming the errno, and `mmscope check` exits 2; the rest of the
  // file is still checked" (as for a refusal only the run finds, MMS503).
  const staticErrors = diags.some((d) => d.severity === 'error' && !KERNEL_REFUSALS.has(d.code));
  const st: RunState = {
    k, rec, pids: new Map(), objects: new Map(), labels: new Map(), lastResult: undefined,
    lastOopsStep: -1, tasksByName: new Map(), failedLabels: new Set(),
  };
  const statements: (Statement | undefined)[] = [];
  const out = (range: Range, severity: Severity, code: string, message: string) => diags.push({ range, severity, code, message });
  let passed = 0, failed = 0, cancelled = false;
  const now = opts.clock ?? Date.now;
  const t0 = now();
  // Checked by the recorder every 65,536 events, so one huge statement stops in budget too.
  rec.budget = () => (rec.eventCount > limits.maxEvents ? 'events' : now() - t0 > limits.maxRunMs ? 'time' : undefined);
  let n = 0;
  let stopped = false;
  for (const s of scenario.statements) {
    if ((++n & 63) === 0) {
      if (opts.shouldCancel?.()) { cancelled = true; break; }
      if (now() - t0 > limits.maxRunMs) {
        out(s.range, 'error', RUN_CODES.timeBudget, `run stopped here: the scenario took longer than ${limits.maxRunMs} ms (limit maxRunMs)`);
        break;
      }
    }
    if (rec.eventCount > limits.maxEvents) {
      out(s.range, 'error', RUN_CODES.tooManyEvents, `run stopped here: more than ${limits.maxEvents} trace events (limit maxEvents)`);
      break;
    }
    const step = rec.beginStep(s.range.start.line, s.kind);
    statements.push(s);
    if (chk.invalid.has(s)) {
      if (s.kind === 'mmap' && s.label) st.failedLabels.add(`${s.proc.name}\0${s.label.name}`);
      step.skipped = true; step.time = k.now; continue;
    }
    if (s.kind.startsWith('expect_')) {
      if (staticErrors) { step.skipped = true; step.time = k.now; continue; }
      const r = evaluateExpectation(st, s as never);
      step.expect = r;
      if (r.ok) passed++;
      else { failed++; out(s.range, 'error', RUN_CODES.expectation, r.message); }
      step.time = k.now;
      continue;
    }
    try {
      execute(st, s, step, out);
    } catch (e) {
      if (e instanceof TraceBudgetExceeded) {
        out(s.range, 'error', e.which === 'events' ? RUN_CODES.tooManyEvents : RUN_CODES.timeBudget, e.which === 'events'
          ? `run stopped in this statement: more than ${limits.maxEvents} trace events (limit maxEvents)`
          : `run stopped in this statement: the scenario took longer than ${limits.maxRunMs} ms (limit maxRunMs)`);
        stopped = true;
      } else if (e instanceof OutOfSimulatedRam) {
        // The simulated machine ran out of RAM with struct pages: a resource limit, not an
        // engine bug. The statement is half done, so the run stops here.
        out(s.range, 'error', RUN_CODES.outOfRam, `run stopped in this statement: ${e.message}`);
        stopped = true;
      } else {
        // An engine invariant broke (the kernel would BUG): report it, never crash.
        out(s.range, 'error', 'MMS900', `internal engine error: ${(e as Error).message}`);
      }
    }
    if (rec.oopsInStep) {
      st.lastOopsStep = step.index;
      out(s.range, 'warning', RUN_CODES.oops, `kernel oops: ${rec.lastOopsMessage}`);
    }
    step.time = k.now;
    if (stopped) break;
    opts.onStep?.(s, step, k);
  }
  rec.budget = undefined;
  rec.endStep(true);
  diags.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const hasError = diags.some((d) => d.severity === 'error' && d.code !== RUN_CODES.expectation);
  return {
    scenario, check: chk, diagnostics: diags, steps: rec.steps, passed, failed,
    exitStatus: hasError ? 2 : failed ? 1 : 0, kernel: k.profile, engine: k,
    pids: st.pids, objects: st.objects, labels: st.labels, recorder: rec, statements, cancelled,
  };
}

type Out = (range: Range, severity: Severity, code: string, message: string) => void;

function task(st: RunState, name: string): Task | undefined {
  const t = st.tasksByName.get(name);
  return t && t.alive ? t : undefined;
}

/** The pages named by a PAGES spec in proc as (first address, page count), without an array. */
export function resolveAddrRange(st: RunState, proc: string, spec: PageSpec): { first: number; count: number } | string {
  if (spec.kind === 'addr') return { first: spec.addr.value - (spec.addr.value % 4096), count: 1 };
  const lab = st.labels.get(proc)?.get(spec.target.name);
  if (!lab) return missingLabel(st, proc, spec.target.name);
  const first = spec.first.value, last = spec.last?.value ?? first;
  return { first: lab.start + first * 4096, count: Math.max(0, last - first + 1) };
}

/** The addresses of the pages named by a PAGES spec in proc (labels resolve in proc). */
export function resolveAddrs(st: RunState, proc: string, spec: PageSpec): number[] | string {
  if (spec.kind === 'addr') return [spec.addr.value - (spec.addr.value % 4096)];
  const lab = st.labels.get(proc)?.get(spec.target.name);
  if (!lab) return missingLabel(st, proc, spec.target.name);
  const first = spec.first.value, last = spec.last?.value ?? first;
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(lab.start + i * 4096);
  return out;
}

function pageRange(spec: PageSpec): [number, number] {
  if (spec.kind === 'addr') return [0, 0];
  return [spec.first.value, (spec.last ?? spec.first).value];
}

function mapSpecRange(st: RunState, proc: string, spec: MapSpec): [number, number] | string {
  if (spec.kind === 'addr') { const a = spec.addr.value - (spec.addr.value % 4096); return [a, a + spec.pages.value * 4096]; }
  const lab = st.labels.get(proc)?.get(spec.label.name);
  if (!lab) return missingLabel(st, proc, spec.label.name);
  const first = spec.first?.value ?? 0, last = spec.last?.value ?? (spec.first ? first : lab.pages - 1);
  return [lab.start + first * 4096, lab.start + (last + 1) * 4096];
}

function execute(st: RunState, s: Statement, step: Step, out: Out): void {
  const k = st.k;
  switch (s.kind) {
    case 'kernel': return;
    case 'sysctl': {
      // /sys/kernel/debug/fault_around_bytes: rounded down to a power of two pages
      let pages = Math.max(1, Math.floor(s.value.value / 4096));
      pages = 2 ** Math.floor(Math.log2(pages));
      k.faultAroundBytes = pages * 4096;
      return;
    }
    case 'file': st.objects.set(s.name.name, k.createFile(s.name.name, s.pages.value, s.cold)); return;
    case 'shmem': st.objects.set(s.name.name, k.createShmem(s.name.name, s.pages.value)); return;
    case 'fbdev':
      st.objects.set(s.name.name, k.createFbdev(s.name.name, s.pages.value, s.backing, s.delay?.ms ?? 50, s.sorted));
      return;
    case 'pfnmap': st.objects.set(s.name.name, k.createPfnmap(s.name.name, s.pages.value)); return;
    case 'process': {
      const t = k.createTask(s.name.name);
      st.pids.set(s.name.name, t.pid); st.tasksByName.set(s.name.name, t); st.labels.set(s.name.name, new Map());
      return;
    }
    case 'fork': {
      const parent = task(st, s.parent.name);
      if (!parent) return deadProc(st, s.parent.name, s.range, out);
      const pid = k.newPid();
      const child = new Task(pid, s.child.name, new Mm(pid, k.tr));
      k.tasks.set(pid, child);
      st.pids.set(s.child.name, pid); st.tasksByName.set(s.child.name, child);
      k.tr.call('dup_mmap');
      dup_mmap(k, parent, child);
      const labs = new Map<string, LabelInfo>();
      for (const [n, l] of st.labels.get(s.parent.name) ?? []) labs.set(n, { ...l, proc: s.child.name });
      st.labels.set(s.child.name, labs);
      return;
    }
    case 'exit': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      exit_mmap(k, t);
      return;
    }
    case 'mmap': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const obj = s.obj.name === 'anon' ? 'anon' : st.objects.get(s.obj.name);
      if (!obj) return;
      const r = do_mmap(k, t, obj, s.addr.value, s.pages.value, s.offset?.value ?? 0, s.shared, s.prot, s.label?.name);
      if (!r.ok) {
        if (s.label) st.failedLabels.add(`${s.proc.name}\0${s.label.name}`);
        const code = r.errno === 'EINVAL' ? RUN_CODES.einval : r.errno === 'ENOMEM' ? RUN_CODES.enomem : RUN_CODES.eexist;
        out(s.range, 'error', code, r.errno === 'EEXIST'
          ? `mmap refused: ${r.why} (mmscope never replaces a mapping silently)`
          : `mmap fails with ${r.errno}: ${r.why}`);
        return;
      }
      if (s.label) {
        st.labels.get(s.proc.name)!.set(s.label.name, {
          proc: s.proc.name, start: s.addr.value, pages: s.pages.value, obj: s.obj.name,
          pgoff: r.vma.pgoff, shared: s.shared,
        });
      }
      return;
    }
    case 'munmap': case 'mprotect': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const r = mapSpecRange(st, s.proc.name, s.spec);
      if (typeof r === 'string') { if (r) out(s.range, 'error', RUN_CODES.munmap, r); return; }
      if (s.kind === 'munmap') do_munmap(k, t, r[0], r[1]);
      else {
        const res = do_mprotect(k, t, r[0], r[1], s.prot);
        if (!res.ok) out(s.range, 'error', RUN_CODES.mprotect, `mprotect fails with ${res.why}`);
      }
      return;
    }
    case 'read': case 'write': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const range = resolveAddrRange(st, s.proc.name, s.pages);
      if (typeof range === 'string') { if (range) out(s.range, 'error', RUN_CODES.munmap, range); return; }
      const write = s.kind === 'write';
      for (let i = 0; i < range.count; i++) {
        const r = userAccess(k, t, range.first + i * 4096, write);
        if (r === 'oops') { t.killedByOops = true; exit_mmap(k, t); break; }
        if (!t.alive) break;
      }
      return;
    }
    case 'mkclean': {
      const obj = st.objects.get(s.page.kind === 'named' ? s.page.target.name : '');
      if (!obj) return;
      const [i] = pageRange(s.page);
      const pfn = k.pfnOf(obj, i);
      if (!pfn || !k.memmap.pfnValid(pfn)) {
        out(s.range, 'warning', RUN_CODES.noFolio, pfn ? `no struct page behind ${obj.name}[${i}] (pfn 0x${pfn.toString(16)}): nothing for folio_mkclean(); result 0`
          : `no folio at ${obj.name}[${i}] (not in the page cache): folio_mkclean() not called; result 0`);
        k.tr.walkBegin('folio_mkclean', obj.id, i, 1, 0); k.tr.walkEnd(0);
        st.lastResult = 0; step.result = 0; return;
      }
      st.lastResult = step.result = folioMkclean(k, pfn);
      return;
    }
    case 'wrprotect': {
      const obj = st.objects.get(s.pages.kind === 'named' ? s.pages.target.name : '');
      if (!obj) return;
      const [i, j] = pageRange(s.pages);
      const pfn = k.pfnOf(obj, i);
      if (!pfn) out(s.range, 'warning', RUN_CODES.noFolio, `no page at ${obj.name}[${i}] (not in the page cache): pfn 0 matches no PTE`);
      k.tr.call('mapping_wrprotect_range');
      st.lastResult = step.result = mappingWrprotectRange(k, obj, i, pfn, j - i + 1);
      return;
    }
    case 'pfn_mkclean': {
      const obj = st.objects.get(s.pages.kind === 'named' ? s.pages.target.name : '');
      const t = task(st, s.proc.name);
      if (!obj) return;
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const [i, j] = pageRange(s.pages);
      const lab = st.labels.get(s.proc.name)?.get(s.label.name);
      const vmas = t.mm.vmas.filter((v) => v.label === s.label.name);
      const vma = vmas.find((v) => v.file === obj && i >= v.pgoff && i <= v.lastPgoff) ?? vmas[0];
      if (!lab || !vma) { const m = missingLabel(st, s.proc.name, s.label.name); if (m) out(s.range, 'error', RUN_CODES.munmap, m); return; }
      const pfn = k.pfnOf(obj, i);
      const r = pfnMkcleanRange(k, pfn, j - i + 1, i, vma);
      if (r === null) {
        out(s.range, 'warning', RUN_CODES.efault, `${s.proc.name}:${s.label.name} does not map ${obj.name}[${i}]: vma_address() is -EFAULT (the kernel would hit VM_BUG_ON_VMA); result 0`);
        st.lastResult = step.result = 0;
      } else st.lastResult = step.result = r;
      return;
    }
    case 'writeback': {
      const obj = st.objects.get(s.obj.name);
      if (!obj) return;
      const first = s.first?.value ?? 0, last = s.last?.value ?? (s.first ? first : obj.sizePages - 1);
      k.tr.call('filemap_write_and_wait_range');
      st.lastResult = step.result = writebackRange(k, obj, first, last);
      return;
    }
    case 'msync': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      const lab = st.labels.get(s.proc.name)?.get(s.label.name);
      if (!lab) { const m = missingLabel(st, s.proc.name, s.label.name); if (m) out(s.range, 'error', RUN_CODES.munmap, m); return; }
      st.lastResult = step.result = msyncRange(k, t, lab.start, lab.start + lab.pages * 4096);
      return;
    }
    case 'unmap_range': {
      const obj = st.objects.get(s.pages.kind === 'named' ? s.pages.target.name : '');
      if (!obj) return;
      const [i, j] = pageRange(s.pages);
      st.lastResult = step.result = unmapMappingRange(k, obj, i, j - i + 1, false);
      return;
    }
    case 'flush': {
      const obj = st.objects.get(s.obj.name);
      if (!obj?.fb) return;
      k.tr.call('flush_delayed_work');
      st.lastResult = step.result = flushDeferredWork(k, obj.fb);
      return;
    }
    case 'clear_refs': {
      const t = task(st, s.proc.name);
      if (!t) return deadProc(st, s.proc.name, s.range, out);
      clear_refs_soft_dirty(k, t);
      return;
    }
    case 'wait': k.advance(s.duration.ms); return;
    default: return;
  }
}

function deadProc(st: RunState, name: string, range: Range, out: Out): void {
  const t = st.tasksByName.get(name);
  out(range, 'error', RUN_CODES.deadProcess, t?.killedByOops
    ? `process ${name} was killed by a kernel oops earlier in the scenario`
    : `process ${name} does not exist at this point`);
}


/** Checker errors that are the kernel refusing a call (errno), not errors in the scenario. */
const KERNEL_REFUSALS = new Set<string>([CHECK_CODES.enomem, CHECK_CODES.einval]);

/** The message for a label that does not exist in proc — or '' when its `mmap` already
 *  failed with a reported error (no cascade of errors on every later use). */
function missingLabel(st: RunState, proc: string, label: string): string {
  return st.failedLabels.has(`${proc}\0${label}`) ? '' : `${proc} has no mapping labelled ${label}`;
}

/** An upper bound of the struct pages a run allocates (objects, plus anonymous and private
 *  mappings that may COW), so the memmap is sized once. */
function expectedPages(scn: Scenario, chk: CheckResult): number {
  let n = 0;
  for (const s of scn.statements) {
    if (chk.invalid.has(s)) continue;
    if (s.kind === 'file' || s.kind === 'shmem' || s.kind === 'fbdev') n += s.pages.value;
    else if (s.kind === 'mmap' && (s.obj.name === 'anon' || !s.shared)) n += s.pages.value;
    if (n > 0x100000) return 0x100000;
  }
  return n;
}
