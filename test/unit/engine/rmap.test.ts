// Reverse-mapping walks and write-protect primitives (kernel-model §4, T3–T12, T19).

import { strict as assert } from 'assert';
import { PG_dirty } from '../../../src/engine/memmap';
import { assertPte, faultCount, iMmapOrder, lastResult, pte, run, visits, walksOf, BASE } from './helpers';

const A = BASE, B = 0x7e0000000000, C = 0x7d0000000000, D = 0x7c0000000000, E = 0x7b0000000000;

describe('rmap walks (mm/rmap.c, mm/page_vma_mapped.c)', () => {
  it('page_vma_mkclean_one counts a writable-but-clean or dirty PTE and skips a clean read-only one (T4)', () => {
    const r = run(`sysctl fault_around_bytes 4096
      file f pages 4
      process a
      mmap a f at ${A} pages 4 shared rw as m
      read a m[2]
      mkclean f[2]`);
    assert.equal(lastResult(r), 0, 'clean RO PTE not counted');
    assert.deepEqual(visits(r), ['a:m'], 'the VMA is still visited');
    assert.equal(r.recorder.lastWalk!.visits[0].ptes[0].counted, false);
    assertPte(pte(r, 'a', 'm', 2), { P: true, W: false, A: true, D: false });
    // a writable-but-clean PTE (tmpfs, no write-notify) is counted
    const r2 = run(`shmem s pages 1
      process a
      mmap a s at ${A} pages 1 shared rw as m
      read a m[0]
      mkclean s[0]`);
    assert.equal(lastResult(r2), 1);
    assertPte(pte(r2, 'a', 'm', 0), { W: false, D: false, A: true });
  });

  it('page_vma_mkclean_one clears RW and DIRTY and keeps ACCESSED and SOFT_DIRTY (T3)', () => {
    const r = run(`file f pages 4
      process a
      mmap a f at ${A} pages 4 shared rw as m
      write a m[0]
      mkclean f[0]`);
    assert.equal(lastResult(r), 1);
    assertPte(pte(r, 'a', 'm', 0), { P: true, W: false, D: false, A: true, SD: true });
  });

  it('folio_mkclean walks i_mmap in order and invalid_mkclean_vma skips the private mapper (T6)', () => {
    const r = run(`sysctl fault_around_bytes 4096
      file f pages 4
      process a
      process b
      process c
      mmap a f at ${A} pages 4 shared rw as m
      mmap b f at ${B} pages 4 shared rw as m
      mmap c f at ${C} pages 4 private rw as m
      read c m[0]
      write a m[0]
      write b m[0]
      mkclean f[0]`);
    assert.deepEqual(visits(r), ['a:m', 'b:m', '~c:m']);
    assert.equal(lastResult(r), 2);
    assertPte(pte(r, 'a', 'm', 0), { W: false, D: false, SD: true });
    assertPte(pte(r, 'b', 'm', 0), { W: false, D: false, SD: true });
    assertPte(pte(r, 'c', 'm', 0), { P: true, W: false, A: true });
  });

  it('folio_mkclean returns 0 without walking when the folio is not mapped (T5a)', () => {
    const r = run(`file f pages 4
      process a
      mmap a f at ${A} pages 1 shared rw as m
      mkclean f[3]`);
    assert.equal(lastResult(r), 0);
    assert.deepEqual(visits(r), []);
  });

  it('folio_mkclean on an anon folio returns 0 (folio_mapping NULL) (T13)', () => {
    // only reachable through the engine API: an anon folio has no OBJ[I] name
    const r = run(`process p
      mmap p anon at 0x1000000 pages 1 private rw as h
      write p h[0]`);
    const { folioMkclean } = require('../../../src/engine/rmap') as typeof import('../../../src/engine/rmap');
    assert.equal(folioMkclean(r.engine, pte(r, 'p', 'h', 0).pfn), 0);
    assertPte(pte(r, 'p', 'h', 0), { W: true, D: true });
  });

  it('__rmap_walk_file yields only VMAs whose pgoff interval overlaps, in (pgoff, insertion) order (T7)', () => {
    const base = `kernel 6.15
      sysctl fault_around_bytes 4096
      file f pages 4
      process a
      process b
      process c
      mmap a f at ${A} pages 4 shared rw as m
      mmap b f at ${B} pages 2 offset 2 shared rw as m
      mmap c f at ${C} pages 1 shared rw as m
      write a m[2]
      write b m[0]
      write a m[0]
      write c m[0]`;
    const r = run(base + '\nwrprotect f[2]');
    assert.deepEqual(iMmapOrder(r, 'f'), ['a:m(0)', 'c:m(0)', 'b:m(2)']);
    assert.deepEqual(visits(r), ['a:m', 'b:m']);
    assert.equal(lastResult(r), 2);
    const w = r.recorder.lastWalk!;
    assert.equal(w.visits[0].address, A + 0x2000, 'vma_address in A');
    assert.equal(w.visits[1].address, B, 'vma_address in B');
    const r0 = run(base + '\nwrprotect f[0]');
    assert.deepEqual(visits(r0), ['a:m', 'c:m']);
    assert.equal(lastResult(r0), 2);
  });

  it('page_vma_mapped_walk matches by PFN range: a 2-page wrprotect cleans both on contiguous memory, one on scattered vmalloc pages (T8)', () => {
    const mk = (backing: string) => run(`fbdev fb pages 4 backing ${backing}
      process a
      mmap a fb at ${A} pages 4 shared rw as m
      write a m[1]
      write a m[2]
      wrprotect fb[1..2]`);
    const contig = mk('contig');
    assert.equal(lastResult(contig), 2);
    assert.equal(contig.recorder.lastWalk!.visits[0].address, A + 0x1000);
    assertPte(pte(contig, 'a', 'm', 2), { W: false, D: false });
    const vm = mk('vmalloc');
    assert.equal(lastResult(vm), 1, 'page 2 is not at pfn(page 1) + 1');
    assertPte(pte(vm, 'a', 'm', 1), { W: false, D: false });
    assertPte(pte(vm, 'a', 'm', 2), { W: true, D: true }, 'untouched although inside the window');
  });

  it('check_pte: a PFN that is not the one mapped matches nothing — the VMA is visited, result 0 (T9)', () => {
    // pgoff 0 with the pfn of page 0 of a *different* object
    const r = run(`fbdev fb pages 2 backing vmalloc
      process a
      mmap a fb at ${A} pages 2 shared rw as m
      write a m[0]`);
    const { mappingWrprotectRange } = require('../../../src/engine/rmap') as typeof import('../../../src/engine/rmap');
    const fb = r.objects.get('fb')!;
    const n = mappingWrprotectRange(r.engine, fb, 0, r.engine.pfnOf(fb, 1), 1);
    assert.equal(n, 0);
    assert.equal(r.recorder.lastWalk!.visits.length, 1);
    assertPte(pte(r, 'a', 'm', 0), { W: true, D: true });
  });

  it('mapping_wrprotect_range(NULL) returns 0 without a walk (T5c)', () => {
    const r = run('process a');
    const { mappingWrprotectRange } = require('../../../src/engine/rmap') as typeof import('../../../src/engine/rmap');
    assert.equal(mappingWrprotectRange(r.engine, undefined, 0, 0x1234, 1), 0);
    assert.deepEqual(r.recorder.lastWalk!.visits, []);
  });

  it('mapping_wrprotect_range finds special PFNMAP PTEs by PFN alone, no struct page (pfnmap)', () => {
    const r = run(`pfnmap d pages 4
      process a
      process b
      mmap a d at ${A} pages 4 shared rw as m
      mmap b d at ${B} pages 4 shared rw as m
      write a m[1]
      read b m[1]
      wrprotect d[1]`);
    assert.deepEqual(visits(r), ['a:m', 'b:m']);
    assert.equal(lastResult(r), 2, "b's PTE is writable though clean: counted");
    assertPte(pte(r, 'a', 'm', 1), { S: true, W: false, D: false });
    assertPte(pte(r, 'b', 'm', 1), { S: true, W: false, D: false });
  });

  it('pfn_mkclean_range cleans one VMA only, and returns 0 for a VMA without VM_SHARED', () => {
    const r = run(`file f pages 2
      process a
      process b
      mmap a f at ${A} pages 2 shared rw as m
      mmap b f at ${B} pages 2 shared rw as m
      write a m[0]
      write b m[0]
      pfn_mkclean f[0] a m
      expect result 1
      expect pte b m[0] write dirty
      expect pte a m[0] !write !dirty`);
    assert.ok(r.passed >= 3);
    const r2 = run(`file f pages 2
      process c
      mmap c f at ${A} pages 2 private rw as m
      read c m[0]
      pfn_mkclean f[0] c m`);
    assert.equal(lastResult(r2), 0);
  });

  it('folio_clear_dirty_for_io: writeback moves PTE dirt into the folio, write-protects, clears PG_dirty; next store faults (T3)', () => {
    const r = run(`file f pages 4
      process a
      mmap a f at ${A} pages 4 shared rw as m
      write a m[0]
      write a m[1]
      msync a m`);
    assert.equal(lastResult(r), 2, 'two folios written');
    const as = r.objects.get('f')!;
    for (const i of [0, 1]) {
      assertPte(pte(r, 'a', 'm', i), { W: false, D: false, SD: true });
      assert.equal(r.engine.memmap.test(as.folioAt(i), PG_dirty), false);
    }
    const before = faultCount(r, 'a');
    const r2 = run(`file f pages 4
      process a
      mmap a f at ${A} pages 4 shared rw as m
      write a m[0]
      msync a m
      write a m[0]
      expect faults a 2
      expect pte a m[0] write dirty
      expect folio f[0] dirty`);
    assert.equal(before, 2);
    assert.equal(r2.failed, 0);
  });

  it('folio_clear_dirty_for_io does not re-dirty when folio_mkclean returned 0, and still writes the dirty folio (T4)', () => {
    // F2 dirty in the page cache (dirtied through another PTE which then went away), A has a clean RO PTE
    const r = run(`sysctl fault_around_bytes 4096
      file f pages 4
      process a
      process w
      mmap a f at ${A} pages 4 shared rw as m
      mmap w f at ${B} pages 4 shared rw as m
      read a m[2]
      write w m[2]
      munmap w m
      writeback f[2..2]`);
    assert.equal(lastResult(r), 1, 'the folio is written');
    const w = walksOf(r).slice(-1)[0];
    assert.equal(w.result, 0, 'folio_mkclean counted nothing');
    assertPte(pte(r, 'a', 'm', 2), { P: true, W: false, D: false });
    assert.equal(r.engine.memmap.test(r.objects.get('f')!.folioAt(2), PG_dirty), false);
  });

  it('msync only covers the VMA range asked for: pages outside keep their dirty PTEs', () => {
    const r = run(`file f pages 4
      process a
      mmap a f at ${A} pages 2 shared rw as lo
      mmap a f at ${B} pages 2 offset 2 shared rw as hi
      write a lo[0]
      write a hi[0]
      msync a hi`);
    assert.equal(lastResult(r), 1);
    assertPte(pte(r, 'a', 'lo', 0), { W: true, D: true });
    assertPte(pte(r, 'a', 'hi', 0), { W: false, D: false });
  });

  it('unmap_mapping_range without even_cows zaps file PTEs in shared and private VMAs, keeps COWed anon pages, moves dirt to the folio (T19)', () => {
    const r = run(`sysctl fault_around_bytes 4096
      file f pages 4
      process a
      process c
      mmap a f at ${A} pages 4 shared rw as m
      mmap c f at ${C} pages 4 private rw as m
      write a m[0]
      read c m[0]
      write c m[1]
      mkclean f[3]
      unmap_range f[0..3]`);
    assert.deepEqual(visits(r), ['a:m', 'c:m'], 'no VM_SHARED filter');
    assert.equal(lastResult(r), 2);
    assert.ok(pte(r, 'a', 'm', 0).none);
    assert.ok(pte(r, 'c', 'm', 0).none);
    assertPte(pte(r, 'c', 'm', 1), { P: true, W: true, D: true }, 'COWed anon page kept');
    assert.ok(r.engine.memmap.test(r.objects.get('f')!.folioAt(0), PG_dirty), 'folio_mark_dirty from the dirty PTE');
  });

  it('vma_interval_tree_insert_after places a forked child right after its parent among equal pgoffs (T11)', () => {
    const r = run(`file f pages 1
      process a
      process b
      mmap a f at ${A} pages 1 shared rw as m
      mmap b f at ${B} pages 1 shared rw as m
      fork a as c
      fork b as d
      fork c as e
      write a m[0]
      write b m[0]
      write c m[0]
      write d m[0]
      write e m[0]
      mkclean f[0]`);
    assert.deepEqual(visits(r), ['a:m', 'c:m', 'e:m', 'b:m', 'd:m']);
    assert.equal(lastResult(r), 5);
  });

  it('__split_vma re-inserts the pieces behind equal-pgoff peers: mprotect of a middle page gives B(0) A0(0) A1(1) A23(2) (T12)', () => {
    const r = run(`file f pages 4
      process a
      process b
      mmap a f at ${A} pages 4 shared rw as m
      mmap b f at ${B} pages 4 shared rw as m
      mprotect a m[1..1] r
      write a m[0]
      write b m[0]
      mkclean f[0]`);
    assert.deepEqual(iMmapOrder(r, 'f'), ['b:m(0)', 'a:m(0)', 'a:m(1)', 'a:m(2)']);
    assert.deepEqual(visits(r), ['b:m', 'a:m']);
    const vmas = r.engine.tasks.get(r.pids.get('a')!)!.mm.vmas;
    assert.deepEqual(vmas.map((v) => [v.start - A, v.pgoff]), [[0, 0], [0x1000, 1], [0x2000, 2]]);
  });
});
