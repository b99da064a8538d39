// Language v2 VMA statements on the real kernel: not realised yet. `mremap` moves pages the
// translator's mapping model would have to follow (and /proc/PID/maps would have to be read
// back to compare `expect vma`, `expect vmas` and `expect i_mmap`); until then the oracle
// reports them as not observable, and what the engine's mremap changed taints the later
// steps that look at that process or its objects.

import type { ExpectWalk, Statement } from '../../../language/ast';
import type { EmitResult, StepContext } from '../context';
import type { OracleModel } from '../model';

/** per translation: the lines of the mremaps (not realised) that moved each process's VMAs */
const MOVED = new WeakMap<OracleModel, Map<string, number[]>>();

/**
 * An `expect walk` naming a VMA of a process whose VMAs an unrealised mremap moved: the
 * walk's order on the real kernel is that of the unmoved VMAs, so the step is tainted by it.
 */
export function walkTaint(e: ExpectWalk, cx: StepContext): number[] {
  const moved = MOVED.get(cx.model);
  if (!moved) return [];
  return [...new Set(e.entries.flatMap((x) => moved.get(x.proc.name) ?? []))];
}

export const VMA_NOT_OBSERVED: Record<'mremap' | 'expect_vma' | 'expect_vmas' | 'expect_i_mmap' | 'expect_error', string> = {
  mremap: 'mremap is not realised on the real kernel yet',
  expect_vma: 'VMAs (/proc/PID/maps) are not compared yet',
  expect_vmas: 'VMAs (/proc/PID/maps) are not compared yet',
  expect_i_mmap: 'i_mmap order has no user-space view (only through the walks kprobes observe)',
  expect_error: 'the errno of a refused statement is not compared yet',
};

export function vmaNotObserved(st: Statement, cx: StepContext): EmitResult {
  const why = (VMA_NOT_OBSERVED as Record<string, string>)[st.kind];
  if (!why) return cx.no('unknown statement');
  cx.no(why);
  if (st.kind === 'mremap') {
    const m = cx.model;
    m.taint.proc(st.proc.name, cx.line);
    let moved = MOVED.get(m);
    if (!moved) MOVED.set(m, (moved = new Map()));
    moved.set(st.proc.name, [...(moved.get(st.proc.name) ?? []), cx.line]);
    const p = m.liveProc(st.proc.name);
    if (p) for (const r of m.resolveMapSpec(p, st.spec)) if (r.ms) m.taintObject(r.ms.m.objKey, cx.line);
  }
  return undefined;
}
