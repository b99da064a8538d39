// The edges of the rmap primitives (src/engine/rmap.ts, after mm/rmap.c, mm/internal.h,
// mm/page_vma_mapped.c, mm/memory.c): vma_address() at and past the VMA's bounds, ranges of
// more than one page, the early returns of folio_mkclean(), the folio lock, a skipped VMA in
// the middle of a walk, pfn_mkclean_range() refusals and unmap_mapping_range() clipping.
// Each walk is asserted whole: its path (the kernel functions taken), visits and PTEs.

import { strict as assert } from 'assert';
import { runText, type RunResult } from '../../../src/scenario/run';
import { folioMkclean, page_vma_mapped_walk, vma_address } from '../../../src/engine/rmap';
import { PG_locked } from '../../../src/engine/memmap';
import type { Vma } from '../../../src/engine/vma';
import { allEvents, pte, run, task, walksOf, type WalkEv } from './helpers';

const A = 0x10000000;
const PAGE = 4096;
const vmaAt = (start: number, pages: number, pgoff: number) => ({ start, end: start + pages * PAGE, pgoff }) as unknown as Vma;
/** A walk as `api(mapping-name pgoff+nr) path | visits with their PTEs | result`. */
function walkText(r: RunResult, w: WalkEv): string {
  const obj = [...r.objects.values()].find((o) => o.id === w.mapping)?.name ?? (w.mapping ? `#${w.mapping}` : 'NULL');
  // each PTE by its page index from the visited address
  const v = w.visits.map((x) => `${x.skipped ? `~${x.label}(${x.reason})` : x.label}[${x.ptes.map((p) => `${(p.addr - x.address) / PAGE}${p.counted ? '+' : '-'}`).join(' ')}]`);
  return `${w.api}(${obj} ${w.pgoff}+${w.nr}) ${w.path.join(' > ')} | ${v.join(', ')} | ${w.result}`;
}
const calls = (r: RunResult, line: number) => r.steps.filter((s) => s.line === line - 1).flatMap((s) => s.events).filter((e) => e.t === 'call').map((e) => (e as { fn: string }).fn);

describe('vma_address() (mm/internal.h): where pgoff lies in a VMA, or -EFAULT', () => {
  const v = vmaAt(A, 4, 10); // pgoffs 10..13
  it('inside the VMA: vm_start + (pgoff - vm_pgoff) pages, from the first page to the last', () => {
    assert.equal(vma_address(v, 10, 1), A);
    assert.equal(vma_address(v, 11, 1), A + PAGE);
    assert.equal(vma_address(v, 13, 1), A + 3 * PAGE);
  });
  it('past the VMA: -EFAULT (-14)', () => {
    assert.equal(vma_address(v, 14, 1), -14);
    assert.equal(vma_address(v, 40, 3), -14);
  });
  it('a range that starts before the VMA: vm_start when it reaches vm_pgoff, else -EFAULT', () => {
    assert.equal(vma_address(v, 8, 3), A); //   8..10 reaches 10
    assert.equal(vma_address(v, 8, 8), A); //   8..15 covers the VMA
    assert.equal(vma_address(v, 8, 2), -14); // 8..9 stops short
    assert.equal(vma_address(v, 9, 1), -14);
  });
});

