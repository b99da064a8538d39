// page_vma_mapped_walk() over PMD leaves (mm/page_vma_mapped.c: the pmd_trans_huge branch
// and check_pmd()): a PMD maps 512 PFNs; it is one match when they overlap [pfn, pfn + nr),
// reported once at its PMD-aligned address, and the walk goes on after it.
// And page_vma_mkclean_one() on it (mm/rmap.c: pmdp_invalidate, pmd_wrprotect, pmd_mkclean).

import { strict as assert } from 'assert';
import { page_vma_mapped_walk } from '../../../src/engine/rmap';
import { pte, run, task } from './helpers';

const A = 0x40000000; // 2 MiB aligned
const PAGE = 4096, PMD = 2 ** 21;

describe('page_vma_mapped_walk() over a PMD leaf (check_pmd)', () => {
  // two 2M page-cache folios, each mapped by one PMD (do_set_pmd)
  const mapped = () => run(`kernel 6.12
    file g pages 1024 folio 2M
    process a
    mmap a g at ${A} pages 1024 shared rw as m
    write a m[0]
    write a m[512]`);
  const walk = (r: ReturnType<typeof mapped>, pfn: number, nrPages: number, pgoff: number, address: number) => {
    const seen: string[] = [];
    page_vma_mapped_walk({ pfn, nrPages, pgoff, vma: task(r, 'a').mm.vmas[0], address }, (addr, pmd) => seen.push(`${(addr - A) / PAGE}${pmd ? ' pmd' : ''}`));
    return seen;
  };

  it('the premise: the PFNs of the second folio follow those of the first', () => {
    const r = mapped();
    const h = pte(r, 'a', 'm', 0).pfn;
    assert.deepEqual([pte(r, 'a', 'm', 511).pfn, pte(r, 'a', 'm', 512).pfn], [h + 511, h + 512]);
  });

  it('a range inside the PMD\'s PFNs, from its first to its last: one match, at the PMD-aligned address', () => {
    const r = mapped();
    const h = pte(r, 'a', 'm', 0).pfn;
    assert.deepEqual(walk(r, h, 1, 0, A), ['0 pmd']);
    assert.deepEqual(walk(r, h + 511, 1, 511, A + 511 * PAGE), ['0 pmd']);
    assert.deepEqual(walk(r, h + 5, 1, 5, A + 5 * PAGE), ['0 pmd']);
  });

  it('PFNs just before or just after the PMD\'s: no match', () => {
    const r = mapped();
    const h = pte(r, 'a', 'm', 0).pfn;
    assert.deepEqual(walk(r, h - 1, 1, 0, A), [], 'the range ends where the PMD starts');
    assert.deepEqual(walk(r, h - 1, 2, 0, A), ['0 pmd'], 'its last PFN is the head');
    assert.deepEqual(walk(r, h + 512, 1, 0, A), [], 'the range starts right after the PMD');
  });

  it('after a PMD the walk goes on at the next 2 MiB: a range over both folios matches both PMDs', () => {
    const r = mapped();
    const h = pte(r, 'a', 'm', 0).pfn;
    assert.deepEqual(walk(r, h, 1024, 0, A), ['0 pmd', '512 pmd']);
    assert.deepEqual(walk(r, h + 512, 512, 512, A + 512 * PAGE), ['512 pmd']);
  });
});

describe('page_vma_mkclean_one() on a PMD (mm/rmap.c)', () => {
  it('one count per PMD, its reason names the PMD', () => {
    const r = run(`kernel 6.12
      file g pages 512 folio 2M
      process a
      mmap a g at ${A} pages 512 shared rw as m
      write a m[0]
      mkclean g[0]`);
    assert.equal(r.steps[5].result, 1);
    // the model's per-page view of the PMD changes on each of its 512 pages, for one reason
    const ev = r.steps[5].events.filter((e) => e.t === 'pte').map((e) => (e as { why: string; addr: number }));
    assert.deepEqual([...new Set(ev.map((e) => e.why))], ['page_vma_mkclean_one: PMD wrprotect + clean (TLB flushed)']);
    assert.deepEqual([ev.length, ev[0].addr, ev[ev.length - 1].addr], [512, A, A + PMD - PAGE]);
  });
});
