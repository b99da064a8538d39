// mm/madvise.c + mm/huge_memory.c: madvise(2) with the large-folio advices.
// MADV_HUGEPAGE / MADV_NOHUGEPAGE: hugepage_madvise() sets VM_HUGEPAGE (clearing
// VM_NOHUGEPAGE) or the reverse, and madvise_update_vma() applies the new flags to the range
// through vma_modify_flags(): the range merges with a neighbour whose flags then match, or
// is split out of its VMA (the same path as mprotect_fixup). madvise_walk_vmas() visits the
// VMAs in order; a range not fully mapped ends with ENOMEM after the mapped parts were
// changed. MADV_COLLAPSE is not modelled.

import type { Kernel, Task } from './kernel';
import { VM_HUGEPAGE, VM_NOHUGEPAGE, type Vma } from './vma';
import { vma_modify_flags } from './mmap';

export type ThpAdvice = 'hugepage' | 'nohugepage' | 'collapse';
export const THP_ADVICES: readonly ThpAdvice[] = ['hugepage', 'nohugepage', 'collapse'];

export type ThpMadviseResult = { ok: true } | { ok: false; errno: 'ENOMEM' | 'EINVAL'; why: string };

// mm/madvise.c: madvise_update_vma() — nothing when the flags do not change (prev = vma).
function madvise_update_vma(k: Kernel, vma: Vma, prev: Vma | undefined, start: number, end: number, newflags: number): Vma {
  if (newflags === vma.flags) return vma;
  const v = vma_modify_flags(k, vma, prev, start, end, newflags);
  v.flags = newflags;
  v.mm.touchVma(v);
  return v;
}

export function madvise_thp(k: Kernel, task: Task, start: number, end: number, advice: ThpAdvice): ThpMadviseResult {
  if (advice === 'collapse') return { ok: false, errno: 'EINVAL', why: 'EINVAL: MADV_COLLAPSE is not modelled by mmscope yet' };
  const mm = task.mm;
  // madvise_walk_vmas(): vma = find_vma_prev(mm, start, &prev); prev = vma when start is inside it
  let vma = mm.find_vma(start);
  let prev: Vma | undefined = vma && start > vma.start ? vma : vma ? mm.vmas[mm.findVmaIndex(vma.start) - 1] : mm.vmas[mm.vmas.length - 1];
  let unmapped = false;
  for (;;) {
    if (!vma) { unmapped = true; break; }
    if (start < vma.start) { unmapped = true; start = vma.start; if (start >= end) break; }
    const tmp = Math.min(vma.end, end);
    k.tr.call('hugepage_madvise');
    const newflags = advice === 'hugepage' ? (vma.flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE : (vma.flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
    prev = madvise_update_vma(k, vma, prev, start, tmp, newflags);
    start = Math.max(tmp, prev.end);
    if (start >= end) break;
    vma = mm.find_vma(prev.end);
  }
  k.tr.vmasChanged(task.pid);
  if (unmapped) return { ok: false, errno: 'ENOMEM', why: 'ENOMEM: range not fully mapped' };
  return { ok: true };
}
