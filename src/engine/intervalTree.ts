/**
 * Emulation of the kernel's VMA interval tree (augmented rb-tree) used for
 * address_space->i_mmap (keyed by [vm_pgoff, vm_pgoff + pages - 1]) and for
 * anon_vma->rb_root (anon_vma_chain nodes keyed by their VMA's pgoff range).
 *
 * What is reproduced exactly is the IN-ORDER sequence of nodes, because that
 * is the order in which an rmap walk (vma_interval_tree_foreach /
 * anon_vma_interval_tree_foreach) visits VMAs:
 *   - insert(): a node goes after every node whose start is <= its own start
 *     ("append among equals") and before every node with a larger start;
 *   - insertAfter(): a node becomes the immediate in-order successor of prev;
 *   - remove(): the other nodes keep their relative order;
 *   - iter()/forEachOverlap(): the overlapping nodes, in in-order.
 *
 * The shape of the tree is not the kernel's: rotations never change in-order,
 * so we balance with a treap (priorities from a small deterministic PRNG
 * seeded per tree) instead of red-black colouring. Every operation is
 * O(log n) expected; a query costs O(log n + k) thanks to the augmented
 * per-subtree maximum of `last` (the kernel's rb_subtree_last).
 *
 * Node bookkeeping lives inside the tree (a Map from value to node). A value's
 * start/last must not change while it is in the tree: callers remove, change
 * the bounds, and reinsert, exactly as the kernel does around a VMA split.
 * The tree must not be mutated while an iteration over it is in progress
 * (the kernel holds i_mmap_rwsem / the anon_vma lock across a walk); doing so
 * throws.
 */

/** Convenience shape for values that carry their own bounds. */
export interface IntervalKeyed {
  readonly start: number;
  readonly last: number;
}

class ItNode<T> {
  left: ItNode<T> | null = null;
  right: ItNode<T> | null = null;
  parent: ItNode<T> | null = null;
  /** Max `last` over this node's subtree (the kernel's rb_subtree_last). */
  subtreeLast: number;
  constructor(
    readonly value: T,
    /** Bounds cached at insertion (cf. CONFIG_DEBUG_VM_RB's cached_vma_start/last). */
    readonly start: number,
    readonly last: number,
    readonly prio: number,
  ) {
    this.subtreeLast = last;
  }
}

// include/linux/interval_tree_generic.h: INTERVAL_TREE_DEFINE ..._compute_subtree_last() — own last vs. children's subtree_last.
function computeSubtreeLast<T>(n: ItNode<T>): number {
  let max = n.last;
  if (n.left !== null && n.left.subtreeLast > max) max = n.left.subtreeLast;
  if (n.right !== null && n.right.subtreeLast > max) max = n.right.subtreeLast;
  return max;
}

const DEFAULT_SEED = 0x6d6d7363; // "mmsc"

export class IntervalTree<T> {
  private root: ItNode<T> | null = null;
  private readonly nodes = new Map<T, ItNode<T>>();
  private rng: number;
  /** Bumped by every mutation; live iterations check it and throw on change. */
  private generation = 0;
  /**
   * Debug counter: number of tree nodes examined by queries (iter,
   * forEachOverlap) since construction or the last reset. Callers may set it
   * to 0 before a query and read it afterwards.
   */
  debugVisited = 0;

  constructor(
    private readonly startOf: (v: T) => number,
    private readonly lastOf: (v: T) => number,
    seed: number = DEFAULT_SEED,
  ) {
    this.rng = seed >>> 0 || DEFAULT_SEED;
  }

  get size(): number {
    return this.nodes.size;
  }

  has(v: T): boolean {
    return this.nodes.has(v);
  }

  // include/linux/interval_tree_generic.h: INTERVAL_TREE_DEFINE ..._insert() — descend left only when start < node start, so equal starts go right (the new node follows every node with start <= its own); subtree_last raised along the path.
  insert(v: T): void {
    const n = this.makeNode(v);
    const start = n.start;
    const last = n.last;
    let parent: ItNode<T> | null = null;
    let cur = this.root;
    let goLeft = false;
    while (cur !== null) {
      parent = cur;
      if (cur.subtreeLast < last) cur.subtreeLast = last;
      goLeft = start < cur.start;
      cur = goLeft ? cur.left : cur.right;
    }
    n.parent = parent;
    if (parent === null) this.root = n;
    else if (goLeft) parent.left = n;
    else parent.right = n;
    this.nodes.set(v, n);
    this.generation++;
    this.bubbleUp(n);
  }

