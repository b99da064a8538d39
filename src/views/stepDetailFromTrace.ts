// The detail of a step from a TraceIndex (checkpoints + deltas, no replay), for runs too big
// to replay.
//
// TraceIndex (timeTravel.ts) rebuilds PTEs, VMAs and the traced folio fields at any step.
// What it cannot rebuild is filled in as follows: mapcount is the number of present,
// non-special PTEs mapping the PFN at that step (what folio_mapcount counts for these
// small folios); fault counts are counted from the fault records up to the step; the
// i_mmap list is the VMAs (at that step) mapping the object, in pgoff order; PG_locked /
// PG_readahead transients, refcount and the deferred-I/O state are not shown (defio is
// null except at the last step, which is described from the finished engine).


import { smapsFlags, VM_SHARED } from '../engine/vma';
import { _PAGE_PRESENT, _PAGE_SPECIAL } from '../engine/pte';
import { PG_NAMES } from '../engine/memmap';
import type { RunResult } from '../scenario/run';
import type { TraceEvent, VmaSnapshot } from '../scenario/trace';
import type { TraceIndex } from '../scenario/timeTravel';
import {
  MAX_CELLS, MAX_FOLIOS, type FolioView, type IntervalView, type ObjectView, type ProcView, type StepDetail, type VmaView, type WalkView,
} from '../shared/inspectorView';
import { hex, pteKey, sourceLine, type Names } from './names';
import { describeStep } from './narrate';
import { buildStepDetail, cellOf, stepChanges } from './stepDetail';
import { walkView, type WalkLookups } from './walkView';
import { pageGroups, stripPages } from './pageGroups';

function snapObjectName(run: RunResult, file: number, names: Names): string {
  if (!file) return 'anon';
  return run.engine.objects.get(file)?.anonShmem ? 'anon (shared)' : names.obj(file);
}

/** Fault counts per pid over steps 0..step (from the fault records). */
function faultCounts(run: RunResult, step: number): Map<number, { min: number; maj: number }> {
  const out = new Map<number, { min: number; maj: number }>();
  const rec = run.recorder;
  rec.decode(0, step + 1, (c) => {
    if (c.t !== 'fault') return;
    let m = out.get(c.pid);
    if (!m) { m = { min: 0, maj: 0 }; out.set(c.pid, m); }
    const o = rec.materialise(c) as Extract<TraceEvent, { t: 'fault' }>;
    if (o.outcome === 'major') m.maj++; else if (o.outcome === 'minor' || o.outcome === undefined) m.min++;
  });
  return out;
}

/**
 * The detail of a step from a TraceIndex (no replay): address spaces from the PTE and VMA
 * history, folios from the traced folio fields with mapcount counted from the PTEs.
 */
