// `read`, `write`: the process touches each page, in order (o_acc), and the guest records
// the fault count and what the pages' mappings look like afterwards.

import { hex } from '../cSyntax';
import { OBSERVE, type Emitter } from '../context';

export const access: Emitter<'read' | 'write'> = (st, cx) => {
  const m = cx.model, k = cx.k;
  const p = m.liveProc(st.proc.name);
  if (!p) return cx.noProc(st.proc.name);
  const r = m.resolvePages(p, st.pages);
  if (r.error) return cx.no(r.error);
  const unreal = r.pages.filter(pg => pg.ms && !pg.ms.m.realised);
  if (unreal.length === r.pages.length) {
    cx.no(`the mapping of ${unreal[0].ms!.m.obj} is not made on the real kernel (its object is not realisable, or it is too large for the guest)`);
    m.taint.proc(p.info.name, cx.line);
    return undefined;
  }
  if (unreal.length) {
    cx.partly(`pages of an unrealisable object are skipped`);
    m.taint.proc(p.info.name, cx.line);
  }
  const acc = r.pages.filter(pg => !pg.ms || pg.ms.m.realised);
  const code = acc.map(pg => `o_acc(${k}, ${hex(pg.addr)}, ${st.kind === 'write' ? 1 : 0}, ${pg.page ?? -1});`).join(' ');
  if (!cx.inProc(p.info.name, code)) return undefined;
  for (const pg of acc) {
    cx.step.accesses.push({ proc: p.info.name, mapping: pg.ms?.m.index ?? null, label: pg.ms?.m.label ?? null, page: pg.page, addr: pg.addr, write: st.kind === 'write' });
    // a store through a shared mapping dirties the folio on both sides (page_mkwrite)
    if (st.kind === 'write' && pg.ms?.m.shared && pg.page !== null) m.dirtyTaint.delete(`${pg.ms.m.obj}[${pg.ms.m.pgoff + pg.page}]`);
  }
  cx.touch(new Set(acc.filter(pg => pg.ms).map(pg => pg.ms!.m.objKey)));
  return OBSERVE;
};
