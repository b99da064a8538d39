// Language v2 large-folio statements on the real kernel. `split` is a write to debugfs's
// split_huge_pages (mm/huge_memory.c, 5.13+): `split PROC LABEL[I]` by the process itself
// ("pid,start,end": split_huge_pages_pid() splits the THP that maps that page with
// split_huge_page(), 6.12 split_folio_to_order(folio, 0), as the engine's split_folio()),
// `split OBJ[I]` over page-cache index I ("path,I,I+1": split_huge_pages_in_file()).
// MADV_COLLAPSE is in emitters/madvise.ts; THP knobs in emitters/thpKnobs.ts.

import { OBSERVE, type Emitter } from '../context';
import { inProcAtPage } from './onePage';

export const split: Emitter<'split'> = (st, cx) => {
  const m = cx.model;
  if (!st.proc) {
    if (st.page.kind !== 'named') return cx.no('split OBJ[I] needs a named object');
    const o = m.obj(st.page.target.name);
    if (!o || !o.realisable) return cx.no(`the object ${st.page.target.name} is not realisable`);
    if (o.kind === 'fbdev') {
      m.taintObject(o.name, cx.line);
      return cx.no('an fbdev page is no page-cache folio: split_huge_pages_in_file() does not reach it');
    }
    cx.inDriver(`o_split_file(${cx.k}, ${o.index}, ${st.page.first.value}L);`);
    cx.touch(new Set([o.name]));
    return OBSERVE;
  }
  // every mapping of the folio's object may change (the split remaps each one)
  return inProcAtPage(st.proc, st.page, cx, (addr) => `o_split(${cx.k}, ${addr});`);
};