  // mm/interval_tree.c: vma_interval_tree_insert_after() — node becomes prev's in-order successor: prev's right child if free, else left child of the leftmost node of prev's right subtree; start must equal prev's (VM_BUG_ON_VMA, a WARN in newer trees; we throw).
  insertAfter(v: T, prev: T): void {
    const p = this.nodes.get(prev);
    if (p === undefined) throw new Error('IntervalTree.insertAfter: prev is not in the tree');
    const n = this.makeNode(v);
    if (n.start !== p.start) {
      throw new Error(
        `IntervalTree.insertAfter: BUG: start ${n.start} != prev start ${p.start} (vma_interval_tree_insert_after)`,
      );
    }
    const last = n.last;
    let parent: ItNode<T>;
    if (p.right === null) {
      parent = p;
      p.right = n;
    } else {
      parent = p.right;
      if (parent.subtreeLast < last) parent.subtreeLast = last;
      while (parent.left !== null) {
        parent = parent.left;
        if (parent.subtreeLast < last) parent.subtreeLast = last;
      }
      parent.left = n;
    }
    n.parent = parent;
    // The kernel relies on last(node) == last(prev) (fork duplicates the VMA),
    // so prev's ancestors already cover `last`. Stay correct for any `last`:
    // raise subtree_last up to the root until an ancestor already covers it.
    for (let a: ItNode<T> | null = p; a !== null && a.subtreeLast < last; a = a.parent) {
      a.subtreeLast = last;
    }
    this.nodes.set(v, n);
    this.generation++;
    this.bubbleUp(n);
  }

  // include/linux/interval_tree_generic.h: INTERVAL_TREE_DEFINE ..._remove() — erase the node; the remaining nodes keep their in-order sequence.
  remove(v: T): void {
    const n = this.nodes.get(v);
    if (n === undefined) throw new Error('IntervalTree.remove: value is not in the tree');
    // Rotate the node down to a leaf, always lifting the higher-priority child.
    for (;;) {
      const l = n.left;
      const r = n.right;
      if (l === null && r === null) break;
      const c = l === null ? r! : r === null ? l : l.prio >= r.prio ? l : r;
      this.rotateUp(c);
    }
    const parent = n.parent;
    if (parent === null) this.root = null;
    else if (parent.left === n) parent.left = null;
    else parent.right = null;
    n.parent = null;
    // Repair subtree_last up the path; stop as soon as a value is unchanged.
    for (let a = parent; a !== null; a = a.parent) {
      const s = computeSubtreeLast(a);
      if (s === a.subtreeLast) break;
      a.subtreeLast = s;
    }
    this.nodes.delete(v);
    this.generation++;
  }

  // include/linux/interval_tree_generic.h: INTERVAL_TREE_DEFINE ..._iter_first()/_iter_next() — nodes with start <= last && first <= node last, in in-order.
  *iter(first: number, last: number): IterableIterator<T> {
    const gen = this.generation;
    let n = this.iterFirst(first, last);
    while (n !== null) {
      yield n.value;
      if (this.generation !== gen) {
        throw new Error('IntervalTree.iter: tree modified during iteration');
      }
      n = this.iterNext(n, first, last);
    }
  }

  // include/linux/mm.h: vma_interval_tree_foreach() — same walk as iter(), allocation-free; stops early when fn returns false.
  forEachOverlap(first: number, last: number, fn: (v: T) => boolean | void): void {
    const gen = this.generation;
    let n = this.iterFirst(first, last);
    while (n !== null) {
      if (fn(n.value) === false) return;
      if (this.generation !== gen) {
        throw new Error('IntervalTree.forEachOverlap: tree modified during iteration');
      }
      n = this.iterNext(n, first, last);
    }
  }

  /** All values in in-order (ascending start, ties in tree order). */
  inorder(): T[] {
    const out: T[] = [];
    const stack: ItNode<T>[] = [];
    let cur = this.root;
    while (cur !== null || stack.length > 0) {
      while (cur !== null) {
        stack.push(cur);
        cur = cur.left;
      }
      const n = stack.pop()!;
      out.push(n.value);
      cur = n.right;
    }
    return out;
  }