describe('page_vma_mapped_walk(): present PTEs in [address, vma_address_end) whose PFN is in [pfn, pfn + nr)', () => {
  // a warm file: its page-cache pages were allocated in order, so their PFNs are contiguous
  const r = run(`sysctl fault_around_bytes 4096
    file f pages 8
    process a
    mmap a f at ${A} pages 6 offset 1 shared rw as m
    read a m[0..5]`);
  const vma = task(r, 'a').mm.vmas[0];
  const P = pte(r, 'a', 'm', 0).pfn; // f[1]
  const walk = (pfn: number, nrPages: number, pgoff: number, address: number) => {
    const seen: number[] = [];
    page_vma_mapped_walk({ pfn, nrPages, pgoff, vma, address }, (addr) => seen.push((addr - A) / PAGE));
    return seen;
  };
  it('the PFNs of the file pages are contiguous here (the premise of the next checks)', () => {
    for (let i = 0; i < 6; i++) assert.equal(pte(r, 'a', 'm', i).pfn, P + i);
  });
  it('one page: that PTE only', () => {
    assert.deepEqual(walk(P + 2, 1, 3, A + 2 * PAGE), [2]);
  });
  it('several pages: each PTE of the range, no more', () => {
    assert.deepEqual(walk(P + 1, 3, 2, A + PAGE), [1, 2, 3]);
  });
  it('a range running past the VMA end stops at vm_end, even where the next VMA maps pages of the range', () => {
    assert.deepEqual(walk(P + 4, 5, 5, A + 4 * PAGE), [4, 5]);
    // n, right after m, maps f[5..6] (PFNs P+4, P+5): inside the PFN range, outside m
    const r2 = run(`sysctl fault_around_bytes 4096
      file f pages 8
      process a
      mmap a f at ${A} pages 6 offset 1 shared rw as m
      mmap a f at ${A + 6 * PAGE} pages 2 offset 5 shared rw as n
      read a m[0..5]
      read a n[0..1]`);
    const m = task(r2, 'a').mm.vmas.find((v) => v.label === 'm')!, p = pte(r2, 'a', 'm', 0).pfn;
    assert.deepEqual([pte(r2, 'a', 'n', 0).pfn, pte(r2, 'a', 'n', 1).pfn], [p + 4, p + 5]);
    const seen: number[] = [];
    page_vma_mapped_walk({ pfn: p + 4, nrPages: 5, pgoff: 5, vma: m, address: A + 4 * PAGE }, (addr) => seen.push((addr - A) / PAGE));
    assert.deepEqual(seen, [4, 5]);
  });
  it('only PTEs whose PFN is in [pfn, pfn + nr) match (check_pte), at both ends of the range', () => {
    // PTEs 1 and 2 hold P+1 and P+2
    assert.deepEqual(walk(P + 2, 2, 2, A + PAGE), [2]);
    assert.deepEqual(walk(P, 2, 2, A + PAGE), [1]);
    assert.deepEqual(walk(P + 3, 2, 2, A + PAGE), []);
  });
  it('missing page tables are skipped a level at a time, and the PTE after them is found', () => {
    const big = run(`sysctl fault_around_bytes 4096
      file g pages 1200
      process b
      mmap b g at 0x40000000 pages 1200 shared rw as m
      read b m[1100]`);
    const bv = task(big, 'b').mm.vmas[0], pfn = pte(big, 'b', 'm', 1100).pfn;
    const seen: number[] = [];
    page_vma_mapped_walk({ pfn, nrPages: 1200, pgoff: 0, vma: bv, address: 0x40000000 }, (addr) => seen.push((addr - 0x40000000) / PAGE));
    assert.deepEqual(seen, [1100]);
  });
});

describe('folio_mkclean() (mm/rmap.c): early returns, the walk, the folio lock', () => {
  const text = (extra: string) => `sysctl fault_around_bytes 4096
    file f pages 4
    process a
    process b
    process c
    mmap c f at ${A + 0x1000000} pages 4 private rw as m
    mmap a f at ${A} pages 4 shared rw as m
    mmap b f at ${A + 0x2000000} pages 4 shared rw as m
    ${extra}`;
  it('a folio no PTE maps: no walk, result 0, even with VMAs over it in i_mmap', () => {
    const r = run(text('mkclean f[0]'));
    assert.deepEqual(walksOf(r).map((w) => walkText(r, w)), ['folio_mkclean(f 0+1) folio_mkclean: !folio_mapped(), no walk |  | 0']);
  });
  it('a skipped private VMA first in i_mmap does not end the walk: the shared ones after it are cleaned', () => {
    const r = run(text('read c m[0]\n write a m[0]\n write b m[0]\n mkclean f[0]'));
    const w = walksOf(r).pop()!;
    assert.equal(walkText(r, w), 'folio_mkclean(f 0+1) rmap_walk_file | ~m(invalid_mkclean_vma: no VM_SHARED)[], m[0+], m[0+] | 2');
    assert.deepEqual(w.visits.map((x) => r.engine.tasks.get(x.pid)!.name), ['c', 'a', 'b']);
    const why = r.steps[r.steps.length - 1].events.filter((e) => e.t === 'pte').map((e) => (e as { why: string }).why);
    assert.deepEqual(why, ['page_vma_mkclean_one: wrprotect + clean (TLB flushed)', 'page_vma_mkclean_one: wrprotect + clean (TLB flushed)']);
  });
  it('the folio is locked around the walk and unlocked after, unless the caller held the lock', () => {
    const r = run(text('write a m[0]'));
    const pfn = pte(r, 'a', 'm', 0).pfn, mm = r.engine.memmap;
    assert.equal(folioMkclean(r.engine, pfn), 1);
    assert.equal(mm.test(pfn, PG_locked), false, 'unlocked after folio_mkclean()');
    mm.flags[pfn] |= PG_locked; // as folio_clear_dirty_for_io()'s caller holds it
    assert.equal(folioMkclean(r.engine, pfn), 0);
    assert.equal(mm.test(pfn, PG_locked), true, 'the caller\'s lock is kept');
  });
  it('an anon folio: folio_mapping() is NULL, the walk records no mapping', () => {
    const r = run('process p\nmmap p anon at 0x1000000 pages 1 private rw as h\nwrite p h[0]');
    assert.equal(folioMkclean(r.engine, pte(r, 'p', 'h', 0).pfn), 0);
    const w = r.recorder.lastWalk!;
    assert.deepEqual([w.mapping, w.path], [0, ['folio_mapping() == NULL, no walk'].map((s) => `folio_mkclean: ${s}`)]);
  });
});

