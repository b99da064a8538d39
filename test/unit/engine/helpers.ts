// Shared helpers for the engine rule tests: run a small inline scenario through the
// scenario runner and read the engine state back in kernel terms.

import { strict as assert } from 'assert';
import { runText, type RunOptions, type RunResult } from '../../../src/scenario/run';
import type { TraceEvent } from '../../../src/scenario/trace';
import type { Task } from '../../../src/engine/kernel';
import {
  _PAGE_ACCESSED, _PAGE_DIRTY, _PAGE_PRESENT, _PAGE_RW, _PAGE_SOFT_DIRTY, _PAGE_SPECIAL, pte_none,
} from '../../../src/engine/pte';

export const BASE = 0x7f0000000000;

/** Run a scenario that must have no error diagnostics and no failed expectations. */
export function run(text: string, opts: RunOptions = {}): RunResult {
  const r = runText(text, opts);
  const errs = r.diagnostics.filter((d) => d.severity === 'error');
  assert.equal(errs.length, 0, `unexpected diagnostics: ${errs.map((d) => `${d.range.start.line + 1}: ${d.message}`).join('; ')}`);
  assert.equal(r.exitStatus, 0);
  return r;
}

export function task(r: RunResult, name: string): Task {
  const pid = r.pids.get(name);
  assert.ok(pid !== undefined, `no process ${name}`);
  return r.engine.tasks.get(pid)!;
}

export interface PteBits { none: boolean; P: boolean; W: boolean; A: boolean; D: boolean; SD: boolean; S: boolean; pfn: number }

/** The PTE of page `i` of the mapping `label` in `proc`. */
export function pte(r: RunResult, proc: string, label: string, i: number): PteBits {
  const lab = r.labels.get(proc)?.get(label);
  assert.ok(lab, `no label ${proc}:${label}`);
  return pteAt(r, proc, lab.start + i * 4096);
}

export function pteAt(r: RunResult, proc: string, addr: number): PteBits {
  const mm = task(r, proc).mm;
  const f = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
  return {
    none: pte_none(f, pfn), P: !!(f & _PAGE_PRESENT), W: !!(f & _PAGE_RW), A: !!(f & _PAGE_ACCESSED),
    D: !!(f & _PAGE_DIRTY), SD: !!(f & _PAGE_SOFT_DIRTY), S: !!(f & _PAGE_SPECIAL), pfn,
  };
}

/** Assert a subset of PTE bits, e.g. { W: false, D: true }. */
export function assertPte(p: PteBits, want: Partial<PteBits>, what = ''): void {
  for (const [k, v] of Object.entries(want)) assert.equal((p as never)[k], v, `${what} PTE bit ${k}: expected ${v}, got ${(p as never)[k]}`);
}

export function faultCount(r: RunResult, proc: string): number { const t = task(r, proc); return t.minFlt + t.majFlt; }

export function allEvents(r: RunResult): TraceEvent[] { return r.steps.flatMap((s) => s.events); }

export type FaultEv = Extract<TraceEvent, { t: 'fault' }>;
export type WalkEv = Extract<TraceEvent, { t: 'walk' }>;

/** The fault events of the statement on 1-based scenario line `line` (or of all steps). */
export function faultsOf(r: RunResult, line?: number): FaultEv[] {
  const steps = line === undefined ? r.steps : r.steps.filter((s) => s.line === line - 1);
  return steps.flatMap((s) => s.events).filter((e): e is FaultEv => e.t === 'fault');
}

export function walksOf(r: RunResult): WalkEv[] { return allEvents(r).filter((e): e is WalkEv => e.t === 'walk'); }

/** The visit log of a walk as `proc:label`, skipped VMAs as `~proc:label`. */
export function visits(r: RunResult, w: WalkEv | undefined = r.recorder.lastWalk): string[] {
  if (!w) return [];
  const name = (pid: number) => r.engine.tasks.get(pid)?.name ?? String(pid);
  return w.visits.map((v) => `${v.skipped ? '~' : ''}${name(v.pid)}:${v.label}`);
}

/** The result of the last kernel operation (`expect result`). */
export function lastResult(r: RunResult): number | undefined {
  for (let i = r.steps.length - 1; i >= 0; i--) if (r.steps[i].result !== undefined) return r.steps[i].result;
  return undefined;
}

/** The 1-based line of the first statement containing `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  assert.ok(i >= 0, `no line with ${needle}`);
  return i + 1;
}

/** The i_mmap order of an object as `proc:label(pgoff)`. */
export function iMmapOrder(r: RunResult, obj: string): string[] {
  const as = r.objects.get(obj)!;
  return as.iMmap.inorder().map((v) => `${r.engine.tasks.get(v.mm.pid)?.name}:${v.label}(${v.pgoff})`);
}
