// mm/rmap.c: anon_vma and anon_vma_chain. Each anon_vma keeps an interval tree of AVCs
// keyed by their VMA's [vm_pgoff, last] (mm/interval_tree.c: avc_start_pgoff/avc_last_pgoff).

import { IntervalTree } from './intervalTree';
import { VM_EXEC, VM_READ, VM_SOFTDIRTY, VM_WRITE, type Vma } from './vma';

export interface AnonVmaChain { vma: Vma; anonVma: AnonVma; start: number; last: number }


export class AnonVma {
  root: AnonVma;
  parent: AnonVma;
  readonly rbRoot = new IntervalTree<AnonVmaChain>((c) => c.start, (c) => c.last);
  constructor(readonly id: number, parent?: AnonVma) {
    this.root = parent ? parent.root : this;
    this.parent = parent ?? this;
  }
}

// mm/rmap.c: anon_vma_chain_link() — an AVC in vma->anon_vma_chain and in anon_vma's tree.
export function anonVmaChainLink(vma: Vma, anonVma: AnonVma): void {
  const avc: AnonVmaChain = { vma, anonVma, start: vma.pgoff, last: vma.lastPgoff };
  vma.avcs.push(avc);
  anonVma.rbRoot.insert(avc);
}

// mm/rmap.c: __anon_vma_prepare() — first anonymous fault in a VMA: reuse a neighbour's
// anon_vma when find_mergeable_anon_vma() finds one (so a later mprotect can merge the two
// again), else allocate one.
export function anonVmaPrepare(vma: Vma): AnonVma {
  if (vma.anonVma) return vma.anonVma;
  const av = find_mergeable_anon_vma(vma) ?? new AnonVma(vma.mm.ids.anonVma++);
  vma.anonVma = av;
  anonVmaChainLink(vma, av);
  return av;
}

// mm/vma.c (mm/mmap.c before 6.11): anon_vma_compatible() — adjacent, the same file, flags
// that differ only in what mprotect changes, pgoff continuous.
function anon_vma_compatible(a: Vma, b: Vma): boolean {
  return a.end === b.start && a.file === b.file && a.filp === b.filp
    && ((a.flags ^ b.flags) & ~(VM_READ | VM_WRITE | VM_EXEC | VM_SOFTDIRTY)) === 0
    && b.pgoff === a.pgoff + (b.start - a.start) / 4096;
}

// reusable_anon_vma(): old's anon_vma, if a and b are compatible and old is no fork clone.
function reusable_anon_vma(old: Vma, a: Vma, b: Vma): AnonVma | undefined {
  return anon_vma_compatible(a, b) && old.anonVma && old.avcs.length === 1 ? old.anonVma : undefined;
}

// find_mergeable_anon_vma(): next first, then prev.
export function find_mergeable_anon_vma(vma: Vma): AnonVma | undefined {
  const mm = vma.mm;
  const i = mm.findVmaIndex(vma.start);
  const next = mm.vmas[i + 1], prev = i > 0 ? mm.vmas[i - 1] : undefined;
  return (next && reusable_anon_vma(next, vma, next)) || (prev && reusable_anon_vma(prev, prev, vma)) || undefined;
}

// mm/rmap.c: anon_vma_fork() — clone the parent's chain (the child VMA goes into every
// anon_vma the parent is in), then give the child its own anon_vma whose root is the
// parent's root.
export function anonVmaFork(child: Vma, parent: Vma): void {
  if (!parent.anonVma) return;
  for (const avc of parent.avcs) anonVmaChainLink(child, avc.anonVma);
  const av = new AnonVma(child.mm.ids.anonVma++, parent.anonVma);
  child.anonVma = av;
  anonVmaChainLink(child, av);
}

// mm/rmap.c: unlink_anon_vmas()
export function unlinkAnonVmas(vma: Vma): void {
  for (const avc of vma.avcs) avc.anonVma.rbRoot.remove(avc);
  vma.avcs = [];
  vma.anonVma = undefined;
}

// mm/vma.c: anon_vma_interval_tree_pre_update_vma()/post_update_vma() around a bounds change.
export function anonVmaPreUpdate(vma: Vma): void {
  for (const avc of vma.avcs) avc.anonVma.rbRoot.remove(avc);
}
export function anonVmaPostUpdate(vma: Vma): void {
  for (const avc of vma.avcs) { avc.start = vma.pgoff; avc.last = vma.lastPgoff; avc.anonVma.rbRoot.insert(avc); }
}