describe('mapping_wrprotect_range() and pfn_mkclean_range()', () => {
  it('mapping_wrprotect_range: __rmap_walk_file over the range, private VMAs skipped with the reason', () => {
    const r = run(`kernel 6.15
      fbdev fb pages 4 backing contig
      process a
      process b
      mmap b fb at ${A + 0x1000000} pages 4 private r as m
      mmap a fb at ${A} pages 4 shared rw as m
      write a m[0..1]
      read b m[0]
      wrprotect fb[0..1]`);
    const w = walksOf(r).filter((x) => x.api === 'mapping_wrprotect_range').pop()!;
    assert.equal(walkText(r, w), 'mapping_wrprotect_range(fb 0+2) __rmap_walk_file | ~m(invalid_mkclean_vma: no VM_SHARED)[], m[0+ 1+] | 2');
  });
  it('pfn_mkclean_range on a VMA without VM_SHARED returns 0 without looking at a PTE', () => {
    const text = `file f pages 2
      process a
      mmap a f at ${A} pages 2 private rw as m
      read a m[0]
      pfn_mkclean f[0..0] a m
      expect result 0`;
    const r = run(text);
    assert.deepEqual(calls(r, 5), ['pfn_mkclean_range', 'invalid_mkclean_vma: no VM_SHARED → 0']);
    assert.equal(allEvents(r).filter((e) => e.t === 'walk').length, 0);
  });
  it('pfn_mkclean_range of a page the VMA does not map is -EFAULT: a warning, result 0', () => {
    const r = runText(`file f pages 4\nprocess a\nmmap a f at ${A} pages 2 shared rw as m\nwrite a m[0]\npfn_mkclean f[3..3] a m\nexpect result 0\n`);
    assert.deepEqual(r.diagnostics.map((d) => `${d.range.start.line + 1} ${d.code} ${d.message}`),
      ['5 MMS803 a:m does not map f[3]: vma_address() is -EFAULT (the kernel would hit VM_BUG_ON_VMA); result 0']);
    assert.equal(r.failed, 0);
  });
});

describe('unmap_mapping_range(): each overlapping VMA zapped over the overlap only', () => {
  // m maps f pages 2..5; the PTEs of m[0..3] are present before the unmap
  const text = (range: string) => `sysctl fault_around_bytes 4096
    file f pages 12
    process a
    mmap a f at ${A} pages 4 offset 2 shared rw as m
    read a m[0..3]
    unmap_range f[${range}]`;
  const present = (r: RunResult) => [0, 1, 2, 3].map((i) => (pte(r, 'a', 'm', i).none ? '.' : 'P')).join('');
  it('a range that ends inside the VMA: its first pages only', () => {
    const r = run(text('0..3'));
    assert.deepEqual([present(r), r.steps[5].result], ['..PP', 2]);
  });
  it('a range that starts inside the VMA: its last pages only', () => {
    const r = run(text('4..9'));
    assert.deepEqual([present(r), r.steps[5].result], ['PP..', 2]);
  });
  it('a range inside the VMA: those pages; a range beside it: nothing', () => {
    const r = run(text('3..4'));
    assert.deepEqual([present(r), r.steps[5].result], ['P..P', 2]);
    const r2 = run(text('6..7'));
    assert.deepEqual([present(r2), r2.steps[5].result], ['PPPP', 0]);
  });
  it('each zapped PTE says why, and the walk visits the VMA at the first zapped address', () => {
    const r = run(text('3..4'));
    const zaps = r.steps[5].events.filter((e) => e.t === 'pte').map((e) => (e as { why: string; addr: number }));
    assert.deepEqual(zaps.map((z) => [(z.addr - A) / PAGE, z.why]), [[1, 'unmap_mapping_range: zap_page_range_single'], [2, 'unmap_mapping_range: zap_page_range_single']]);
    const w = walksOf(r).pop()!;
    assert.deepEqual(w.visits.map((v) => (v.address - A) / PAGE), [1]);
  });
});
