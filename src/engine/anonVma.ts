// mm/rmap.c: anon_vma and anon_vma_chain. Each anon_vma keeps an interval tree of AVCs
// keyed by their VMA's [vm_pgoff, last] (mm/interval_tree.c: avc_start_pgoff/avc_last_pgoff).

import { IntervalTree } from './intervalTree';
import type { Vma } from './vma';

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

// mm/rmap.c: __anon_vma_prepare() — first anonymous fault in a VMA: allocate an anon_vma.
// (The kernel may reuse a mergeable neighbour's anon_vma, find_mergeable_anon_vma(); the
// model never merges VMAs, so it always allocates.)
export function anonVmaPrepare(vma: Vma): AnonVma {
  if (vma.anonVma) return vma.anonVma;
  const av = new AnonVma(vma.mm.ids.anonVma++);
  vma.anonVma = av;
  anonVmaChainLink(vma, av);
  return av;
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