  /**
   * Debug: verify structural invariants (parent links, in-order starts
   * non-decreasing, treap heap order, augmented subtree_last, bounds
   * unchanged since insertion). Throws on the first violation.
   */
  checkInvariants(): void {
    let count = 0;
    let prevStart = -Infinity;
    const walk = (n: ItNode<T> | null, parent: ItNode<T> | null): number => {
      if (n === null) return -Infinity;
      if (n.parent !== parent) throw new Error('IntervalTree: bad parent link');
      if (parent !== null && n.prio > parent.prio) throw new Error('IntervalTree: heap order broken');
      const l = walk(n.left, n);
      if (n.start < prevStart) throw new Error('IntervalTree: in-order starts not sorted');
      prevStart = n.start;
      count++;
      if (this.nodes.get(n.value) !== n) throw new Error('IntervalTree: node map out of sync');
      if (this.startOf(n.value) !== n.start || this.lastOf(n.value) !== n.last) {
        throw new Error('IntervalTree: bounds changed while in the tree');
      }
      const r = walk(n.right, n);
      const s = Math.max(n.last, l, r);
      if (s !== n.subtreeLast) throw new Error('IntervalTree: stale subtreeLast');
      return s;
    };
    walk(this.root, null);
    if (count !== this.nodes.size) throw new Error('IntervalTree: size mismatch');
  }

  // ---- internals ---------------------------------------------------------

  private makeNode(v: T): ItNode<T> {
    if (this.nodes.has(v)) throw new Error('IntervalTree: value is already in the tree');
    const start = this.startOf(v);
    const last = this.lastOf(v);
    if (!(start <= last)) {
      throw new Error(`IntervalTree: bad interval [${start}, ${last}]`);
    }
    return new ItNode(v, start, last, this.nextPrio());
  }

  /** xorshift32: small, deterministic, per-tree. */
  private nextPrio(): number {
    let x = this.rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.rng = x >>> 0;
    return this.rng;
  }

  /** Restore heap order after linking leaf n (stands in for the rb recolouring). */
  private bubbleUp(n: ItNode<T>): void {
    while (n.parent !== null && n.parent.prio < n.prio) this.rotateUp(n);
  }

  // include/linux/rbtree_augmented.h: RB_DECLARE_CALLBACKS ..._rotate() — a rotation keeps in-order and recomputes subtree_last of the two rotated nodes.
  private rotateUp(x: ItNode<T>): void {
    const p = x.parent!;
    const g = p.parent;
    if (p.left === x) {
      p.left = x.right;
      if (x.right !== null) x.right.parent = p;
      x.right = p;
    } else {
      p.right = x.left;
      if (x.left !== null) x.left.parent = p;
      x.left = p;
    }
    p.parent = x;
    x.parent = g;
    if (g === null) this.root = x;
    else if (g.left === p) g.left = x;
    else g.right = x;
    x.subtreeLast = p.subtreeLast; // same set of nodes as p's old subtree
    p.subtreeLast = computeSubtreeLast(p);
  }

  // include/linux/interval_tree_generic.h: INTERVAL_TREE_DEFINE ..._iter_first() — empty/out-of-range fast path on the root's subtree_last, then subtree search.
  private iterFirst(first: number, last: number): ItNode<T> | null {
    const root = this.root;
    if (root === null) return null;
    this.debugVisited++;
    if (root.subtreeLast < first) return null;
    return this.subtreeSearch(root, first, last);
  }

  // include/linux/interval_tree_generic.h: INTERVAL_TREE_DEFINE ..._subtree_search() — leftmost node of the subtree overlapping [first, last]; assumes first <= node.subtreeLast.
  private subtreeSearch(node: ItNode<T>, first: number, last: number): ItNode<T> | null {
    for (;;) {
      this.debugVisited++;
      const left = node.left;
      if (left !== null && first <= left.subtreeLast) {
        node = left;
        continue;
      }
      if (node.start <= last) {
        if (first <= node.last) return node;
        const right = node.right;
        if (right !== null && first <= right.subtreeLast) {
          node = right;
          continue;
        }
      }
      return null;
    }
  }

  // include/linux/interval_tree_generic.h: INTERVAL_TREE_DEFINE ..._iter_next() — search the right subtree if it can overlap, else climb to the first ancestor reached from its left child and stop once its start > last.
  private iterNext(node: ItNode<T>, first: number, last: number): ItNode<T> | null {
    let rb = node.right;
    for (;;) {
      if (rb !== null && first <= rb.subtreeLast) {
        return this.subtreeSearch(rb, first, last);
      }
      let prev: ItNode<T>;
      do {
        const up: ItNode<T> | null = node.parent;
        if (up === null) return null;
        this.debugVisited++;
        prev = node;
        node = up;
        rb = node.right;
      } while (prev === rb);
      if (last < node.start) return null;
      if (first <= node.last) return node;
    }
  }
}
