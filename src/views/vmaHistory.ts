// VMA history in the inspector (language v2): what a step did to each process's VMAs —
// a split, a merge, a move — and each object's i_mmap tree before the step, next to the
// tree after it. Built from the replayed engines before and after the step (VMA ids are
// the kernel's own, deterministic per run, so the two engines' VMAs compare by id).

import type { Kernel } from '../engine/kernel';
import { VM_SHARED, type Vma } from '../engine/vma';
import type { IntervalView, ObjectView, ProcView, VmaChangeView } from '../shared/inspectorView';
import type { Names } from './names';

const hex = (n: number) => '0x' + n.toString(16);
const range = (v: Vma) => `${hex(v.start)}–${hex(v.end)} pgoff ${v.pgoff}`;

/** One line per VMA the step created, removed, grew, shrank or moved, in address order. */
export function vmaChanges(before: Kernel, after: Kernel, pid: number): VmaChangeView[] {
  const b = new Map((before.tasks.get(pid)?.mm.vmas ?? []).map((v) => [v.id, v]));
  const a = after.tasks.get(pid)?.mm.vmas ?? [];
  const out: VmaChangeView[] = [];
  const seen = new Set<number>();
  for (const v of a) {
    seen.add(v.id);
    const old = b.get(v.id);
    const label = v.label ?? null;
    if (!old) { out.push({ kind: 'new', label, before: null, after: range(v) }); continue; }
    if (old.start === v.start && old.end === v.end && old.pgoff === v.pgoff) continue;
    const kind = v.pages > old.pages ? 'grew' : v.pages < old.pages ? 'shrank' : 'moved';
    out.push({ kind, label, before: range(old), after: range(v) });
  }
  for (const [id, v] of b) if (!seen.has(id)) out.push({ kind: 'removed', label: v.label ?? null, before: range(v), after: null });
  return out;
}

/** The i_mmap tree of the object with id `objId` in the engine `k`, in visit order. */
export function iMmapView(k: Kernel, objId: number, names: Names): IntervalView[] {
  const o = k.objects.get(objId);
  if (!o) return [];
  return o.iMmap.inorder().map((v) => ({
    proc: names.proc(v.mm.pid), label: v.label ?? null, vmaStart: hex(v.start), vmaEnd: hex(v.end),
    first: v.pgoff, last: v.lastPgoff, shared: (v.flags & VM_SHARED) !== 0,
  }));
}

/** Add the step's VMA changes and the i_mmap trees it changed (as they were before it). */
export function addVmaHistory(procs: ProcView[], objects: ObjectView[], before: Kernel, after: Kernel, objIds: Map<string, number>, names: Names): void {
  for (const p of procs) {
    if (!p.changedVmas) continue;
    const ch = vmaChanges(before, after, p.pid);
    if (ch.length) p.vmaChanges = ch;
  }
  for (const o of objects) {
    const id = objIds.get(o.name);
    if (id === undefined) continue;
    const was = iMmapView(before, id, names);
    const same = was.length === o.iMmap.length && was.every((v, i) => JSON.stringify(v) === JSON.stringify(o.iMmap[i]));
    if (!same) o.iMmapBefore = was;
  }
}
