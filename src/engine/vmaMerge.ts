// VMA merging: mm/vma.c vma_merge_new_range() / vma_merge_existing_range() / vma_expand() /
// commit_merge() with vma_prepare() / vma_complete() (6.12+); mm/mmap.c vma_merge() /
// vma_expand() / __vma_adjust() in 6.1 (docs/kernel-findings.md, "VMA merging"). Both releases remove
// and re-insert the same VMAs in i_mmap in the same order:
//   vma_prepare:  remove vma, then adj_next (the neighbour whose start moves)
//   (bounds change)
//   vma_complete: insert adj_next, then vma; then remove `remove` and `remove2`.
// The 6.1 and 6.12 decisions differ only in mmap_region's new range (rule
// vma-merge-new-range-prev-first); the trace names the functions of the release.

import type { AddressSpace } from './addressSpace';
import { anonVmaPostUpdate, anonVmaPreUpdate, unlinkAnonVmas, type AnonVma } from './anonVma';
import type { Kernel } from './kernel';
import { split_huge_pmd_if_needed } from './hugeMemory';
import type { Mm } from './mm';
import { VM_MAYWRITE, VM_SHARED, VM_SOFTDIRTY, VM_SPECIAL, type Vma } from './vma';

/** struct vma_merge_struct, as far as the model needs it. */
export interface Vmg {
  mm: Mm;
  prev: Vma | undefined;
  next: Vma | undefined;
  /** the VMA being modified (existing range) or the VMA merged into (result) */
  vma: Vma | undefined;
  start: number;
  end: number;
  pgoff: number;
  flags: number;
  file: AddressSpace | undefined;
  /** which struct file (Vma.filp): vm_file equality is the file and the open */
  filp: number;
  anonVma: AnonVma | undefined;
}

// mm/vma.c (mm/mmap.c in 6.1): is_mergeable_vma() — flags equal but for VM_SOFTDIRTY, the
// same struct file (no mempolicy, uffd context or anon name in the model).
function is_mergeable_vma(vmg: Vmg, v: Vma): boolean {
  if ((v.flags ^ vmg.flags) & ~VM_SOFTDIRTY) return false;
  return v.file === vmg.file && v.filp === vmg.filp;
}

// is_mergeable_anon_vma(): either has none and the VMA is not a fork clone (its
// anon_vma_chain is a single entry: `list_is_singular`, false for an empty chain), or the
// same anon_vma.
export function is_mergeable_anon_vma(a1: AnonVma | undefined, a2: AnonVma | undefined, vma: Vma | undefined): boolean {
  if ((!a1 || !a2) && (!vma || vma.avcs.length === 1)) return true;
  return a1 === a2;
}

// can_vma_merge_before(): the range may go in front of next (next's pgoff continues it).
function can_vma_merge_before(vmg: Vmg, anonVma = vmg.anonVma): boolean {
  const next = vmg.next!;
  return is_mergeable_vma(vmg, next) && is_mergeable_anon_vma(anonVma, next.anonVma, next)
    && next.pgoff === vmg.pgoff + (vmg.end - vmg.start) / 4096;
}

// can_vma_merge_after(): the range may follow prev.
function can_vma_merge_after(vmg: Vmg, anonVma = vmg.anonVma): boolean {
  const prev = vmg.prev!;
  return is_mergeable_vma(vmg, prev) && is_mergeable_anon_vma(anonVma, prev.anonVma, prev)
    && prev.pgoff + prev.pages === vmg.pgoff;
}

function can_vma_merge_left(vmg: Vmg): boolean {
  return !!vmg.prev && vmg.prev.end === vmg.start && can_vma_merge_after(vmg);
}

function can_vma_merge_right(vmg: Vmg, canMergeLeft: boolean): boolean {
  if (!vmg.next || vmg.end !== vmg.next.start || !can_vma_merge_before(vmg)) return false;
  if (!canMergeLeft) return true;
  // are_anon_vmas_compatible(prev, next)
  return is_mergeable_anon_vma(vmg.prev!.anonVma, vmg.next.anonVma, undefined);
}

