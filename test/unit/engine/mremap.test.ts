// mremap (src/engine/mremap.ts), one rule per test, named for the kernel function
// (mm/mremap.c and copy_vma in mm/vma.c, 6.1.192 and 6.12.118 read; kernel-findings.md, "mremap").

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { faultCount, iMmapOrder, pteAt, run, task } from './helpers';

const hx = (n: number) => '0x' + n.toString(16);
const A = 0x10000000, B = 0x30000000;

describe('engine/mremap: mremap(2) as the kernel does it', () => {
  it('move_ptes: the PTEs move (same PFN, no fault), the moved present PTE is made soft-dirty, the old address is empty', () => {
    const r = run(`process a\nmmap a anon at ${hx(A)} pages 2 private rw as h\nwrite a h[0]\nclear_refs a softdirty\nmremap a h to ${hx(B)}`);
    const p = pteAt(r, 'a', B);
    assert.ok(p.P && p.SD);
    assert.ok(pteAt(r, 'a', A).none);
    assert.equal(faultCount(r, 'a'), 1);
  });

  it('move_normal_pmd: a PMD-aligned 2 MiB move takes the PTE table as it is (no soft-dirty marking)', () => {
    const r = run(`process a\nmmap a anon at 0x40000000 pages 512 private rw as h\nwrite a h[5]\nclear_refs a softdirty\nmremap a h to 0x80000000`);
    const p = pteAt(r, 'a', 0x80000000 + 5 * 4096);
    assert.ok(p.P && !p.SD);
  });

  it('copy_vma: the new VMA goes into i_mmap after the VMAs with its pgoff (need_rmap_locks false); the old range is unmapped', () => {
    const r = run(`file f pages 4\nprocess a\nprocess b\nmmap a f at ${hx(A)} pages 4 shared rw as m\nmmap b f at 0x20000000 pages 4 shared rw as m\nmremap a m to ${hx(B)}`);
    assert.deepEqual(iMmapOrder(r, 'f'), ['b:m(0)', 'a:m(0)']);
    assert.equal(task(r, 'a').mm.vmas[0].start, B);
  });

  it('copy_vma: the moved range merges with a compatible VMA at the destination (need_rmap_locks when its pgoff is not above)', () => {
    const r = run(`file f pages 4\nprocess a\nmmap a f at ${hx(B)} pages 2 shared rw as lo\nmmap a f at ${hx(A)} pages 2 offset 2 shared rw as hi\nmremap a hi to ${hx(B + 0x2000)}`);
    assert.deepEqual(task(r, 'a').mm.vmas.map((v) => [v.start, v.pages]), [[B, 4]]);
  });

  it('copy_vma: an anonymous VMA with no anon_vma yet takes pgoff = new address', () => {
    const r = run(`process a\nmmap a anon at ${hx(A)} pages 2 private rw as h\nmremap a h to ${hx(B)}`);
    assert.equal(task(r, 'a').mm.vmas[0].pgoff, B / 4096);
    const f = run(`process a\nmmap a anon at ${hx(A)} pages 2 private rw as h\nwrite a h[0]\nmremap a h to ${hx(B)}`);
    assert.equal(task(f, 'a').mm.vmas[0].pgoff, A / 4096, 'faulted: the pgoff stays, so the anon folio index still matches');
  });

  it('move_vma: part of a VMA moves; the rest stays with its pgoff; the label follows its pages', () => {
    const r = run(`file f pages 4\nprocess a\nmmap a f at ${hx(A)} pages 4 shared rw as m\nmremap a m[2..3] to ${hx(B)}\nread a m[3]\nexpect vma a m[3] start ${hx(B)} pgoff 2\nexpect vma a m[0] end ${hx(A + 0x2000)}`);
    assert.equal(task(r, 'a').mm.vmas.length, 2);
  });

  it('mremap in place: growing fails with ENOMEM where the next range is taken, succeeds and merges when free (vma_merge_extend)', () => {
    const r = runText(`process a\nmmap a anon at ${hx(A)} pages 1 private rw as h\nmmap a anon at ${hx(A + 0x2000)} pages 1 private rw as g\nmremap a h pages 3\nexpect error ENOMEM\nmremap a h pages 2\nexpect vmas a 1`);
    assert.equal(r.failed, 0);
    assert.equal(r.exitStatus, 0, 'an expected refusal is not an error of the file');
  });

  it('vma_to_resize: an old range crossing its VMA, or no VMA, is EFAULT; overlapping ranges and an unaligned target are EINVAL', () => {
    const r = runText(`process a\nmmap a anon at ${hx(A)} pages 1 private rw as h\nmmap a anon at ${hx(A + 0x1000)} pages 1 private r as g\n` +
      `mremap a ${hx(A)} pages 2 to ${hx(B)}\nexpect error EFAULT\nmremap a 0x50000000 pages 1 pages 2\nexpect error EFAULT\n` +
      `mremap a h to ${hx(A)} pages 2\nexpect error EINVAL\nmremap a h to 0x30000010\nexpect error EINVAL`);
    assert.equal(r.failed, 0, r.diagnostics.map((d) => d.message).join('; '));
  });

  it('a refusal without `expect error` is an error of the file (exit 2, MMS507) naming the errno', () => {
    const r = runText(`process a\nmmap a anon at ${hx(A)} pages 1 private rw as h\nmmap a anon at ${hx(A + 0x1000)} pages 1 private rw as g\nmprotect a g r\nmremap a h pages 2`);
    assert.equal(r.exitStatus, 2);
    assert.match(r.diagnostics.find((d) => d.code === 'MMS507')!.message, /ENOMEM/);
  });

  it('expect error fails when the statement succeeded or failed with another errno', () => {
    const r = runText(`process a\nmmap a anon at ${hx(A)} pages 1 private rw as h\nexpect error EINVAL\nmremap a 0x50000000 pages 1 pages 2\nexpect error ENOMEM`);
    assert.equal(r.failed, 2);
    const msgs = r.diagnostics.filter((d) => d.code === 'MMS701').map((d) => d.message);
    assert.match(msgs[0], /found that it succeeded/);
    assert.match(msgs[1], /failed with EFAULT/);
  });

  it('expect error after a refusal the checker finds (an unaligned mmap: EINVAL) keeps the file at exit 0', () => {
    const r = runText(`process a\nmmap a anon at 0x10000001 pages 1 private rw as h\nexpect error EINVAL\nexpect vmas a 0`);
    assert.equal(r.exitStatus, 0, r.diagnostics.map((d) => d.message).join('; '));
    assert.equal(r.passed, 2);
  });

  it('expect walk API: the last walk of that API, or none', () => {
    const r = runText(`file f pages 2\nprocess a\nmmap a f at ${hx(A)} pages 2 shared rw as m\nexpect walk folio_mkclean none\nwrite a m[0]\nmkclean f[0]\nexpect walk folio_mkclean a:m\nexpect walk try_to_unmap none`);
    assert.equal(r.failed, 0);
    assert.equal(r.passed, 3);
  });

  it('a label whose middle pages mremap moved: madvise, mprotect and munmap of LABEL[A..B] act on every page it names, one range per run (not the span between its first and last page)', () => {
    // the v2 differential fuzz (seed 11, scenario 16): madvise dontneed of t[0..511] after
    // t[31..455] moved; the kernel (one madvise per run) dropped the moved pages too
    const r = runText(`process a
mmap a anon at ${hx(A)} pages 8 private rw as t
write a t[0..7]
mremap a t[2..5] to ${hx(B)}
madvise a t[0..7] dontneed
expect pte a t[0] none
expect pte a t[3] none
expect pte a t[7] none
write a t[0..7]
mprotect a t[1..6] r
expect pte a t[0] write
expect pte a t[1..6] !write
expect pte a t[7] write
munmap a t[1..6]
expect vmas a 2`);
    assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
    assert.equal(r.passed, 7);
  });
});
