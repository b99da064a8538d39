// fork (dup_mmap / copy_page_range), mprotect (change_pte_range / can_change_pte_writable)
// and clear_refs soft-dirty (kernel-model §5, T10, T13, T15, T18; kernel-findings 6, 8).

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { assertPte, faultCount, iMmapOrder, lastResult, pte, run, visits, BASE } from './helpers';

const A = BASE, B = 0x7e0000000000;

describe('fork, mprotect, clear_refs (kernel/fork.c, mm/mprotect.c, fs/proc/task_mmu.c)', () => {
  it('copy_present_ptes write-protects a COW anon page in parent and child; the child copy is old, page no longer exclusive (T13)', () => {
    const r = run(`process p
      mmap p anon at 0x1000000 pages 1 private rw as h
      write p h[0]
      fork p as c`);
    const pp = pte(r, 'p', 'h', 0), cp = pte(r, 'c', 'h', 0);
    assertPte(pp, { W: false, A: true, D: true, SD: true });
    assertPte(cp, { W: false, A: false, D: true, SD: true });
    assert.equal(pp.pfn, cp.pfn);
    const mm = r.engine.memmap;
    assert.equal(mm.refcount[pp.pfn], 2);
    assert.equal(mm.mapcount[pp.pfn], 2);
    const { PG_anon_exclusive } = require('../../../src/engine/memmap');
    assert.equal(mm.test(pp.pfn, PG_anon_exclusive), false);
  });

  it('rmap_walk_anon visits parent then child; folio_mkclean of an anon folio is 0 (T13)', () => {
    const r = run(`process p
      mmap p anon at 0x1000000 pages 1 private rw as h
      write p h[0]
      fork p as c`);
    const vmas = (name: string) => r.engine.tasks.get(r.pids.get(name)!)!.mm.vmas[0];
    const av = vmas('p').anonVma!;
    const order = av.rbRoot.inorder().map((avc: { vma: { mm: { pid: number } } }) => r.engine.tasks.get(avc.vma.mm.pid)!.name);
    assert.deepEqual(order, ['p', 'c']);
    assert.ok(vmas('c').avcs.some((x) => x.anonVma === av), "child's VMA is in the parent's anon_vma tree");
  });

  it('vma_needs_copy is false for a shared file VMA: the child has no PTEs and sits after the parent in i_mmap (T10)', () => {
    const r = run(`file f pages 2
      process a
      process b
      mmap a f at ${A} pages 2 shared rw as m
      mmap b f at ${B} pages 2 shared rw as m
      write a m[0]
      fork a as c
      mkclean f[0]`);
    assert.ok(pte(r, 'c', 'm', 0).none);
    assert.deepEqual(iMmapOrder(r, 'f'), ['a:m(0)', 'c:m(0)', 'b:m(0)']);
    assert.deepEqual(visits(r), ['a:m', 'c:m', 'b:m']);
    assert.equal(lastResult(r), 1);
  });

  it('vma_needs_copy: a never-written private file VMA is not copied; after one COW all its PTEs are (findings item 6)', () => {
    const r = run(`file f pages 4
      process a
      mmap a f at ${A} pages 4 private rw as m
      read a m[0]
      fork a as c`);
    assert.ok(pte(r, 'c', 'm', 0).none, 'no anon_vma: nothing copied');
    const r2 = run(`file f pages 4
      process a
      mmap a f at ${A} pages 4 private rw as m
      read a m[0]
      write a m[3]
      fork a as c`);
    assertPte(pte(r2, 'c', 'm', 0), { P: true, W: false, A: false }, 'RO page-cache PTE copied, old');
    assertPte(pte(r2, 'c', 'm', 3), { P: true, W: false, D: true });
    assertPte(pte(r2, 'a', 'm', 3), { W: false, D: true }, 'parent write-protected');
  });

  it('copy_present_ptes keeps RW for a shared PFNMAP child (only D and A cleared); the child store does not fault; wrprotect counts it (T29-like)', () => {
    const r = run(`kernel 6.15
      pfnmap d pages 1
      process a
      mmap a d at ${A} pages 1 shared rw as m
      write a m[0]
      fork a as c
      expect pte c m[0] present write !dirty !young special
      write c m[0]
      expect faults c 0
      wrprotect d[0]
      expect result 2
      expect walk a:m, c:m`);
    assert.equal(r.failed, 0);
  });

  it('fork of an fb_defio VMA copies no PTEs (no PFNMAP, no anon_vma); the child faults through page_mkwrite (T25)', () => {
    const r = run(`fbdev fb pages 2
      process a
      mmap a fb at ${A} pages 2 shared rw as m
      write a m[0]
      fork a as c
      expect pte c m[0] none
      flush fb
      expect result 1
      expect walk a:m, c:m
      write c m[0]
      expect faults c 1
      expect defio fb pending 1
      flush fb
      expect walk a:m, c:m`);
    assert.equal(r.failed, 0);
    assert.equal(r.recorder.lastWalk!.result, 1, 'only C counted');
  });

  it('mprotect(RO) keeps a dirty shared PTE dirty; after mkclean mprotect(RW) leaves it RO (can_change_pte_writable: shared needs D) (T15a)', () => {
    const r = run(`file f pages 1
      process a
      mmap a f at ${A} pages 1 shared rw as m
      write a m[0]
      mprotect a m r
      expect pte a m[0] present !write dirty
      mkclean f[0]
      expect result 1
      mprotect a m rw
      expect pte a m[0] !write !dirty
      write a m[0]
      expect faults a 2`);
    assert.equal(r.failed, 0);
  });

  it('mprotect(RO) then mprotect(RW) with the PTE still dirty makes it writable at once: the next store is no fault (T15b)', () => {
    const r = run(`file f pages 1
      process a
      mmap a f at ${A} pages 1 shared rw as m
      write a m[0]
      mprotect a m r
      mprotect a m rw
      expect pte a m[0] write dirty
      write a m[0]
      expect faults a 1`);
    assert.equal(r.failed, 0);
  });

  it('can_change_pte_writable: a clean exclusive anon PTE becomes writable on mprotect(RW) from 6.2, stays RO on 6.1 (findings item 9)', () => {
    // The anon page is made clean by nothing in the language, so use the engine state: write, then
    // clear D in the PTE as writeback of a swapped page would, then mprotect RO/RW.
    const body = `process p
      mmap p anon at 0x1000000 pages 1 private rw as h
      write p h[0]`;
    for (const [v, writable] of [['6.1', false], ['6.2', true], ['6.15', true]] as const) {
      const r = run(`kernel ${v}\n${body}`);
      const t = r.engine.tasks.get(r.pids.get('p')!)!;
      const { _PAGE_DIRTY } = require('../../../src/engine/pte');
      t.mm.setPte(0x1000000, t.mm.pteFlags(0x1000000) & ~_PAGE_DIRTY, t.mm.ptePfn(0x1000000), 'test: clean');
      const { do_mprotect } = require('../../../src/engine/mprotect');
      do_mprotect(r.engine, t, 0x1000000, 0x1001000, 'r');
      do_mprotect(r.engine, t, 0x1000000, 0x1001000, 'rw');
      assert.equal(pte(r, 'p', 'h', 0).W, writable, `${v}`);
    }
    // a dirty exclusive anon PTE is made writable in every version
    const r = run(`kernel 6.1\n${body}\nmprotect p h r\nmprotect p h rw\nexpect pte p h[0] write`);
    assert.equal(r.failed, 0);
  });

  it('mprotect over a hole fails with ENOMEM but do_mprotect_pkey has already changed the VMAs before the hole', () => {
    const r = runText(`file f pages 4
      process a
      mmap a f at ${A} pages 4 shared rw as m
      write a m[0..3]
      munmap a m[2]
      mprotect a m r`);
    const errs = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errs.map((d) => [d.range.start.line, d.code]), [[5, 'MMS504']]);
    assert.match(errs[0].message, /ENOMEM/);
    // for_each_vma_range: mprotect_fixup() ran on m[0..1] before the hole at m[2] was seen
    assertPte(pte(r, 'a', 'm', 0), { P: true, W: false, D: true });
    assertPte(pte(r, 'a', 'm', 1), { P: true, W: false, D: true });
    assertPte(pte(r, 'a', 'm', 3), { P: true, W: true, D: true });
    // no VMA at the start address: nothing changes
    const r2 = runText(`file f pages 4
      process a
      mmap a f at ${A} pages 4 shared rw as m
      write a m[1..3]
      munmap a m[0]
      mprotect a m r`);
    assert.equal(r2.exitStatus, 2);
    assertPte(pte(r2, 'a', 'm', 1), { W: true });
  });

  it('clear_refs 4 clears VM_SOFTDIRTY (write-notify on for tmpfs), write-protects and clears SD, keeps A and D (T18)', () => {
    const r = run(`shmem s pages 1
      process a
      mmap a s at ${A} pages 1 shared rw as m
      write a m[0]
      clear_refs a softdirty
      expect pte a m[0] present !write dirty young !softdirty
      write a m[0]
      expect faults a 2
      expect pte a m[0] write dirty softdirty`);
    assert.equal(r.failed, 0);
    const f = r.steps.flatMap((s) => s.events).filter((e) => e.t === 'fault').slice(-1)[0] as { path: string[] };
    assert.ok(f.path.includes('wp_page_shared') && f.path.includes('wp_page_reuse'));
  });

  it('clear_refs skips VM_PFNMAP VMAs (clear_refs_test_walk): their PTEs keep RW (findings item 10)', () => {
    const r = run(`pfnmap d pages 1
      file f pages 1
      process a
      mmap a d at ${A} pages 1 shared rw as dev
      mmap a f at ${B} pages 1 shared rw as fm
      write a dev[0]
      write a fm[0]
      clear_refs a softdirty
      expect pte a dev[0] write dirty
      expect pte a fm[0] !write dirty !softdirty`);
    assert.equal(r.failed, 0);
  });

  it('munmap of part of a mapping splits it with the right vm_pgoff; exit unlinks every VMA from i_mmap', () => {
    const r = run(`file f pages 4
      process a
      mmap a f at ${A} pages 4 shared rw as m
      munmap a m[1..2]
      write a m[3]
      expect pte a m[3] write dirty maps f[3]`);
    assert.equal(r.failed, 0);
    assert.deepEqual(iMmapOrder(r, 'f'), ['a:m(0)', 'a:m(3)']);
    const r2 = run(`file f pages 4
      process a
      mmap a f at ${A} pages 4 shared rw as m
      exit a`);
    assert.deepEqual(iMmapOrder(r2, 'f'), []);
    assert.equal(faultCount(r2, 'a'), 0);
  });
});
