// Language v2 VMA statements on the real kernel: not realised yet. `mremap` moves pages the
// translator's mapping model would have to follow (and /proc/PID/maps would have to be read
// back to compare `expect vma`, `expect vmas` and `expect i_mmap`); until then the oracle
// reports them as not observable, and what the engine's mremap changed taints the later
// steps that look at that process or its objects.

import type { ExpectVma, ExpectVmas, ExpectWalk, Statement } from '../../../language/ast';
import { hex } from '../cSyntax';
import { PAGE_SIZE } from '../types';
import { mremap as realMremap } from './mremap';
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

/** `mremap`: realised (emitters/mremap.ts) where the translator can follow it, else reported and tainting */
export function mremapOrNot(st: Extract<Statement, { kind: 'mremap' }>, cx: StepContext): EmitResult {
  return realMremap(st, cx, () => vmaNotObserved(st, cx));
}

/** `expect error`: answered from the errno the guest recorded for the statement before it */
export function expectError(_st: Statement, cx: StepContext): EmitResult {
  cx.inDriver('');
  return undefined;
}

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

/**
 * `expect vma` / `expect vmas`: the driver reads /proc/PID/smaps (header: range, permissions,
 * offset; VmFlags) over every range the scenario ever mapped in the process — the process's
 * own VMAs (program, stack, vdso) lie elsewhere and are not counted.
 */
export function expectVmaOrVmas(st: ExpectVma | ExpectVmas, cx: StepContext): EmitResult {
  const m = cx.model;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const mine = m.mappings.filter(x => x.proc === p.info.name);
  if (mine.some(x => !x.realised)) return cx.no('the process has a mapping not made on the real kernel (its object is not realisable, or it is too large for the guest)');
  let at: number | null = null;
  if (st.kind === 'expect_vma') {
    const r = m.resolvePages(p, st.pages);
    if (r.error) return cx.no(r.error);
    at = r.pages[0]?.addr ?? null;
  }
  const ranges = scenarioRanges(mine.map(x => ({ addr: x.addr, pages: x.pages })));
  if (at !== null && !ranges.some(r => at! >= r.addr && at! < r.addr + r.pages * PAGE_SIZE)) ranges.push({ addr: at, pages: 1 });
  cx.step.vma = { at, ranges };
  const pi = m.procIndex(p.info.name);
  cx.inDriver(ranges.map(r => `smaps(${cx.k}, ${pi}, ${hex(r.addr)}, ${r.pages}, -1);`).join(' '));
  const tainted = new Set(m.taint.forProc(p.info.name));
  for (const x of mine) for (const l of m.taint.forKey(x.objKey)) tainted.add(l);
  cx.step.taintedBy = [...tainted].sort((a, b) => a - b);
  return undefined;
}

/** ranges (page-aligned) merged where they overlap or touch */
export function scenarioRanges(list: { addr: number; pages: number }[]): { addr: number; pages: number }[] {
  const sorted = [...list].sort((a, b) => a.addr - b.addr);
  const out: { addr: number; pages: number }[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.addr <= prev.addr + prev.pages * PAGE_SIZE) {
      const end = Math.max(prev.addr + prev.pages * PAGE_SIZE, r.addr + r.pages * PAGE_SIZE);
      prev.pages = (end - prev.addr) / PAGE_SIZE;
    } else out.push({ ...r });
  }
  return out;
}
