import { strict as assert } from 'assert';
import { IntervalTree } from '../../../src/engine/intervalTree';

/** A VMA-like node keyed by [pgoff, pgoff + pages - 1]. */
interface V {
  readonly name: string;
  readonly start: number;
  readonly last: number;
}

const mk = (name: string, start: number, last: number): V => ({ name, start, last });
const newTree = (seed?: number) =>
  new IntervalTree<V>(
    (v) => v.start,
    (v) => v.last,
    seed,
  );
const names = (vs: Iterable<V>): string[] => Array.from(vs, (v) => v.name);

/** Small deterministic PRNG for the tests (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('IntervalTree (vma_interval_tree / anon_vma_interval_tree emulation)', () => {
  describe('insert', () => {
    it('vma_interval_tree_insert places a VMA after every VMA with the same vm_pgoff', () => {
      const t = newTree();
      const a = mk('A', 5, 9);
      const b = mk('B', 5, 5);
      const c = mk('C', 5, 20);
      const d = mk('D', 5, 7);
      for (const v of [a, b, c, d]) t.insert(v);
      assert.deepEqual(names(t.inorder()), ['A', 'B', 'C', 'D']);
      t.checkInvariants();
    });

    it('vma_interval_tree_insert orders VMAs by ascending vm_pgoff, before any VMA with a larger vm_pgoff', () => {
      const t = newTree();
      const vs = [mk('p7', 7, 8), mk('p1', 1, 1), mk('p4', 4, 4), mk('p1b', 1, 3), mk('p0', 0, 100), mk('p4b', 4, 4)];
      for (const v of vs) t.insert(v);
      assert.deepEqual(names(t.inorder()), ['p0', 'p1', 'p1b', 'p4', 'p4b', 'p7']);
      assert.equal(t.size, 6);
      t.checkInvariants();
    });

    it('appending among equal vm_pgoff holds for many equal keys whatever the rotations', () => {
      const t = newTree();
      const vs: V[] = [];
      for (let i = 0; i < 500; i++) {
        const v = mk(`e${i}`, 3, 3 + (i % 7));
        vs.push(v);
        t.insert(v);
      }
      assert.deepEqual(t.inorder(), vs);
      t.checkInvariants();
    });

    it('rejects inserting a node that is already in the tree', () => {
      const t = newTree();
      const a = mk('A', 0, 0);
      t.insert(a);
      assert.throws(() => t.insert(a), /already in the tree/);
    });
  });

  describe('insertAfter', () => {
    it('vma_interval_tree_insert_after makes the new VMA the immediate in-order successor of prev', () => {
      const t = newTree();
      const a = mk('A', 2, 4);
      const b = mk('B', 2, 4);
      const c = mk('C', 2, 4);
      const x = mk('X', 0, 1);
      const y = mk('Y', 9, 9);
      for (const v of [x, a, b, y]) t.insert(v);
      t.insertAfter(c, a);
      assert.deepEqual(names(t.inorder()), ['X', 'A', 'C', 'B', 'Y']);
      t.checkInvariants();
    });

    it('vma_interval_tree_insert_after is a kernel BUG when vm_pgoff differs from prev', () => {
      const t = newTree();
      const a = mk('A', 2, 4);
      t.insert(a);
      assert.throws(() => t.insertAfter(mk('Z', 3, 4), a), /BUG/);
      assert.equal(t.size, 1);
      t.checkInvariants();
    });

    it('rejects insertAfter when prev is not in the tree', () => {
      const t = newTree();
      assert.throws(() => t.insertAfter(mk('B', 0, 0), mk('A', 0, 0)), /prev is not in the tree/);
    });

    it('keeps subtree_last correct when the successor outlasts prev', () => {
      const t = newTree();
      const vs: V[] = [];
      for (let i = 0; i < 64; i++) {
        const v = mk(`n${i}`, i, i);
        vs.push(v);
        t.insert(v);
      }
      const long = mk('long', 10, 1000);
      t.insertAfter(long, vs[10]!);
      t.checkInvariants();
      assert.deepEqual(names(t.iter(900, 900)), ['long']);
    });
  });

  describe('remove', () => {
    it('vma_interval_tree_remove keeps the relative order of the remaining VMAs', () => {
      const t = newTree();
      const vs: V[] = [];
      for (let i = 0; i < 50; i++) {
        const v = mk(`n${i}`, i % 5, (i % 5) + 2);
        vs.push(v);
        t.insert(v);
      }
      const before = t.inorder();
      for (let i = 0; i < 50; i += 3) t.remove(vs[i]!);
      const removed = new Set(vs.filter((_, i) => i % 3 === 0));
      assert.deepEqual(t.inorder(), before.filter((v) => !removed.has(v)));
      assert.equal(t.has(vs[0]!), false);
      assert.equal(t.has(vs[1]!), true);
      t.checkInvariants();
    });

    it('remove throws if the node is absent', () => {
      const t = newTree();
      const a = mk('A', 0, 0);
      assert.throws(() => t.remove(a), /not in the tree/);
      t.insert(a);
      t.remove(a);
      assert.throws(() => t.remove(a), /not in the tree/);
      assert.equal(t.size, 0);
      assert.deepEqual(t.inorder(), []);
    });

    it('a VMA split is modelled as remove, change bounds, reinsert (it moves after equal-pgoff VMAs)', () => {
      const t = newTree();
      const a = mk('A', 0, 9);
      const b = mk('B', 0, 3);
      t.insert(a);
      t.insert(b);
      assert.deepEqual(names(t.inorder()), ['A', 'B']);
      t.remove(a);
      const a2 = mk('A', 0, 4);
      t.insert(a2);
      assert.deepEqual(names(t.inorder()), ['B', 'A']);
      t.checkInvariants();
    });
  });

  describe('iter / forEachOverlap', () => {
    it('vma_interval_tree_iter_first/next yield VMAs with start <= last && first <= vma last, in tree order', () => {
      const t = newTree();
      const vs = [mk('a', 0, 3), mk('b', 2, 2), mk('c', 4, 8), mk('d', 5, 5), mk('e', 9, 12), mk('f', 2, 10)];
      for (const v of vs) t.insert(v);
      // in-order: a(0) b(2) f(2) c(4) d(5) e(9)
      assert.deepEqual(names(t.iter(2, 2)), ['a', 'b', 'f']);
      assert.deepEqual(names(t.iter(5, 5)), ['f', 'c', 'd']);
      assert.deepEqual(names(t.iter(11, 100)), ['e']);
      assert.deepEqual(names(t.iter(13, 100)), []);
      assert.deepEqual(names(t.iter(0, 100)), ['a', 'b', 'f', 'c', 'd', 'e']);
      assert.deepEqual(names(newTree().iter(0, 10)), []);
    });

    it('forEachOverlap visits the same sequence and stops when the callback returns false', () => {
      const t = newTree();
      for (let i = 0; i < 20; i++) t.insert(mk(`n${i}`, i, i + 3));
      const seen: string[] = [];
      t.forEachOverlap(5, 8, (v) => {
        seen.push(v.name);
      });
      assert.deepEqual(seen, names(t.iter(5, 8)));
      const firstTwo: string[] = [];
      t.forEachOverlap(5, 8, (v) => {
        firstTwo.push(v.name);
        return firstTwo.length < 2;
      });
      assert.deepEqual(firstTwo, seen.slice(0, 2));
    });

    it('mutating the tree during an iteration throws', () => {
      const t = newTree();
      const a = mk('A', 0, 5);
      const b = mk('B', 1, 5);
      t.insert(a);
      t.insert(b);
      assert.throws(() => {
        for (const v of t.iter(0, 5)) t.remove(v);
      }, /modified during iteration/);
      const t2 = newTree();
      t2.insert(a);
      t2.insert(b);
      assert.throws(() => t2.forEachOverlap(0, 5, (v) => void t2.remove(v)), /modified during iteration/);
    });
  });

  describe('kernel-model scenarios', () => {
    it('T7: A [0,3], B [2,3], then C [0,0] gives in-order A, C, B; pgoff 0 -> A, C; pgoff 2 -> A, B', () => {
      const t = newTree();
      const A = mk('A', 0, 3);
      const B = mk('B', 2, 3);
      const C = mk('C', 0, 0);
      t.insert(A);
      t.insert(B);
      t.insert(C);
      assert.deepEqual(names(t.inorder()), ['A', 'C', 'B']);
      assert.deepEqual(names(t.iter(0, 0)), ['A', 'C']);
      assert.deepEqual(names(t.iter(2, 2)), ['A', 'B']);
      t.checkInvariants();
    });

    it('T11: fork-style insert_after chains: A, B; C after A; D after B; E after C -> A, C, E, B, D', () => {
      const t = newTree();
      const [A, B, C, D, E] = ['A', 'B', 'C', 'D', 'E'].map((n) => mk(n, 0, 3)) as [V, V, V, V, V];
      t.insert(A);
      t.insert(B);
      t.insertAfter(C, A);
      assert.deepEqual(names(t.inorder()), ['A', 'C', 'B']);
      t.insertAfter(D, B);
      assert.deepEqual(names(t.inorder()), ['A', 'C', 'B', 'D']);
      t.insertAfter(E, C);
      assert.deepEqual(names(t.inorder()), ['A', 'C', 'E', 'B', 'D']);
      assert.deepEqual(names(t.iter(1, 1)), ['A', 'C', 'E', 'B', 'D']);
      t.checkInvariants();
    });
  });

  describe('differential test against an ordered-array model', () => {
    for (const seed of [1, 0xc0ffee, 20240601]) {
      it(`random insert/insertAfter/remove/query ops match the model (seed ${seed})`, () => {
        const rand = prng(seed);
        const ri = (n: number) => Math.floor(rand() * n);
        const t = newTree(seed ^ 0x5a5a);
        const model: V[] = [];
        let serial = 0;
        const OPS = 4000;
        let queries = 0;
        for (let op = 0; op < OPS; op++) {
          const r = rand();
          if (r < 0.3 || model.length === 0) {
            // insert: upper bound on start
            const start = ri(40);
            const v = mk(`v${serial++}`, start, start + ri(12));
            t.insert(v);
            let i = 0;
            while (i < model.length && model[i]!.start <= v.start) i++;
            model.splice(i, 0, v);
          } else if (r < 0.45) {
            // insertAfter: index(prev) + 1, same start (last may differ)
            const prev = model[ri(model.length)]!;
            const v = mk(`v${serial++}`, prev.start, ri(3) === 0 ? prev.start + ri(30) : prev.last);
            t.insertAfter(v, prev);
            model.splice(model.indexOf(prev) + 1, 0, v);
          } else if (r < 0.7) {
            const i = ri(model.length);
            t.remove(model[i]!);
            model.splice(i, 1);
          } else {
            const a = ri(55);
            const b = a + ri(r < 0.85 ? 2 : 20);
            const want = model.filter((v) => v.start <= b && a <= v.last);
            assert.deepEqual(names(t.iter(a, b)), names(want), `op ${op}: iter(${a}, ${b})`);
            const got: V[] = [];
            t.forEachOverlap(a, b, (v) => void got.push(v));
            assert.deepEqual(names(got), names(want), `op ${op}: forEachOverlap(${a}, ${b})`);
            queries++;
          }
          assert.equal(t.size, model.length);
          if (op % 97 === 0) {
            t.checkInvariants();
            assert.deepEqual(names(t.inorder()), names(model), `op ${op}: inorder`);
          }
        }
        t.checkInvariants();
        assert.deepEqual(names(t.inorder()), names(model));
        for (const v of model) assert.ok(t.has(v));
        assert.ok(queries > 500);
      });
    }

    it('two trees built by the same operations are identical (deterministic)', () => {
      const build = () => {
        const t = newTree();
        const vs: V[] = [];
        for (let i = 0; i < 300; i++) {
          const v = mk(`n${i}`, (i * 7) % 13, ((i * 7) % 13) + (i % 5));
          vs.push(v);
          t.insert(v);
        }
        for (let i = 0; i < 300; i += 4) t.remove(vs[i]!);
        return names(t.inorder()).join(',') + '|' + names(t.iter(3, 6)).join(',');
      };
      assert.equal(build(), build());
    });
  });

  describe('scaling', () => {
    it('a query over 100,000 VMAs that overlaps 4 of them visits few nodes (subtree_last pruning)', () => {
      const t = newTree();
      const N = 100_000;
      // Shuffled insertion of disjoint 4-page VMAs at pgoff 10*i.
      const order = Array.from({ length: N }, (_, i) => i);
      const rand = prng(42);
      for (let i = N - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) t.insert(mk(`n${i}`, i * 10, i * 10 + 3));
      // Plus sequential inserts at the top end (worst case for an unbalanced BST).
      for (let i = 0; i < 1000; i++) t.insert(mk(`s${i}`, N * 10 + i, N * 10 + i));
      assert.equal(t.size, N + 1000);

      t.debugVisited = 0;
      const hits = names(t.iter(500_003, 500_030)); // n50000..n50003
      assert.deepEqual(hits, ['n50000', 'n50001', 'n50002', 'n50003']);
      assert.ok(t.debugVisited < 200, `visited ${t.debugVisited} nodes`);

      t.debugVisited = 0;
      let k = 0;
      t.forEachOverlap(N * 10 + 500, N * 10 + 503, () => void k++);
      assert.equal(k, 4);
      assert.ok(t.debugVisited < 200, `visited ${t.debugVisited} nodes`);

      t.debugVisited = 0;
      assert.deepEqual(names(t.iter(5, 8)), []); // gap between n0 and n1
      assert.ok(t.debugVisited < 200, `visited ${t.debugVisited} nodes`);
    });

    it('counts the nodes a query examines: at least the k it yields; past every interval, the root only', () => {
      const t = newTree();
      for (let i = 0; i < 64; i++) t.insert(mk(`n${i}`, i * 10, i * 10 + 3));
      t.debugVisited = 0;
      assert.equal(names(t.iter(100, 133)).length, 4);
      assert.ok(t.debugVisited >= 4 && t.debugVisited < 64, `visited ${t.debugVisited} nodes`);
      t.debugVisited = 0;
      let k = 0;
      t.forEachOverlap(0, 640, () => void k++);
      assert.equal(k, 64);
      assert.ok(t.debugVisited >= 64 && t.debugVisited < 64 * 3, `visited ${t.debugVisited} nodes`);
      // iter_first's fast path: the root's subtree_last is below `first`
      t.debugVisited = 0;
      assert.deepEqual(names(t.iter(700, 800)), []);
      assert.equal(t.debugVisited, 1);
    });
  });

  describe('checkInvariants (CONFIG_DEBUG_VM_RB-style checks) and refused intervals', () => {
    /** A fresh tree of 8 nodes, its nodes reachable for corruption (the test reaches inside on purpose). */
    const tree = () => {
      const t = newTree();
      const vs = Array.from({ length: 8 }, (_, i) => ({ name: `v${i}`, start: i * 2, last: i * 2 + 1 }));
      for (const v of vs) t.insert(v);
      t.checkInvariants();
      type N = { left: N | null; right: N | null; parent: N | null; prio: number; subtreeLast: number; start: number; value: V };
      const inner = t as unknown as { root: N; nodes: Map<V, N> };
      return { t, vs, inner, node: (v: V) => inner.nodes.get(v)! };
    };
    it('a sound tree passes, after inserts, insert_after and removals', () => {
      const { t, vs } = tree();
      t.insertAfter(mk('w', 4, 9), vs[2]);
      t.remove(vs[5]);
      assert.doesNotThrow(() => t.checkInvariants());
    });
    it('each corruption is reported by name', () => {
      const cases: [string, (x: ReturnType<typeof tree>) => void][] = [
        ['IntervalTree: bad parent link', ({ inner }) => { const c = inner.root.left ?? inner.root.right!; c.parent = null; }],
        ['IntervalTree: heap order broken', ({ inner }) => { const c = inner.root.left ?? inner.root.right!; c.prio = inner.root.prio + 1; }],
        ['IntervalTree: stale subtreeLast', ({ inner }) => { inner.root.subtreeLast += 1; }],
        ['IntervalTree: node map out of sync', ({ inner, vs }) => { inner.nodes.set(vs[0], inner.nodes.get(vs[1])!); }],
        ['IntervalTree: size mismatch', ({ inner }) => { inner.nodes.set(mk('ghost', 0, 0), inner.root); }],
        ['IntervalTree: bounds changed while in the tree', ({ vs }) => { (vs[3] as { start: number }).start = 7; }],
        ['IntervalTree: bounds changed while in the tree', ({ vs }) => { (vs[3] as { last: number }).last = 99; }],
        ['IntervalTree: in-order starts not sorted', ({ inner }) => {
          // the leftmost node starts after the rightmost (its value and cached bounds agree)
          let l = inner.root; while (l.left) l = l.left;
          let r = inner.root; while (r.right) r = r.right;
          (l as { start: number }).start = (l.value as { start: number }).start = r.start + 1;
        }],
      ];
      for (const [msg, corrupt] of cases) {
        const x = tree();
        corrupt(x);
        assert.throws(() => x.t.checkInvariants(), (e: Error) => e.message === msg || assert.fail(`${msg}: got ${e.message}`));
      }
    });
    it('an interval that ends before it starts is refused, naming it', () => {
      const t = newTree();
      assert.throws(() => t.insert(mk('bad', 5, 3)), /^Error: IntervalTree: bad interval \[5, 3\]$/);
      t.insert(mk('one', 5, 5));
      assert.equal(t.size, 1);
    });
  });
});
