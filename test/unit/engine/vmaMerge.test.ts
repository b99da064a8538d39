// VMA merging (src/engine/vmaMerge.ts), one rule per test, each named for the kernel
// function whose effect it pins (6.1.192 mm/mmap.c and 6.12.118 mm/vma.c read,
// docs/kernel-findings.md, "VMA merging").

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { VM_ACCOUNT, VM_SOFTDIRTY } from '../../../src/engine/vma';
import { fbDefioOf } from '../../../src/engine/drivers/fbDefio';
import { faultCount, iMmapOrder, pte, run, task } from './helpers';

const A = 0x10000000;
const hx = (n: number) => '0x' + n.toString(16);
const layout = (r: ReturnType<typeof run>, p: string) => task(r, p).mm.vmas.map((v) => `${hx(v.start)}-${hx(v.end)}@${v.pgoff}`);

describe('engine/vmaMerge: VMAs merge as the kernel merges them', () => {
  it('vma_merge_new_range: a new file mapping continuing the pgoff of the VMA before it grows that VMA (vma_expand)', () => {
    const r = run(`file f pages 4\nprocess a\nmmap a f at ${hx(A)} pages 2 shared rw as x\nmmap a f at ${hx(A + 0x2000)} pages 2 offset 2 shared rw as y`);
    assert.deepEqual(layout(r, 'a'), [`${hx(A)}-${hx(A + 0x4000)}@0`]);
  });

  it('is_mergeable_vma: a pgoff that does not continue, other flags or another file do not merge', () => {
    const r = run(`file f pages 8\nfile g pages 8\nprocess a\nmmap a f at ${hx(A)} pages 2 shared rw as x\n` +
      `mmap a f at ${hx(A + 0x2000)} pages 2 offset 4 shared rw as y\nmmap a f at ${hx(A + 0x4000)} pages 2 offset 6 shared r as z\n` +
      `mmap a g at ${hx(A + 0x6000)} pages 2 offset 8 shared r as w`);
    assert.equal(task(r, 'a').mm.vmas.length, 4);
  });

  it('one struct file per process and object: mappings of one object in two processes never merge, in one process they do', () => {
    const r = run(`file f pages 4\nprocess a\nprocess b\nmmap a f at ${hx(A)} pages 2 shared rw as x\nmmap b f at ${hx(A + 0x2000)} pages 2 offset 2 shared rw as y\n` +
      `mmap a f at ${hx(A + 0x2000)} pages 2 offset 2 shared rw as y`);
    assert.equal(task(r, 'a').mm.vmas.length, 1);
    assert.equal(task(r, 'b').mm.vmas.length, 1);
  });

  it('one struct file per process and object: an fbdev mapped twice by one process is opened once (fb_release runs at its last unmap only)', () => {
    const r = run(`fbdev fb pages 4\nprocess a\nmmap a fb at ${hx(A)} pages 2 shared rw as x\nmmap a fb at ${hx(A + 0x10000)} pages 2 offset 2 shared rw as y`);
    assert.equal(fbDefioOf(r.objects.get('fb'))!.openCount, 1);
    assert.equal(task(r, 'a').mm.vmas.length, 2, 'VM_DONTEXPAND (VM_SPECIAL): never merged');
  });

  it('vma_merge_new_range: filling a hole merges prev and next, and prev is re-inserted in i_mmap behind VMAs with its pgoff (vma_complete)', () => {
    const r = run(`file f pages 6\nprocess a\nprocess b\nmmap a f at ${hx(A)} pages 2 shared rw as x\nmmap b f at 0x20000000 pages 6 shared rw as w\n` +
      `mmap a f at ${hx(A + 0x4000)} pages 2 offset 4 shared rw as z\nmmap a f at ${hx(A + 0x2000)} pages 2 offset 2 shared rw as y`);
    assert.deepEqual(layout(r, 'a'), [`${hx(A)}-${hx(A + 0x6000)}@0`]);
    assert.deepEqual(iMmapOrder(r, 'f'), ['b:w(0)', 'a:x(0)']);
  });

  it('vma_merge_existing_range: mprotect back to the neighbours\' flags removes the middle and next VMAs; prev covers all', () => {
    const r = run(`file f pages 6\nprocess a\nmmap a f at ${hx(A)} pages 6 shared rw as m\nmprotect a m[2..3] r\nmprotect a m[2..3] rw\nexpect vmas a 1`);
    assert.deepEqual(layout(r, 'a'), [`${hx(A)}-${hx(A + 0x6000)}@0`]);
  });

  it('vma_merge_existing_range: mprotect of the start of a VMA matching prev moves the boundary (prev grows, vma shrinks: adj_next)', () => {
    const r = run(`file f pages 6\nprocess a\nmmap a f at ${hx(A)} pages 2 shared r as p\nmmap a f at ${hx(A + 0x2000)} pages 4 offset 2 shared rw as v\nmprotect a v[0..0] r`);
    assert.deepEqual(layout(r, 'a'), [`${hx(A)}-${hx(A + 0x3000)}@0`, `${hx(A + 0x3000)}-${hx(A + 0x6000)}@3`]);
  });

  it('vma_merge_existing_range: mprotect of the end of a VMA matching next moves the boundary down (next grows)', () => {
    const r = run(`file f pages 6\nprocess a\nmmap a f at ${hx(A)} pages 4 shared rw as v\nmmap a f at ${hx(A + 0x4000)} pages 2 offset 4 shared r as n\nmprotect a v[3..3] r`);
    assert.deepEqual(layout(r, 'a'), [`${hx(A)}-${hx(A + 0x3000)}@0`, `${hx(A + 0x3000)}-${hx(A + 0x6000)}@3`]);
    assert.equal(task(r, 'a').mm.vmas[1].label, 'v', 'a VMA is named by the label of its lowest page');
  });

  it('mprotect_fixup: the same flags change nothing (no split)', () => {
    const r = run(`process a\nmmap a anon at ${hx(A)} pages 4 private rw as h\nmprotect a h[1..2] rw`);
    assert.equal(task(r, 'a').mm.vmas.length, 1);
  });

  it('mprotect_fixup: a private VMA made writable is charged (VM_ACCOUNT) and keeps the charge when made read-only again', () => {
    const r = run(`file f pages 4\nprocess a\nmmap a f at ${hx(A)} pages 4 private r as m\nmprotect a m rw\nmprotect a m r`);
    assert.ok(task(r, 'a').mm.vmas[0].has(VM_ACCOUNT));
  });

  it('is_mergeable_anon_vma: a fork child\'s VMA (anon_vma_chain of two) does not take a neighbour without anon_vma', () => {
    const r = run(`process a\nmmap a anon at ${hx(A)} pages 2 private rw as h\nwrite a h[0]\nfork a as c\nmmap c anon at ${hx(A + 0x2000)} pages 2 private rw as g`);
    assert.equal(task(r, 'c').mm.vmas.length, 2);
    const r2 = run(`process a\nmmap a anon at ${hx(A)} pages 2 private rw as h\nwrite a h[0]\nmmap a anon at ${hx(A + 0x2000)} pages 2 private rw as g`);
    assert.equal(task(r2, 'a').mm.vmas.length, 1, 'the parent\'s own VMA (chain of one) does');
  });

  it('find_mergeable_anon_vma: a fault in a VMA next to a compatible one reuses its anon_vma, so a later mprotect merges them', () => {
    const r = run(`process a\nmmap a anon at ${hx(A)} pages 4 private rw as h\nmprotect a h[2..3] r\nwrite a h[0]\nread a h[2]\n` +
      `mprotect a h[2..3] rw\nexpect vmas a 1`);
    const [v] = task(r, 'a').mm.vmas;
    assert.ok(v.anonVma);
  });

  it('vma_merge_new_range (6.12) vs mmap_region (6.1): between a prev without anon_vma and a next with one', () => {
    const text = (v: string) => `kernel ${v}\nprocess a\nmmap a anon at ${hx(A)} pages 1 private rw as p\nmmap a anon at ${hx(A + 0x2000)} pages 1 private rw as n\n` +
      `write a n[0]\nmmap a anon at ${hx(A + 0x1000)} pages 1 private rw as m`;
    assert.equal(task(run(text('6.1')), 'a').mm.vmas.length, 2);
    assert.equal(task(run(text('6.12')), 'a').mm.vmas.length, 1);
  });

  it('__mmap_region: a merged VMA gets VM_SOFTDIRTY again (clear_refs cleared it)', () => {
    const r = run(`process a\nmmap a anon at ${hx(A)} pages 1 private rw as p\nclear_refs a softdirty\nmmap a anon at ${hx(A + 0x1000)} pages 1 private rw as q`);
    const [v] = task(r, 'a').mm.vmas;
    assert.equal(task(r, 'a').mm.vmas.length, 1, 'VM_SOFTDIRTY does not prevent a merge');
    assert.ok(v.has(VM_SOFTDIRTY));
  });

  it('do_fault_around: the window a merged VMA allows covers pages of both former mappings', () => {
    const text = (second: string) => `file f pages 16\nprocess a\nmmap a f at ${hx(A)} pages 8 shared r as x\n${second}\nread a x[7]`;
    const merged = run(text(`mmap a f at ${hx(A + 0x8000)} pages 8 offset 8 shared r as y`));
    assert.ok(pte(merged, 'a', 'y', 0).P, 'y[0] mapped by the fault on x[7]');
    const apart = run(text(`mmap a f at ${hx(A + 0x8000)} pages 8 offset 9 shared r as y`));
    assert.ok(!pte(apart, 'a', 'y', 0).P);
    assert.equal(faultCount(merged, 'a'), 1);
  });

  it('a label keeps naming its pages after a merge: expect vma and PROC:LABEL[I] in i_mmap', () => {
    const r = runText(`file f pages 4\nprocess a\nmmap a f at ${hx(A)} pages 2 shared rw as x\nmmap a f at ${hx(A + 0x2000)} pages 2 offset 2 shared rw as y\n` +
      `expect vma a y[0] start ${hx(A)} pages 4 pgoff 0\nmprotect a y[1..1] r\nexpect i_mmap f a:x, a:y[1]\nexpect i_mmap f a:x, a:x`);
    assert.equal(r.passed, 2);
    assert.equal(r.failed, 1);
    assert.match(r.diagnostics.find((d) => d.code === 'MMS701')!.message, /found a:x, a:y/);
  });
});
