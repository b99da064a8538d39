// mm/madvise.c: the advices that only change VMA flags. madvise_walk_vmas() visits the VMAs
// of the range in order, madvise_vma_behavior() computes the new flags of each part, and
// madvise_update_vma() applies them through vma_modify_flags(): the range merges with a
// neighbour whose flags then match, or is split out of its VMA (the same path as
// mprotect_fixup). A hole in the range ends with ENOMEM after the mapped parts were changed;
// a VMA that refuses the advice stops the walk with its errno. Same code in 6.1 and 6.12.
//   MADV_HUGEPAGE / MADV_NOHUGEPAGE: hugepage_madvise() (mm/khugepaged.c) sets VM_HUGEPAGE
//     (clearing VM_NOHUGEPAGE) or the reverse.
//   MADV_DONTFORK: VM_DONTCOPY (dup_mmap then skips the VMA: fork.ts).
//   MADV_DOFORK: clears VM_DONTCOPY; EINVAL on a VM_IO VMA.

import type { Kernel, Task } from './kernel';
import { VM_DONTCOPY, VM_HUGEPAGE, VM_IO, VM_NOHUGEPAGE, type Vma } from './vma';
import { vma_modify_flags } from './mmap';

export type FlagAdvice = 'hugepage' | 'nohugepage' | 'dontfork' | 'dofork';

export type FlagMadviseResult = { ok: true } | { ok: false; errno: 'ENOMEM' | 'EINVAL'; why: string };

/** madvise_vma_behavior(): the VMA's new flags for the advice, or the errno it refuses with. */
function madvise_vma_behavior(k: Kernel, vma: Vma, advice: FlagAdvice): number | 'EINVAL' {
  switch (advice) {
    case 'hugepage':
    case 'nohugepage':
      k.tr.call('hugepage_madvise');
      return advice === 'hugepage' ? (vma.flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE : (vma.flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
    case 'dontfork':
      return vma.flags | VM_DONTCOPY;
    case 'dofork':
      if (vma.has(VM_IO)) return 'EINVAL';
      return vma.flags & ~VM_DONTCOPY;
  }
}

// madvise_update_vma(): nothing when the flags do not change (prev = vma).
function madvise_update_vma(k: Kernel, vma: Vma, prev: Vma | undefined, start: number, end: number, newflags: number): Vma {
  if (newflags === vma.flags) return vma;
  const v = vma_modify_flags(k, vma, prev, start, end, newflags);
  v.flags = newflags;
  v.mm.touchVma(v);
  return v;
}

export function madvise_flags(k: Kernel, task: Task, start: number, end: number, advice: FlagAdvice): FlagMadviseResult {
  const mm = task.mm;
  // madvise_walk_vmas(): vma = find_vma_prev(mm, start, &prev); prev = vma when start is inside it
  let vma = mm.find_vma(start);
  let prev: Vma | undefined = vma && start > vma.start ? vma : vma ? mm.vmas[mm.findVmaIndex(vma.start) - 1] : mm.vmas[mm.vmas.length - 1];
  let unmapped = false;
  let refused = false;
  for (;;) {
    if (!vma) { unmapped = true; break; }
    if (start < vma.start) { unmapped = true; start = vma.start; if (start >= end) break; }
    const tmp = Math.min(vma.end, end);
    const newflags = madvise_vma_behavior(k, vma, advice);
    if (newflags === 'EINVAL') { refused = true; break; }
    prev = madvise_update_vma(k, vma, prev, start, tmp, newflags);
    start = Math.max(tmp, prev.end);
    if (start >= end) break;
    vma = mm.find_vma(prev.end);
  }
  k.tr.vmasChanged(task.pid);
  if (refused) return { ok: false, errno: 'EINVAL', why: 'EINVAL: MADV_DOFORK of a VM_IO mapping' };
  if (unmapped) return { ok: false, errno: 'ENOMEM', why: 'ENOMEM: range not fully mapped' };
  return { ok: true };
}