export function buildStepDetailFromTrace(run: RunResult, text: string, stepIndex: number, ti: TraceIndex): StepDetail {
  const last = run.steps.length - 1;
  if (stepIndex >= last) return buildStepDetail(run, text, stepIndex, run.engine);
  const { names, step, changed, changedVmaPids, changedPfns, stepEvents, lines } = stepChanges(run, text, stepIndex);
  const faults = faultCounts(run, stepIndex);
  const pids = [...run.pids].sort((a, b) => a[1] - b[1]);
  const vmasOf = new Map<number, VmaSnapshot[]>();
  for (const [, pid] of pids) vmasOf.set(pid, ti.vmasAt(stepIndex, pid));

  let pteCount = 0;
  const procs: ProcView[] = [];
  for (const [name, pid] of pids) {
    // a process exists from the step that created it (its first VMA snapshot or PTE)
    const vs = vmasOf.get(pid)!;
    const vmas: VmaView[] = vs.map((v) => {
      const pages = (v.end - v.start) / 4096;
      const n = stripPages(pages, v.start, (i) => ti.pteAt(stepIndex, pid, v.start + i * 4096).flags >>> 0);
      let cells = '';
      const ch: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = v.start + i * 4096;
        const p = ti.pteAt(stepIndex, pid, a);
        cells += cellOf(p.flags >>> 0, p.pfn);
        if (changed.has(pteKey(pid, a))) ch.push(i);
      }
      // the trace has no folio order: PMD entries only
      const groups = pageGroups(n, v.start, (i) => { const p = ti.pteAt(stepIndex, pid, v.start + i * 4096); return { flags: p.flags >>> 0, pfn: p.pfn }; });
      return {
        id: v.id, start: hex(v.start), end: hex(v.end), pgoff: v.pgoff, flags: smapsFlags(v.flags),
        object: snapObjectName(run, v.file, names), label: v.label ?? null, cells, changed: ch, pages,
        ...(groups.length ? { groups } : {}),
      };
    });
    pteCount += ti.pteCount(stepIndex, { pid });
    const f = faults.get(pid) ?? { min: 0, maj: 0 };
    // exits are not in the trace (the last step, described from the engine, has them)
    procs.push({ name, pid, alive: true, minFlt: f.min, majFlt: f.maj, vmas, changedVmas: changedVmaPids.has(pid) });
  }

  // folios of each object at this step: the PFNs whose traced page-cache state names the object
  const objects: ObjectView[] = [];
  const mmSize = run.engine.memmap.flags.length;
  const want = new Map<number, FolioView[]>();
  const byPfn = new Map<number, FolioView>();
  for (const [name, as] of run.objects) {
    const o = run.engine.objects.get(as.id) ?? as;
    const folios: FolioView[] = [];
    const mk = (index: number, pfn: number, flags: number, mapping: number, pageIndex: number | null, cached: boolean): FolioView => {
      const fv: FolioView = {
        index, pfn: pfn ? hex(pfn) : '—', cached, flags: PG_NAMES.filter(([b]) => flags & b).map(([, n]) => n), mapcount: 0,
        mapping: !pfn ? '—' : mapping === 0 ? 'NULL' : mapping > 0 ? names.obj(mapping) : `anon_vma ${-mapping}`,
        pageIndex, changed: changedPfns.has(pfn),
      };
      if (pfn) byPfn.set(pfn, fv);
      return fv;
    };
    if (o.backing) {
      for (let i = 0; i < Math.min(o.sizePages, MAX_FOLIOS); i++) {
        const pfn = run.engine.pfnOf(o, i);
        const f = ti.folioAt(stepIndex, pfn);
        folios.push(mk(i, pfn, f.flags, f.mapping, f.mapping ? f.index : null, pfn !== 0));
      }
    } else {
      for (let pfn = 1; pfn < mmSize; pfn++) {
        const f = ti.folioAt(stepIndex, pfn);
        if (f.cached !== as.id || f.index >= MAX_FOLIOS) continue;
        folios.push(mk(f.index, pfn, f.flags, f.mapping, f.index, true));
      }
      folios.sort((a, b) => a.index - b.index);
    }
    want.set(as.id, folios);
    const iMmap: IntervalView[] = [];
    for (const [pname, pid] of pids) {
      for (const v of vmasOf.get(pid)!) {
        if (v.file !== as.id) continue;
        const pages = (v.end - v.start) / 4096;
        iMmap.push({ proc: pname, label: v.label ?? null, vmaStart: hex(v.start), vmaEnd: hex(v.end), first: v.pgoff, last: v.pgoff + pages - 1, shared: (v.flags & VM_SHARED) !== 0 });
      }
    }
    iMmap.sort((a, b) => a.first - b.first || a.last - b.last);
    objects.push({ name, kind: o.kind, pages: o.sizePages, nrpages: o.backing ? o.sizePages : folios.length, folios, iMmap, defio: null });
  }
  // mapcount: present, non-special PTEs mapping each shown folio's PFN at this step
  if (byPfn.size) {
    for (const [, pid] of pids) {
      const n = ti.pteCount(stepIndex, { pid });
      for (let off = 0; off < n; off += 65536) {
        for (const p of ti.ptesAt(stepIndex, { pid }, off, 65536)) {
          if (!(p.flags & _PAGE_PRESENT) || (p.flags & _PAGE_SPECIAL)) continue;
          const fv = byPfn.get(p.pfn);
          if (fv) fv.mapcount++;
        }
      }
    }
  }

  const lookups: WalkLookups = {
    vma: (pid, id) => {
      const v = vmasOf.get(pid)?.find((x) => x.id === id);
      return v ? { start: v.start, end: v.end, pgoff: v.pgoff, lastPgoff: v.pgoff + (v.end - v.start) / 4096 - 1 } : undefined;
    },
    pte: (pid, addr) => ti.pteAt(stepIndex, pid, addr),
  };
  const walks: WalkView[] = [];
  for (let wi = 0; wi < stepEvents.length; wi++) {
    const e = stepEvents[wi];
    if (e.t === 'walk') walks.push(walkView(e, stepEvents, wi, lookups, names));
  }
  return {
    step: stepIndex, line: step?.line ?? 0, time: step?.time ?? 0, source: step ? sourceLine(lines, step.line) : '',
    text: step ? (step.expect ? [step.expect.message] : describeStep(step, names, run)) : [],
    procs, objects, walks, pteCount, pteChanged: changed.size,
  };
}

