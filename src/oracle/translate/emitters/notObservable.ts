// Statements with no user-space trigger on a real kernel: the oracle reports them as not
// observable and never fakes them. What the engine changed there taints later steps that
// look at the same object or process (OracleStep.taintedBy).

import type { Statement, StatementKind } from '../../../language/ast';
import type { EmitResult, StepContext } from '../context';

export const NOT_OBSERVABLE_KINDS: Partial<Record<StatementKind, string>> = {
  mkclean: 'folio_mkclean() on one folio has no user-space trigger except on a dirty file folio (there writeback stands in for it)',
  wrprotect: 'mapping_wrprotect_range() has no user-space trigger (and does not exist in 6.1)',
  pfn_mkclean: 'pfn_mkclean_range() is only reached from fs/dax; no user-space trigger',
  unmap_range: 'unmap_mapping_range() on a chosen range has no user-space trigger',
  expect_oops: 'an oops is only reachable through statements that are not realisable',
  migrate: 'migrate_pages() of one chosen folio (realised by move_pages where a process maps it: emitters/madvise.ts)',
};

/** the translation of a statement kind without an emitter */
export function noCounterpart(st: Statement, cx: StepContext): EmitResult {
  const fixed = NOT_OBSERVABLE_KINDS[st.kind];
  if (!fixed) return cx.no('unknown statement');
  cx.no(fixed);
  // the kernel state the engine changed here now differs from the real one
  const ranged = st.kind === 'wrprotect' || st.kind === 'unmap_range' || st.kind === 'pfn_mkclean' ? st : null;
  const targetObj = ranged?.pages.kind === 'named' ? ranged.pages.target.name : null;
  if (targetObj) cx.model.taintObject(targetObj, cx.line);
  if (st.kind === 'pfn_mkclean') cx.model.taint.proc(st.proc.name, cx.line);
  if (st.kind === 'migrate') {
    if (st.proc) cx.model.taint.proc(st.proc.name, cx.line);
    else if (st.page.kind === 'named') cx.model.taintObject(st.page.target.name, cx.line);
  }
  return undefined;
}
