// The checker's label sets (src/language/checker.ts, LabelTree): a persistent AVL tree that a
// fork shares. What it must keep: every label findable, the AVL invariants (keys in order,
// heights exact, balance within one) so lookups stay O(log n), and after a fork neither
// side's changes show in the other.

import { strict as assert } from 'assert';
import { LabelTree, type LNode, type SymbolInfo } from '../../../src/language/checker';

const sym = (name: string, proc = 'p'): SymbolInfo => ({ kind: 'label', name, proc, decl: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, refs: [] });

/** Checks the AVL invariants below n (keys strictly between lo and hi); returns the keys in order. */
function invariants(n: LNode | null, lo: string | null = null, hi: string | null = null): string[] {
  if (!n) return [];
  if (lo !== null) assert.ok(n.key > lo, `${n.key} after ${lo}`);
  if (hi !== null) assert.ok(n.key < hi, `${n.key} before ${hi}`);
  const hl = n.left ? n.left.h : 0, hr = n.right ? n.right.h : 0;
  assert.equal(n.h, Math.max(hl, hr) + 1, `height of ${n.key}`);
  assert.ok(Math.abs(hl - hr) <= 1, `balance of ${n.key}: ${hl} vs ${hr}`);
  return [...invariants(n.left, lo, n.key), n.key, ...invariants(n.right, n.key, hi)];
}

const k = (i: number): string => `l${String(i).padStart(5, '0')}`;
function orders(n: number): Record<string, number[]> {
  const inc = Array.from({ length: n }, (_, i) => i);
  const zig: number[] = [];
  for (let a = 0, b = n - 1; a <= b; a++, b--) { zig.push(a); if (a !== b) zig.push(b); }
  // middle out, alternately left and right: every insertion below an inner grandchild (double rotations)
  const mid: number[] = [];
  for (let d = 0; mid.length < n; d++) { const x = (n >> 1) + (d % 2 ? -(d + 1) / 2 : d / 2); if (x >= 0 && x < n) mid.push(x); }
  let seed = 12345;
  const rnd = [...inc];
  for (let i = n - 1; i > 0; i--) { seed = (seed * 1103515245 + 12345) % 2147483648; const j = seed % (i + 1); [rnd[i], rnd[j]] = [rnd[j], rnd[i]]; }
  return { increasing: inc, decreasing: [...inc].reverse(), zigzag: zig, 'middle out': mid, shuffled: rnd, 'pairs swapped': inc.map((i) => i ^ 1).filter((i) => i < n) };
}

describe('language/checker: the label tree', () => {
  for (const [name, order] of Object.entries(orders(1000))) {
    it(`${name} insertion: every key found, keys in order, heights exact, balanced (height ${'≤'} 1.44 log2 n)`, () => {
      const t = new LabelTree(null, 1);
      for (const i of order) t.set(k(i), sym(k(i)));
      assert.deepEqual(invariants(t.top), [...order].sort((a, b) => a - b).map(k));
      assert.ok(t.top!.h <= Math.floor(1.44 * Math.log2(order.length + 2)), `height ${t.top!.h}`);
      for (const i of order) assert.equal(t.get(k(i))?.name, k(i));
      assert.equal(t.get('l'), undefined);
      assert.equal(t.get(k(order.length)), undefined);
    });
  }

  it('setting a key again replaces its value', () => {
    const t = new LabelTree(null, 1);
    for (let i = 0; i < 10; i++) t.set(k(i), sym(k(i)));
    t.set(k(3), sym('x'));
    assert.equal(t.get(k(3))?.name, 'x');
    assert.equal(invariants(t.top).length, 10);
  });

  it('a fork shares the nodes; afterwards neither side\'s new keys show in the other, and the shared nodes are not changed', () => {
    for (const [name, order] of Object.entries(orders(300))) {
      const parent = new LabelTree(null, 1);
      for (const i of order.slice(0, 200)) parent.set(k(i), sym(k(i)));
      const before = JSON.stringify(parent.top);
      const child = parent.fork(2, 3);
      assert.equal(child.top, parent.top, `${name}: the child starts with the parent's tree`);
      for (const i of order.slice(200, 250)) child.set(k(i), sym(k(i), 'c'));
      assert.equal(JSON.stringify(parent.top), before, `${name}: the child's inserts left the parent's nodes alone`);
      for (const i of order.slice(250)) parent.set(k(i), sym(k(i)));
      const pk = invariants(parent.top), ck = invariants(child.top);
      assert.deepEqual(pk, [...order.slice(0, 200), ...order.slice(250)].sort((a, b) => a - b).map(k), name);
      assert.deepEqual(ck, order.slice(0, 250).sort((a, b) => a - b).map(k), name);
      // a second fork of the child: the grandchild's inserts are its own as well
      const grand = child.fork(4, 5);
      grand.set('zz', sym('zz', 'g'));
      assert.deepEqual([grand.get('zz')?.name, child.get('zz'), parent.get('zz')], ['zz', undefined, undefined], name);
    }
  });
});
