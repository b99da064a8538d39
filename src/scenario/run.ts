// Runs a checked scenario on the engine: one trace step per statement, expectations
// evaluated at their place, kernel refusals reported as diagnostics at their line.

import { parse } from '../language/parser';
import { check, CHECK_CODES, type CheckResult } from '../language/checker';
import type { Diagnostic, Severity } from '../language/diagnostics';
import type { Range, Scenario, Statement } from '../language/ast';
import { resolveLimits, type Limits } from '../language/limits';
import { Kernel, KernelProfile } from '../engine/kernel';
import type { AddressSpace } from '../engine/addressSpace';
import { Step, TraceBudgetExceeded, TraceRecorder, type VmaSnapshot } from './trace';
import { evaluateExpectation } from './expect';
import { execute } from './execute';
import { RUN_CODES, type LabelInfo, type RunState } from './state';
import type { Vma } from '../engine/vma';
import { OutOfSimulatedRam } from '../engine/memmap';
import { parseRelease, type RuleId } from '../engine/versions';

export interface RunOptions {
  /** kernel version when the file has no `kernel` statement, e.g. '6.15' */
  defaultKernel?: string;
  /** force this kernel version, e.g. '6.14' or '6.1.192' (the inspector's "compare kernels", the oracle) */
  kernelOverride?: string;
  /** rules the kernel has on top of its release (a patched build: the oracle's series kernel) */
  kernelPatches?: readonly RuleId[];
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

export { RUN_CODES };
export type { LabelInfo };

export function runText(text: string, opts: RunOptions = {}): RunResult {
  const { scenario, diagnostics: parseDiags } = parse(text);
  return runScenario(scenario, parseDiags, opts);
}

export function runScenario(scenario: Scenario, parseDiags: Diagnostic[], opts: RunOptions = {}): RunResult {
  const limits = resolveLimits(opts.limits);
  const chk = check(scenario, { limits: opts.limits, defaultKernel: opts.defaultKernel });
  const version = parseRelease(opts.kernelOverride) ?? chk.kernel;
  const rec = new TraceRecorder();
  const k = new Kernel(new KernelProfile(version, opts.kernelPatches), rec, expectedPages(scenario, chk));
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
  // `expect error ERRNO` right after a statement: its refusal is expected, so it is not an
  // error of the file (the errno is recorded in the statement's step for the expectation)
  const expectsError = followedByExpectError(scenario);
  const staticErrno = new Map<Statement, string>();
  const diags: Diagnostic[] = expectsError.size ? expectedRefusals(chk, expectsError, staticErrno, parseDiags) : [...parseDiags, ...chk.diagnostics];
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
      const errno = staticErrno.get(s);
      if (errno) step.errno = errno;
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
    // a statement `expect error` follows: its diagnostics wait until we know whether the
    // kernel refused it (step.errno, set by any statement that fails: mmap, mremap,
    // mprotect, madvise, migrate, split, ...); a refusal's errors are then dropped
    const held: Diagnostic[] = [];
    const stepOut = expectsError.has(s) ? holdOut(held) : out;
    try {
      execute(st, s, step, stepOut);
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
    if (held.length) diags.push(...held.filter((d) => !(step.errno && d.severity === 'error' && !NOT_REFUSALS.has(d.code))));
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


/** Errors a statement's refusal never explains (kept even when `expect error` follows). */
const NOT_REFUSALS = new Set<string>([RUN_CODES.tooManyEvents, RUN_CODES.timeBudget, RUN_CODES.outOfRam, RUN_CODES.deadProcess, RUN_CODES.munmap, 'MMS900']);
function holdOut(held: Diagnostic[]) {
  return (range: Range, severity: Severity, code: string, message: string): void => { held.push({ range, severity, code, message }); };
}

/**
 * The parse and checker diagnostics without the refusals an `expect error` expects: a
 * statement whose only errors are the checker's kernel refusals (ENOMEM, EINVAL, an
 * unaligned address: EINVAL) records that errno instead.
 */
/**
 * The parse and check diagnostics of a file as a run reports them: a refusal the checker
 * finds (ENOMEM, EINVAL) for a statement followed by `expect error ERRNO` is expected, not an
 * error of the file (the kernel command uses this too, so that such a file runs there).
 */
export function fileDiagnostics(scenario: Scenario, parseDiags: Diagnostic[], chk: CheckResult): Diagnostic[] {
  const expects = followedByExpectError(scenario);
  return expects.size ? expectedRefusals(chk, expects, new Map(), parseDiags) : [...parseDiags, ...chk.diagnostics];
}

/** The statements an `expect error` follows. */
function followedByExpectError(scenario: Scenario): Set<Statement> {
  const out = new Set<Statement>();
  scenario.statements.forEach((s, i) => { if (scenario.statements[i + 1]?.kind === 'expect_error') out.add(s); });
  return out;
}

function expectedRefusals(chk: CheckResult, expects: Set<Statement>, errnoOf: Map<Statement, string>, parseDiags: Diagnostic[]): Diagnostic[] {
  const errnoOfCode: Record<string, string> = { [CHECK_CODES.enomem]: 'ENOMEM', [CHECK_CODES.einval]: 'EINVAL', [CHECK_CODES.unaligned]: 'EINVAL' };
  const dropped = new Set<Diagnostic>();
  for (const s of expects) {
    const mine = chk.diagnostics.filter((d) => d.severity === 'error' && d.range.start.line === s.range.start.line);
    if (!mine.length || !mine.every((d) => errnoOfCode[d.code])) continue;
    errnoOf.set(s, errnoOfCode[mine[0].code]);
    for (const d of mine) dropped.add(d);
  }
  return [...parseDiags, ...chk.diagnostics.filter((d) => !dropped.has(d))];
}

/** Checker errors that are the kernel refusing a call (errno), not errors in the scenario. */
const KERNEL_REFUSALS = new Set<string>([CHECK_CODES.enomem, CHECK_CODES.einval]);

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
