// Language v2 large-folio statements with no counterpart on the real kernel yet:
// MADV_COLLAPSE is not issued, and split_folio() of one chosen folio has no user-space
// trigger (debugfs split_huge_pages is not used). THP knobs: emitters/thpKnobs.ts;
// MADV_HUGEPAGE/NOHUGEPAGE: emitters/madvise.ts. The oracle reports them as not observable; what the engine
// changed taints the later steps: a THP knob every later step (any fault may differ), a
// split or a THP madvise the process (and for `split OBJ[I]` the object). The `madvise`
// emitter (emitters/madvise.ts) hands the THP advices here.

import type { Statement } from '../../../language/ast';
import type { EmitResult, StepContext } from '../context';

export const LARGE_FOLIO_NOT_OBSERVED: Record<'sysctl_thp' | 'split' | 'madvise', string> = {
  sysctl_thp: 'the THP knobs (/sys/kernel/mm/transparent_hugepage) are not set on the guest yet',
  split: 'split_folio() of one chosen folio has no user-space trigger (debugfs split_huge_pages is not used)',
  madvise: 'MADV_COLLAPSE is not issued on the guest yet',
};

export function largeFolioNotObserved(st: Statement, cx: StepContext): EmitResult {
  const why = (LARGE_FOLIO_NOT_OBSERVED as Record<string, string>)[st.kind];
  if (!why) return cx.no('unknown statement');
  cx.no(why);
  const m = cx.model;
  if (st.kind === 'sysctl_thp') m.taint.everywhere(cx.line);
  else if (st.kind === 'split') {
    if (st.proc) m.taint.proc(st.proc.name, cx.line);
    else if (st.page.kind === 'named') m.taintObject(st.page.target.name, cx.line);
  } else if (st.kind === 'madvise') m.taint.proc(st.proc.name, cx.line);
  return undefined;
}
