// Statements about one page of a process done by the process itself (`split PROC LABEL[I]`,
// `migrate PROC LABEL[I]`): the page's address, run in that process; afterwards every live
// mapping of the page's object is recorded (the operation may change each of them).

import type { Ident, PageSpec } from '../../../language/ast';
import { hex } from '../cSyntax';
import { OBSERVE, type EmitResult, type StepContext } from '../context';

export function inProcAtPage(proc: Ident, page: PageSpec, cx: StepContext, code: (addr: string) => string): EmitResult {
  const m = cx.model;
  const p = m.liveProc(proc.name);
  if (!p) return cx.noProc(proc.name);
  const r = m.resolvePages(p, page);
  if (r.error) return cx.no(r.error);
  const pg = r.pages[0];
  if (!pg || (pg.ms && !pg.ms.m.realised)) return cx.no('the mapping is not made on the real kernel (its object is not realisable, or it is too large for the guest)');
  if (!cx.inProc(p.info.name, code(hex(pg.addr)))) return undefined;
  if (pg.ms) cx.touch(new Set([pg.ms.m.objKey]));
  return OBSERVE;
}
