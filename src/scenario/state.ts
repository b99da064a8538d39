// The state of a run the statements and expectations share: the engine, the trace, the
// scenario's names (processes, objects, labels), and how a name or a page spec resolves.

import type { MapSpec, PageSpec } from '../language/ast';
import type { AddressSpace } from '../engine/addressSpace';
import type { Kernel, Task } from '../engine/kernel';
import type { TraceRecorder } from './trace';

/** The diagnostic codes a run reports (docs/language.md). */
export const RUN_CODES = {
  einval: 'MMS502', enomem: 'MMS501', eexist: 'MMS503', mprotect: 'MMS504', munmap: 'MMS505', mremap: 'MMS507',
  deadProcess: 'MMS506', tooManyEvents: 'MMS604', timeBudget: 'MMS605', outOfRam: 'MMS606',
  expectation: 'MMS701',
  noFolio: 'MMS801', oops: 'MMS802', efault: 'MMS803', warn: 'MMS804', noStructPage: 'MMS805',
  /** madvise(2) refused */
  madvise: 'MMS508',
  /** split_folio() refused (EBUSY, EINVAL) */
  split: 'MMS509',
  /** migrate_pages() refused (ENOENT, EFAULT, EBUSY) */
  migrate: 'MMS510',
  /** vmsplice(2) refused (EFAULT) */
  vmsplice: 'MMS511',
  /** an operation on a folio a pipe holds references to: not modelled (execute.ts pipeRefused) */
  pipeRefs: 'MMS512',
  /** io_uring buffer registration refused (EFAULT, EOPNOTSUPP) */
  pin: 'MMS513',
} as const;

export interface LabelInfo {
  proc: string; start: number; pages: number; obj: string; pgoff: number; shared: boolean;
  /** an mremap moved pages of this process: resolve through the engine's page labels (pageLabels.ts) */
  moved?: boolean;
}

export interface RunState {
  k: Kernel;
  rec: TraceRecorder;
  pids: Map<string, number>;
  tasksByName: Map<string, Task>;
  objects: Map<string, AddressSpace>;
  labels: Map<string, Map<string, LabelInfo>>;
  lastResult: number | undefined;
  lastOopsStep: number;
  /** `proc\0label` of mappings whose mmap failed (their uses are not reported again) */
  failedLabels: Set<string>;
}

export function task(st: RunState, name: string): Task | undefined {
  const t = st.tasksByName.get(name);
  return t && t.alive ? t : undefined;
}

/** The pages named by a PAGES spec in proc as (first address, page count), without an array. */
export function resolveAddrRange(st: RunState, proc: string, spec: PageSpec): AddrRange | string {
  if (spec.kind === 'addr') return { first: spec.addr.value - (spec.addr.value % 4096), count: 1 };
  const lab = st.labels.get(proc)?.get(spec.target.name);
  if (!lab) return missingLabel(st, proc, spec.target.name);
  const first = spec.first.value, last = spec.last?.value ?? first;
  const r: AddrRange = { first: lab.start + first * 4096, count: Math.max(0, last - first + 1) };
  if (lab.moved) {
    // a label keeps naming its pages wherever mremap moved them; a page it no longer
    // names (unmapped) is at its original address, as in v1
    const mm = st.tasksByName.get(proc)?.mm;
    const name = spec.target.name;
    r.at = (n) => mm?.labels.addrOf(name, first + n) ?? lab.start + (first + n) * 4096;
    r.first = r.at(0);
  }
  return r;
}

/**
 * The process and the pages an expectation names (`expect pte|vma PROC PAGES`), or why it
 * fails: no such process, or a mapping refused earlier.
 */
export function expectedPages(st: RunState, proc: string, spec: PageSpec): { t: Task; range: AddrRange } | string {
  const t = st.tasksByName.get(proc);
  if (!t) return `process ${proc} does not exist`;
  const range = resolveAddrRange(st, proc, spec);
  if (typeof range === 'string') return range || `the mapping ${spec.kind === 'named' ? spec.target.name : ''} of ${proc} was refused earlier in the scenario`;
  return { t, range };
}

/** Pages of a spec: `at(n)` gives page n's address when they are not contiguous. */
export interface AddrRange { first: number; count: number; at?: (n: number) => number }
export function addrAt(r: AddrRange, n: number): number { return r.at ? r.at(n) : r.first + n * 4096; }

export function pageRange(spec: PageSpec): [number, number] {
  if (spec.kind === 'addr') return [0, 0];
  return [spec.first.value, (spec.last ?? spec.first).value];
}

export function mapSpecRange(st: RunState, proc: string, spec: MapSpec): [number, number] | string {
  if (spec.kind === 'addr') { const a = spec.addr.value - (spec.addr.value % 4096); return [a, a + spec.pages.value * 4096]; }
  const lab = st.labels.get(proc)?.get(spec.label.name);
  if (!lab) return missingLabel(st, proc, spec.label.name);
  const first = spec.first?.value ?? 0, last = spec.last?.value ?? (spec.first ? first : lab.pages - 1);
  if (lab.moved) {
    // where mremap moved the label: the span from its first to its last page still named
    const mm = st.tasksByName.get(proc)?.mm;
    const a = mm?.labels.addrOf(spec.label.name, first), b = mm?.labels.addrOf(spec.label.name, last);
    if (a !== undefined && b !== undefined && b >= a) return [a, b + 4096];
  }
  return [lab.start + first * 4096, lab.start + (last + 1) * 4096];
}

/**
 * The address ranges of a `madvise`, `munmap`, `mprotect` or `msync` of SPEC: the span of
 * mapSpecRange, or, once mremap moved some of the label's pages elsewhere, one range per run
 * of its named pages that lie next to each other ("a label keeps naming the pages it named,
 * whatever VMA now holds them"), in the label's page order; pages it no longer names are
 * left out. (The real-kernel oracle makes one call per run the same way.)
 */
export function mapSpecRuns(st: RunState, proc: string, spec: MapSpec): [number, number][] | string {
  const r = mapSpecRange(st, proc, spec);
  if (typeof r === 'string') return r;
  if (spec.kind === 'addr') return [r];
  const lab = st.labels.get(proc)?.get(spec.label.name);
  const mm = st.tasksByName.get(proc)?.mm;
  if (!lab?.moved || !mm) return [r];
  const first = spec.first?.value ?? 0, last = spec.last?.value ?? (spec.first ? first : lab.pages - 1);
  const runs: [number, number][] = [];
  for (let i = first; i <= last; i++) {
    const a = mm.labels.addrOf(spec.label.name, i);
    if (a === undefined) continue;
    const cur = runs[runs.length - 1];
    if (cur && cur[1] === a) cur[1] = a + 4096; else runs.push([a, a + 4096]);
  }
  return runs.length ? runs : [r];
}

/** The message for a label that does not exist in proc — or '' when its `mmap` already
 *  failed with a reported error (no cascade of errors on every later use). */
export function missingLabel(st: RunState, proc: string, label: string): string {
  return st.failedLabels.has(`${proc}\0${label}`) ? '' : `${proc} has no mapping labelled ${label}`;
}