// dup_anon_vma(): the VMA that grows takes the shrinking/removed one's anon_vma
// (anon_vma_clone: one new anon_vma_chain per anon_vma of src).
function dup_anon_vma(dst: Vma, src: Vma): void {
  if (!src.anonVma || dst.anonVma) return;
  dst.anonVma = src.anonVma;
  for (const avc of src.avcs) {
    const c = { vma: dst, anonVma: avc.anonVma, start: dst.pgoff, last: dst.lastPgoff };
    dst.avcs.push(c);
    avc.anonVma.rbRoot.insert(c);
  }
}

// __remove_shared_vm_struct()
function remove_shared_vm_struct(v: Vma): void {
  const f = v.file!;
  if (v.has(VM_SHARED) && v.has(VM_MAYWRITE)) f.iMmapWritable--;
  f.iMmap.remove(v);
}

/**
 * commit_merge() (6.12; vma_expand()/__vma_adjust() before): `vma` takes [start, end) and
 * pgoff; `adjust` (adj_next) has its start moved by adjStart bytes; `remove`, `remove2` go.
 */
export function commit_merge(k: Kernel, vma: Vma, start: number, end: number, pgoff: number,
  adjust: Vma | undefined, adjStart: number, remove: Vma | undefined, remove2: Vma | undefined, fromExpand = false): void {
  const mm = vma.mm;
  const file = vma.file;
  const anon = vma.anonVma ?? adjust?.anonVma;
  // vma_prepare()
  if (anon) { anonVmaPreUpdate(vma); if (adjust) anonVmaPreUpdate(adjust); }
  if (file) { file.iMmap.remove(vma); if (adjust) file.iMmap.remove(adjust); }
  // vma_adjust_trans_huge(vma, start, end, adj_start): PMD leaves straddling a moved boundary
  // are split first (vma's new start and end, and adj_next's new start when it moves up)
  split_huge_pmd_if_needed(k, vma, start);
  split_huge_pmd_if_needed(k, vma, end);
  if (adjust && adjStart > 0) split_huge_pmd_if_needed(k, adjust, adjust.start + adjStart);
  vma.start = start; vma.end = end; vma.pgoff = pgoff;
  mm.touchVma(vma);
  if (adjust && adjStart) {
    adjust.start += adjStart; adjust.pgoff += adjStart / 4096;
    mm.touchVma(adjust);
  }
  // vma_complete()
  if (file) {
    if (adjust) file.iMmap.insert(adjust);
    file.iMmap.insert(vma);
    if (remove) remove_shared_vm_struct(remove);
    if (remove2) remove_shared_vm_struct(remove2);
  }
  if (anon) { anonVmaPostUpdate(vma); if (adjust) anonVmaPostUpdate(adjust); }
  for (const r of [remove, remove2]) {
    if (!r) continue;
    // anon_vma_merge() → unlink_anon_vmas(); fput(); vm_area_free()
    if (r.anonVma) unlinkAnonVmas(r);
    mm.removeVma(r);
  }
  // 6.12 commit_merge(); 6.3-6.11 vma_prepare()/vma_complete(); 6.1 __vma_adjust(), or
  // vma_expand()'s own locking
  if (k.profile.has('vma-merge-existing-range')) k.tr.call('commit_merge');
  else if (k.profile.has('vma-prepare-complete')) k.tr.call('vma_complete');
  else if (!fromExpand) k.tr.call('__vma_adjust');
}

// vma_expand(): vmg.vma grows to [start, end), removing next when it covers next's end.
function vma_expand(k: Kernel, vmg: Vmg): Vma {
  const vma = vmg.vma!, next = vmg.next;
  let remove: Vma | undefined;
  if (next && next !== vma && vmg.end === next.end) {
    remove = next;
    dup_anon_vma(vma, next);
  }
  k.tr.call('vma_expand');
  commit_merge(k, vma, vmg.start, vmg.end, vmg.pgoff, undefined, 0, remove, undefined, true);
  return vma;
}

/** prev and next of the gap [start, end) in mm (the caller checked it is empty). */
export function neighbours(mm: Mm, start: number, end: number): { prev: Vma | undefined; next: Vma | undefined } {
  const i = mm.findVmaIndex(start);
  const next = mm.vmas[i];
  return { prev: i > 0 ? mm.vmas[i - 1] : undefined, next: next && next.start >= end ? next : undefined };
}

/**
 * A new range [start, end) (mmap_region, copy_vma) merged into its neighbours, or
 * undefined (then the caller makes a VMA). 6.12: vma_merge_new_range(). 6.1 mmap_region:
 * next is checked first (with no anon_vma), then prev with next's anon_vma, and vma_expand()
 * grows whichever was chosen (prev wins when both can) — `newRangeOldOrder`.
 */
