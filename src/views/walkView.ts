// An rmap walk as the inspector draws it: each VMA visited or skipped (and why), and per
// PTE the state before and after the walk, read from the step's events and the state at
// that step (an engine, or a TraceIndex).

import type { Kernel } from '../engine/kernel';
import { formatPteFlags } from '../engine/pte';
import { pgdIndex, pudIndex, pmdIndex, pteIndex } from '../engine/pageTable';
import type { TraceEvent } from '../scenario/trace';
import type { WalkPteView, WalkVisitView, WalkView } from '../shared/inspectorView';
import { hex, type Names } from './names';

/** What a walk's view reads from the state at its step (an engine, or a TraceIndex). */
export interface WalkLookups {
  vma(pid: number, id: number): { start: number; end: number; pgoff: number; lastPgoff: number } | undefined;
  pte(pid: number, addr: number): { flags: number; pfn: number } | undefined;
}

export function kernelLookups(k: Kernel): WalkLookups {
  return {
    vma: (pid, id) => k.tasks.get(pid)?.mm.vmas.find((v) => v.id === id),
    pte: (pid, addr) => { const mm = k.tasks.get(pid)?.mm; return mm ? { flags: mm.pteFlags(addr), pfn: mm.ptePfn(addr) } : undefined; },
  };
}

export function walkView(e: Extract<TraceEvent, { t: 'walk' }>, evs: TraceEvent[], at: number, k: WalkLookups, names: Names): WalkView {
  const pfnFirst = e.pfn, nr = Math.max(1, e.nr);
  const visits: WalkVisitView[] = e.visits.map((v) => {
    const vma = k.vma(v.pid, v.vma);
    const ptes: WalkPteView[] = v.ptes.map((p) => {
      // the PTE change this walk made is the first pte event for (pid, addr) after the walk began
      let before: string | undefined, after: string | undefined;
      for (let j = at + 1; j < evs.length; j++) {
        const x = evs[j];
        if (x.t === 'walk') break;
        if (x.t === 'pte' && x.pid === v.pid && x.addr === p.addr) {
          before ??= formatPteFlags(x.before.flags >>> 0, x.before.pfn); after = formatPteFlags(x.after.flags >>> 0, x.after.pfn);
        }
      }
      if (before === undefined) {
        const pte = k.pte(v.pid, p.addr);
        before = after = pte ? formatPteFlags(pte.flags >>> 0, pte.pfn) : '?';
      }
      return { addr: hex(p.addr), indices: [pgdIndex(p.addr), pudIndex(p.addr), pmdIndex(p.addr), pteIndex(p.addr)], before, after: after!, counted: p.counted };
    });
    return {
      proc: names.proc(v.pid), label: v.label ?? null,
      vma: vma ? `${hex(vma.start)}–${hex(vma.end)}` : `vma ${v.vma}`,
      interval: vma ? `[${vma.pgoff}, ${vma.lastPgoff}]` : '',
      skipped: v.skipped, reason: v.reason ?? null, address: v.skipped ? null : hex(v.address), ptes,
    };
  });
  return {
    api: e.api, mapping: e.mapping ? names.obj(e.mapping) : '—', pgoffFirst: e.pgoff, pgoffLast: e.pgoff + nr - 1,
    pfnFirst: hex(pfnFirst), pfnLast: hex(pfnFirst + nr - 1), path: e.path, visits, result: e.result ?? null,
  };
}
