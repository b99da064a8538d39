// Expectations: the step says what the guest must record for the comparison (compare.ts).
// `expect pte` and `expect folio` read pagemap/kpageflags (and, with kprobes, the PTE
// values); walks, results and deferred I/O come from the kprobe trace; faults and signals
// from what every step already records.

import { walkTaint } from './vmas';
import { expectFolioOfProc } from './folioOfProc';
import { OBSERVE, type Emitter } from '../context';
import { folioFlagObservable, pteFlagObservable } from '../observable';
import { PAGE_SIZE } from '../types';

export const expectPte: Emitter<'expect_pte'> = (e, cx) => {
  const m = cx.model, step = cx.step;
  const p = m.liveProc(e.proc.name);
  if (!p) return cx.noProc(e.proc.name);
  const r = m.resolvePages(p, e.pages);
  if (r.error) return cx.no(r.error);
  if (r.pages.some(pg => pg.ms && !pg.ms.m.realised)) return cx.no('the mapping is not made on the real kernel (its object is not realisable, or it is too large for the guest)');
  const unobs = e.flags.filter(f => !pteFlagObservable(f.kind, cx.opts.probes)).map(f => (f.negated ? '!' : '') + f.kind);
  if (unobs.length === e.flags.length) return cx.no(`not visible from user space: ${unobs.join(' ')}`);
  if (unobs.length) cx.partly(`not visible from user space: ${unobs.join(' ')}`);
  // snapshot exactly the expected pages, grouped in runs per mapping
  for (const pg of r.pages) {
    const prev = step.snapshots[step.snapshots.length - 1];
    const mi = pg.ms?.m.index ?? -1;
    if (prev && prev.mapping === mi && prev.addr + prev.pages * PAGE_SIZE === pg.addr) { prev.pages++; continue; }
    step.snapshots.push({ proc: p.info.name, mapping: mi, label: pg.ms?.m.label ?? null, page: pg.page ?? 0, addr: pg.addr, pages: 1 });
  }
  for (const f of e.flags) {
    if (f.kind === 'maps' && typeof f.target === 'object') {
      const o = m.obj(f.target.obj.name);
      if (!o || !o.realisable) cx.partly(`maps ${f.target.obj.name}[${f.target.index.value}]: not realisable`);
      else step.objPages.push({ obj: o.name, index: f.target.index.value });
    }
  }
  step.runsIn = 'driver';
  return OBSERVE;
};

export const expectFolio: Emitter<'expect_folio'> = (e, cx) => {
  if (e.proc) return expectFolioOfProc(e, cx);
  const m = cx.model, step = cx.step;
  if (e.page.kind !== 'named') return cx.no('expect folio needs OBJ[I]');
  const o = m.obj(e.page.target.name);
  if (!o) return cx.no(`no object ${e.page.target.name}`);
  if (!o.realisable) return cx.no(`${o.name}: ${o.reason}`);
  const unobs = e.flags.filter(f => !folioFlagObservable(f.kind, o.kind, cx.opts.probes)).map(f => (f.negated ? '!' : '') + f.kind);
  if (unobs.length === e.flags.length) return cx.no(`not visible from user space: ${unobs.join(' ')}`);
  if (unobs.length) cx.partly(`not visible from user space: ${unobs.join(' ')}`);
  const first = e.page.first.value, last = e.page.last?.value ?? first;
  const fields = e.flags.filter(f => f.kind === 'mapping' || f.kind === 'index');
  // the driver's own probe mapping of an fb page would fault it in (and, up to 6.14, set
  // page->mapping): only when a flag needs it
  if (e.flags.some(f => f.kind !== 'mapping' && f.kind !== 'index')) for (let i = first; i <= last; i++) step.objPages.push({ obj: o.name, index: i });
  if (fields.length && o.kind === 'fbdev' && cx.opts.probes !== false) {
    step.folioPtes = [];
    for (let i = first; i <= last; i++) {
      for (const ms of m.live) {
        const at = i - ms.m.pgoff;
        if (ms.m.objKey !== o.name || !ms.m.realised || at < 0 || at >= ms.m.pages || !ms.mapped[at] || !m.procs.get(ms.m.proc)?.alive) continue;
        const addr = ms.m.addr + at * PAGE_SIZE;
        step.folioPtes.push({ obj: o.name, index: i, proc: ms.m.proc, addr });
        step.snapshots.push({ proc: ms.m.proc, mapping: ms.m.index, label: ms.m.label, page: at, addr, pages: 1 });
      }
    }
  }
  step.runsIn = 'driver';
  return OBSERVE;
};

/** answered from the kprobe trace (kprobes.ts): the step only marks its place in it */
export const fromTrace: Emitter<'expect_result' | 'expect_walk' | 'expect_defio_pending' | 'expect_defio_written'> = (e, cx) => {
  cx.inDriver('');
  if (e.kind === 'expect_walk') {
    const moved = walkTaint(e, cx);
    if (moved.length) cx.step.taintedBy = moved;
  }
  return undefined;
};

/** answered from the fault counts and signals already recorded */
export const fromCounts: Emitter<'expect_faults' | 'expect_signal'> = (e, cx) => {
  const p = cx.model.liveProc(e.proc.name);
  if (!p) return cx.noProc(e.proc.name);
  cx.step.taintedBy = cx.model.taint.forProc(p.info.name);
  return undefined;
};