export function vma_merge_new_range(k: Kernel, vmg: Vmg, newRangeOldOrder = false): Vma | undefined {
  const { prev, next } = vmg;
  if ((vmg.flags & VM_SPECIAL) || (!prev && !next)) return undefined;
  const pglen = (vmg.end - vmg.start) / 4096;
  if (newRangeOldOrder) {
    let chosen: Vma | undefined;
    let start = vmg.start, end = vmg.end, pgoff = vmg.pgoff;
    if (next && next.start === vmg.end && can_vma_merge_before(vmg, undefined)) {
      end = next.end; chosen = next; pgoff = next.pgoff - pglen;
    }
    if (prev && prev.end === vmg.start && can_vma_merge_after(vmg, chosen ? chosen.anonVma : undefined)) {
      start = prev.start; chosen = prev; pgoff = prev.pgoff;
    }
    if (!chosen) return undefined;
    k.tr.call(`mmap_region: expand ${chosen === prev ? 'prev' : 'next'}`);
    return vma_expand(k, { ...vmg, vma: chosen, start, end, pgoff });
  }
  const left = can_vma_merge_left(vmg);
  const right = can_vma_merge_right(vmg, left);
  const m: Vmg = { ...vmg };
  if (right) { m.end = next!.end; m.vma = next; m.pgoff = next!.pgoff - pglen; }
  if (left) { m.start = prev!.start; m.vma = prev; m.pgoff = prev!.pgoff; }
  if (!m.vma) return undefined;
  k.tr.call(`${k.profile.has('vma-merge-existing-range') ? 'vma_merge_new_range' : 'vma_merge'}: ${left && right ? 'prev and next' : left ? 'prev' : 'next'}`);
  return vma_expand(k, m);
}

/**
 * vma_merge_existing_range() (6.12; vma_merge() for mprotect before): [start, end) of
 * vmg.vma gets vmg.flags; merge it into prev and/or next when they match. Returns the
 * merged VMA, or undefined (then the caller splits).
 */
export function vma_merge_existing_range(k: Kernel, vmg: Vmg): Vma | undefined {
  const vma = vmg.vma!, prev = vmg.prev;
  const { start, end } = vmg;
  const leftSide = start === vma.start, rightSide = end === vma.end;
  k.tr.call(k.profile.has('vma-merge-existing-range') ? 'vma_merge_existing_range' : 'vma_merge');
  if ((vmg.flags & VM_SPECIAL) || (!leftSide && !rightSide)) return undefined;
  const mergeLeft = leftSide && can_vma_merge_left(vmg);
  let next: Vma | undefined;
  let mergeRight = false;
  if (rightSide) {
    const i = vma.mm.findVmaIndex(vma.end);
    next = vma.mm.vmas[i];
    vmg.next = next;
    mergeRight = can_vma_merge_right(vmg, mergeLeft);
  }
  if (!mergeLeft && !mergeRight) return undefined;
  const mergeBoth = mergeLeft && mergeRight;
  const deleteVma = leftSide && rightSide;
  if (mergeBoth) {
    // prev extends over vma and next; both are removed
    dup_anon_vma(prev!, next!.anonVma ? next! : vma);
    commit_merge(k, prev!, prev!.start, next!.end, prev!.pgoff, undefined, 0, vma, next);
    return prev;
  }
  if (mergeLeft) {
    dup_anon_vma(prev!, vma);
    if (deleteVma) commit_merge(k, prev!, prev!.start, end, prev!.pgoff, undefined, 0, vma, undefined);
    else commit_merge(k, prev!, prev!.start, end, prev!.pgoff, vma, end - vma.start, undefined, undefined);
    return prev;
  }
  // merge right
  const pglen = (end - start) / 4096;
  dup_anon_vma(next!, vma);
  if (deleteVma) {
    commit_merge(k, next!, start, next!.end, next!.pgoff - pglen, undefined, 0, vma, undefined);
  } else {
    // vma shrinks to [vma.start, start), next grows down to start: the only case where the
    // merged VMA is not vmg.vma (commit_merge with adjust = next, adj_start < 0)
    commit_merge(k, vma, vma.start, start, vma.pgoff, next, -(vma.end - start), undefined, undefined);
  }
  return next;
}
