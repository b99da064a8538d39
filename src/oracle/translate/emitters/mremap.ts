// `mremap` on the real kernel: mremap(2) by the process — MREMAP_MAYMOVE|MREMAP_FIXED for
// `to ADDR`, flags 0 in place — over a range that lies in one mapping the translator knows.
// The translator predicts the kernel's answer from its mapping model (mm/mremap.c:
// mremap_to's EINVAL for a target that is not page-aligned or overlaps the old range,
// vma_to_resize's EFAULT where no VMA holds the range, ENOMEM for an in-place grow that does
// not end the VMA or runs into the next mapping) and moves, grows or shrinks the mapping so
// later accesses and snapshots use the new addresses; the errno the guest records is what
// `expect error` compares (vmaChecks.ts). A move of part of a label leaves its pages in two
// mappings, each indexed by the label's page numbers. A range over several mappings is not
// realised: vmas.ts reports it and taints the process.

import type { MremapStmt } from '../../../language/ast';
import { hex } from '../cSyntax';
import { OBSERVE, type EmitResult, type StepContext } from '../context';
import type { MapState, OracleModel, ProcState } from '../model';
import { PAGE_SIZE } from '../types';

export type MremapPlan =
  | { kind: 'refused'; errno: 'EFAULT' | 'ENOMEM' | 'EINVAL'; addr: number; oldPages: number }
  | { kind: 'resize' | 'move'; ms: MapState; addr: number; oldPages: number; newPages: number; to: number | null };

/** what the kernel does with this mremap, from the translator's model; null: not realised */
export function planMremap(m: OracleModel, p: ProcState, st: MremapStmt): MremapPlan | null {
  const runs = m.resolveMapSpec(p, st.spec);
  if (runs.length !== 1) return null;
  const r = runs[0];
  const to = st.to?.value ?? null;
  const newPages = st.newPages?.value ?? r.pages;
  // mremap_to() checks the target before it looks up the old VMA: page-aligned, no overlap
  if (to !== null && (to % PAGE_SIZE !== 0 || (r.addr + r.pages * PAGE_SIZE > to && to + newPages * PAGE_SIZE > r.addr))) {
    return { kind: 'refused', errno: 'EINVAL', addr: r.addr, oldPages: r.pages };
  }
  const hit = r.ms ? [{ ms: r.ms, first: r.first, last: r.last }] : m.mapsInRange(p, r.addr, r.pages);
  const first = m.mappingAt(p, r.addr);
  if (!first) return { kind: 'refused', errno: 'EFAULT', addr: r.addr, oldPages: r.pages };
  if (hit.length !== 1 || hit[0].last - hit[0].first + 1 !== r.pages || !hit[0].ms.m.realised) return null;
  const ms = hit[0].ms;
  const endsMapping = hit[0].last === ms.m.pages - 1;
  if (to === null) {
    if (newPages <= r.pages) return { kind: 'resize', ms, addr: r.addr, oldPages: r.pages, newPages, to };
    const end = r.addr + r.pages * PAGE_SIZE;
    if (!endsMapping || m.mapsInRange(p, end, newPages - r.pages).length) return { kind: 'refused', errno: 'ENOMEM', addr: r.addr, oldPages: r.pages };
    return { kind: 'resize', ms, addr: r.addr, oldPages: r.pages, newPages, to };
  }
  return { kind: 'move', ms, addr: r.addr, oldPages: r.pages, newPages, to };
}

/** the model after a realised mremap: the mapping's new place and length */
export function applyMremap(m: OracleModel, p: ProcState, plan: MremapPlan, line: number): MapState | null {
  if (plan.kind === 'refused') return null;
  const old = plan.ms;
  if (plan.kind === 'resize' && plan.newPages <= plan.oldPages) {
    // shrinking unmaps the range's tail: the mapping keeps its place
    const first = (plan.addr - old.m.addr) / PAGE_SIZE;
    for (let i = first + plan.newPages; i < first + plan.oldPages; i++) old.mapped[i] = false;
    m.dropEmpty(p);
    return p.maps.includes(old) ? old : null;
  }
  const first = (plan.addr - old.m.addr) / PAGE_SIZE;
  let addr: number, pages: number, mapped: boolean[];
  if (plan.to !== null) {
    // MREMAP_FIXED: whatever the process mapped at the target is unmapped first
    for (const h of m.mapsInRange(p, plan.to, plan.newPages)) for (let i = h.first; i <= h.last; i++) h.ms.mapped[i] = false;
    // the moved pages keep their label indexes: the new mapping's page i is LABEL[i], the
    // pages before `first` (not moved) are not mapped in it
    addr = plan.to - first * PAGE_SIZE;
    pages = first + plan.newPages;
    mapped = Array.from({ length: pages }, (_, i) => i >= first && (i >= first + plan.oldPages || old.mapped[i]));
    for (let i = first; i < first + plan.oldPages; i++) old.mapped[i] = false;
  } else {
    addr = old.m.addr;
    pages = old.m.pages - plan.oldPages + plan.newPages;
    mapped = [...old.mapped, ...new Array(Math.max(0, pages - old.m.pages)).fill(true)].slice(0, pages);
    old.mapped.fill(false);
  }
  m.dropEmpty(p);
  const { index: _index, ...rest } = old.m;
  const ms = m.addMapping(p, { ...rest, addr, pages, line, realised: true });
  ms.mapped = mapped;
  return ms;
}

export function mremap(st: MremapStmt, cx: StepContext, notRealised: () => EmitResult): EmitResult {
  const m = cx.model;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const plan = planMremap(m, p, st);
  if (!plan) return notRealised();
  const newPages = plan.kind === 'refused' ? (st.newPages?.value ?? plan.oldPages) : plan.newPages;
  const code = `o_mremap(${cx.k}, ${hex(plan.addr)}, ${hex(plan.oldPages * PAGE_SIZE)}, ${hex(newPages * PAGE_SIZE)}, ${hex(st.to?.value ?? 0)});`;
  if (!cx.inProc(p.info.name, code)) return undefined;
  if (plan.kind === 'refused') {
    // nothing changes: the mapping the refused call named, if any, is recorded unchanged
    cx.step.reason = `the kernel refuses it (${plan.errno})`;
    const at = m.mappingAt(p, plan.addr);
    if (at) cx.touch(new Set([at.ms.m.objKey]));
    return OBSERVE;
  }
  const key = plan.ms.m.objKey;
  applyMremap(m, p, plan, cx.line);
  cx.touch(new Set([key]));
  return OBSERVE;
}
