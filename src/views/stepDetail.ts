// The detail of one step (address spaces with PTE cells, objects with folios, i_mmap order
// and the deferred-I/O list, rmap walks) from the engine state at that step. The state
// comes from replaying the scenario's statements up to the step on a fresh engine (the
// engine is deterministic), so i_mmap order, the pagereflist and the timers are the
// kernel's own, not reconstructed.

import { fbDefioOf } from '../engine/drivers/fbDefio';
import type { Statement } from '../language/ast';
import type { Kernel } from '../engine/kernel';
import type { AddressSpace } from '../engine/addressSpace';
import type { Vma } from '../engine/vma';
import { smapsFlags, VM_SHARED } from '../engine/vma';
import { pte_none, pte_present, _PAGE_PRESENT, _PAGE_RW, _PAGE_DIRTY, _PAGE_SPECIAL, _PAGE_PROTNONE } from '../engine/pte';
import { FOLIO_FLAG_BITS, PG_NAMES, ZERO_PFN, PG_allocated, isHugeZeroPfn } from '../engine/memmap';
import { kpagecount } from '../engine/folio';
import { is_migration_pte, is_swap_pte } from '../engine/swapEntry';
import { runScenario, type RunOptions, type RunResult } from '../scenario/run';
import {
  MAX_CELLS, MAX_FOLIOS, type CellCode, type FolioView, type IntervalView, type ObjectView, type ProcView, type StepDetail,
  type VmaView, type WalkView,
} from '../shared/inspectorView';
import { hex, namesOf, pteKey, sourceLine, type Names } from './names';
import { describeStep } from './narrate';
import { changedPtes, scanStep } from './stepScan';
import { kernelLookups, walkView } from './walkView';
import { pageGroups, stripPages } from './pageGroups';

/** The engine state after each step, by replaying a prefix of the statements (LRU cached). */
export class StateAtStep {
  private cache = new Map<number, Kernel>();
  constructor(readonly run: RunResult, private readonly opts: RunOptions = {}, private readonly keep = 3) {}

  engineAt(step: number): Kernel {
    const last = this.run.steps.length - 1;
    if (step >= last) return this.run.engine;
    const hit = this.cache.get(step);
    if (hit) { this.cache.delete(step); this.cache.set(step, hit); return hit; }
    const statements: Statement[] = this.run.scenario.statements.slice(0, step + 1);
    const r = runScenario({ ...this.run.scenario, statements }, [], this.opts);
    this.cache.set(step, r.engine);
    while (this.cache.size > this.keep) this.cache.delete(this.cache.keys().next().value as number);
    return r.engine;
  }
}

export function cellOf(flags: number, pfn: number): CellCode {
  if (pte_none(flags, pfn)) return 'n';
  if (is_swap_pte(flags)) return is_migration_pte(flags) ? 'm' : 'x';
  if (!(flags & _PAGE_PRESENT)) return flags & _PAGE_PROTNONE ? 'p' : 'n';
  if (flags & _PAGE_DIRTY) return 'd';
  if (flags & _PAGE_SPECIAL || pfn === ZERO_PFN || isHugeZeroPfn(pfn)) return 's';
  return flags & _PAGE_RW ? 'w' : 'r';
}


function objectName(v: Vma, names: Names): string {
  if (!v.file) return 'anon';
  return v.file.anonShmem ? 'anon (shared)' : names.obj(v.file.id);
}

/** What a present PTE maps: object[index], anon, zero. */
export function mapsOf(k: Kernel, v: Vma | undefined, addr: number, pfn: number, names: Names): string {
  if (pfn === ZERO_PFN) return 'zero';
  if (isHugeZeroPfn(pfn)) return 'huge zero';
  if (!v) return '?';
  if (!v.file) return 'anon';
  const idx = v.pgoff + (addr - v.start) / 4096;
  // a COW copy in a private file mapping is anon memory
  if (!(v.flags & VM_SHARED) && v.file.kind !== 'pfnmap' && k.pfnOf(v.file, idx) !== pfn) return 'anon';
  return `${v.file.anonShmem ? 'anon(shared)' : names.obj(v.file.id)}[${idx}]`;
}

function folioView(k: Kernel, as: AddressSpace, index: number, pfn: number, changed: Set<number>, names: Names): FolioView {
  const mm = k.memmap;
  const valid = pfn !== 0 && mm.pfnValid(pfn);
  // folio flags are the head's; a large folio's page also says head/tail and the order
  // (as /proc/kpageflags: COMPOUND_HEAD / COMPOUND_TAIL, THP), and its mapcount is
  // kpagecount's (its PTE mappings plus the folio's PMD mappings)
  const head = valid ? mm.head(pfn) : pfn;
  const flags = valid ? PG_NAMES.filter(([b]) => mm.flags[b & FOLIO_FLAG_BITS ? head : pfn] & b).map(([, n]) => n) : [];
  if (valid && mm.order[pfn]) flags.push(head === pfn ? `head, order ${mm.order[pfn]}` : `tail ${pfn - head} of ${hex(head)}`);
  const mp = valid ? mm.mapping[pfn] : 0;
  return {
    index, pfn: pfn ? hex(pfn) : '—', cached: as.backing ? pfn !== 0 : as.folioAt(index) !== 0, flags,
    mapcount: valid ? kpagecount(mm, pfn) : 0,
    mapping: !valid ? (pfn ? 'no struct page' : '—') : mp === 0 ? 'NULL' : mp > 0 ? names.obj(mp) : `anon_vma ${-mp}`,
    pageIndex: valid && mp !== 0 ? mm.index[pfn] : null, changed: changed.has(pfn),
  };
}


