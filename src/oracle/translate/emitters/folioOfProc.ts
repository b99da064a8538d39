// `expect folio PROC LABEL[I] …` (v2): the folio of the page PROC maps at LABEL[I]. The
// driver snapshots those pages (pagemap → kpagecount, kpageflags); results.ts
// (procFolioChecks) answers `mapcount N` (kpagecount) and `large` (kpageflags
// COMPOUND_HEAD/TAIL). `order N`, `folio_mapcount N` and the folio flags are not checked
// from these reads (6.1's kpageflags give a tail page's own flags, not the folio's).

import { OBSERVE, type Emitter } from '../context';

export const PROC_FOLIO_FLAGS: ReadonlySet<string> = new Set(['mapcount', 'large']);

export const expectFolioOfProc: Emitter<'expect_folio'> = (e, cx) => {
  const m = cx.model, step = cx.step;
  const p = e.proc ? m.liveProc(e.proc.name) : undefined;
  if (!e.proc || !p) return cx.noProc(e.proc?.name ?? '?');
  const r = m.resolvePages(p, e.page);
  if (r.error) return cx.no(r.error);
  if (r.pages.some(pg => pg.ms && !pg.ms.m.realised)) return cx.no('the mapping is not made on the real kernel (its object is not realisable, or it is too large for the guest)');
  const unobs = e.flags.filter(f => !PROC_FOLIO_FLAGS.has(f.kind)).map(f => (f.negated ? '!' : '') + f.kind);
  if (unobs.length === e.flags.length) return cx.no(`not read from kpageflags/kpagecount: ${unobs.join(' ')}`);
  if (unobs.length) cx.partly(`not read from kpageflags/kpagecount: ${unobs.join(' ')}`);
  for (const pg of r.pages) {
    step.snapshots.push({ proc: p.info.name, mapping: pg.ms?.m.index ?? -1, label: pg.ms?.m.label ?? null, page: pg.page ?? 0, addr: pg.addr, pages: 1 });
  }
  step.runsIn = 'driver';
  return OBSERVE;
};
