// mm/madvise.c + mm/huge_memory.c: madvise(2) with the large-folio advices.
// MADV_HUGEPAGE / MADV_NOHUGEPAGE: hugepage_madvise() sets VM_HUGEPAGE (clearing
// VM_NOHUGEPAGE) or the reverse on every VMA of the range, splitting VMAs at its edges
// (madvise_update_vma → vma_modify_flags; the engine does not merge VMAs). A range not
// fully mapped ends with ENOMEM after the mapped parts were changed (madvise_walk_vmas
// returns -ENOMEM for the holes it met). MADV_COLLAPSE is not modelled.

import type { Kernel, Task } from './kernel';
import { VM_HUGEPAGE, VM_NOHUGEPAGE } from './vma';
import { isolate } from './mmap';

export type ThpAdvice = 'hugepage' | 'nohugepage' | 'collapse';

export function madvise_thp(k: Kernel, task: Task, start: number, end: number, advice: ThpAdvice): { ok: true } | { ok: false; errno: 'ENOMEM' | 'EINVAL'; why: string } {
  if (advice === 'collapse') return { ok: false, errno: 'EINVAL', why: 'MADV_COLLAPSE is not modelled by mmscope yet' };
  let covered = 0;
  for (const vma of isolate(task.mm, start, end, k)) {
    k.tr.call('hugepage_madvise');
    if (advice === 'hugepage') vma.flags = (vma.flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
    else vma.flags = (vma.flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
    task.mm.touchVma(vma);
    covered += vma.end - vma.start;
  }
  k.tr.vmasChanged(task.pid);
  if (covered < end - start) return { ok: false, errno: 'ENOMEM', why: 'ENOMEM: range not fully mapped' };
  return { ok: true };
}