/** What a step changed (PTEs, VMA layouts, folios), shared by both ways of building its detail. */
export function stepChanges(run: RunResult, text: string, stepIndex: number) {
  const names = namesOf(run);
  const step = run.steps[stepIndex];
  const changed = step ? changedPtes(run, step) : new Set<number>();
  const changedVmaPids = new Set<number>();
  const changedPfns = new Set<number>();
  const stepEvents = step ? scanStep(run, step).events : [];
  for (const e of stepEvents) { if (e.t === 'vmas') changedVmaPids.add(e.pid); if (e.t === 'folio') changedPfns.add(e.pfn); }
  return { names, step, changed, changedVmaPids, changedPfns, stepEvents, lines: text.split(/\r?\n/) };
}

export function buildStepDetail(run: RunResult, text: string, stepIndex: number, k: Kernel): StepDetail {
  const { names, step, changed, changedVmaPids, changedPfns, stepEvents, lines } = stepChanges(run, text, stepIndex);

  let pteCount = 0;
  const procs: ProcView[] = [];
  for (const t of k.tasks.values()) {
    const vmas: VmaView[] = t.mm.vmas.map((v) => {
      const n = stripPages(v.pages, v.start, (i) => t.mm.pteFlags(v.start + i * 4096));
      let cells = '';
      const ch: number[] = [];
      for (let i = 0; i < n; i++) {
        const a = v.start + i * 4096;
        cells += cellOf(t.mm.pteFlags(a), t.mm.ptePfn(a));
        if (changed.has(pteKey(t.pid, a))) ch.push(i);
      }
      const groups = pageGroups(n, v.start, (i) => {
        const a = v.start + i * 4096, flags = t.mm.pteFlags(a), pfn = t.mm.ptePfn(a);
        const folio = pte_present(flags) && k.memmap.pfnValid(pfn);
        return { flags, pfn, head: folio ? k.memmap.head(pfn) : undefined, order: folio ? k.memmap.order[pfn] : undefined };
      });
      return {
        id: v.id, start: hex(v.start), end: hex(v.end), pgoff: v.pgoff, flags: smapsFlags(v.flags),
        object: objectName(v, names), label: v.label ?? null, cells, changed: ch, pages: v.pages,
        ...(groups.length ? { groups } : {}),
      };
    });
    for (const tb of t.mm.pt.tables()) pteCount += tb.used;
    procs.push({ name: t.name, pid: t.pid, alive: t.alive, minFlt: t.minFlt, majFlt: t.majFlt, vmas, changedVmas: changedVmaPids.has(t.pid) });
  }

  const objects: ObjectView[] = [];
  for (const [name, as] of run.objects) {
    // the replayed engine has its own AddressSpace objects: find by id
    const o = k.objects.get(as.id);
    if (!o) continue;
    const folios: FolioView[] = [];
    const n = Math.min(o.sizePages, MAX_FOLIOS);
    for (let i = 0; i < n; i++) {
      const pfn = k.pfnOf(o, i);
      if (!o.backing && pfn === 0) continue;
      folios.push(folioView(k, o, i, pfn, changedPfns, names));
    }
    const iMmap: IntervalView[] = o.iMmap.inorder().map((v) => ({
      proc: names.proc(v.mm.pid), label: v.label ?? null, vmaStart: hex(v.start), vmaEnd: hex(v.end),
      first: v.pgoff, last: v.lastPgoff, shared: (v.flags & VM_SHARED) !== 0,
    }));
    const fb = fbDefioOf(o);
    objects.push({
      name, kind: o.kind, pages: o.sizePages, nrpages: o.backing ? o.sizePages : o.nrpages, folios, iMmap,
      defio: fb ? { pending: [...fb.pagereflist], due: fb.workDue ?? null, delay: fb.delay, lastWritten: [...fb.lastWritten], workRuns: fb.workRuns, sorted: fb.sorted } : null,
    });
  }

  const walks: WalkView[] = [];
  if (step) {
    const evs = stepEvents;
    for (let wi = 0; wi < evs.length; wi++) {
      const e = evs[wi];
      if (e.t !== 'walk') continue;
      walks.push(walkView(e, evs, wi, kernelLookups(k), names));
    }
  }
  return {
    step: stepIndex, line: step?.line ?? 0, time: step?.time ?? 0, source: step ? sourceLine(lines, step.line) : '',
    text: step ? (step.expect ? [step.expect.message] : describeStep(step, names, run)) : [],
    procs, objects, walks, pteCount, pteChanged: changed.size,
  };
}

/** Whether a PFN has a struct page in use (for tests and the objects view). */
export function hasStructPage(k: Kernel, pfn: number): boolean { return (k.memmap.flags[pfn] & PG_allocated) !== 0; }
