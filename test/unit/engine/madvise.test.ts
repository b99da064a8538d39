// mm/madvise.c as the engine models it: one rule per test, named for the kernel function.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { PG_active, PG_dirty, PG_swapbacked } from '../../../src/engine/memmap';
import { is_swap_slot_pte } from '../../../src/engine/swapEntry';
import { assertPte, faultCount, pte, run, task, visits, walksOf, BASE } from './helpers';

const anon = (pages: number, extra = '') => `${extra}process a\nmmap a anon at ${BASE} pages ${pages} private rw as h\n`;
const folioAt = (r: ReturnType<typeof run>, proc: string, i: number) => task(r, proc).mm.ptePfn(BASE + i * 4096);

describe('mm/madvise.c', () => {
  describe('madvise_dontneed_single_vma → zap_page_range_single', () => {
    it('zaps anonymous pages (freed) and refaults them as the zero page', () => {
      const r = run(anon(2) + 'write a h[0..1]\nmadvise a h[0..1] dontneed\nread a h[0]');
      assertPte(pte(r, 'a', 'h', 1), { none: true });
      assert.equal(folioAt(r, 'a', 0), 0x1000, 'zero page');
    });
    it('frees the swap entry of a swapped-out page (free_swap_and_cache)', () => {
      const r = run(anon(1, 'sysctl swap pages 4\n') + 'write a h[0]\nmadvise a h[0] pageout\nmadvise a h[0] dontneed');
      assertPte(pte(r, 'a', 'h', 0), { none: true });
      assert.equal(r.engine.swap!.inuse, 0, 'the slot is free again');
    });
    it('refuses VM_PFNMAP with EINVAL (madvise_dontneed_free_valid_vma)', () => {
      const r = runText(`pfnmap d pages 1\nprocess a\nmmap a d at ${BASE} pages 1 shared rw as m\nread a m[0]\nmadvise a m[0] dontneed`);
      const d = r.diagnostics.find((x) => x.code === 'MMS508');
      assert.ok(d && /EINVAL/.test(d.message), JSON.stringify(r.diagnostics));
      assert.equal(r.exitStatus, 2);
    });
  });

  describe('madvise_free_pte_range', () => {
    it('makes PTEs old and clean and the folio lazyfree (PG_swapbacked cleared)', () => {
      const r = run(anon(1) + 'write a h[0]\nmadvise a h[0] free');
      assertPte(pte(r, 'a', 'h', 0), { P: true, W: true, D: false, A: false });
      assert.equal(r.engine.memmap.test(folioAt(r, 'a', 0), PG_swapbacked), false);
    });
    it('does not clear PG_dirty of a folio mapped twice, yet still marks it lazyfree', () => {
      const r = run(anon(1) + 'write a h[0]\nfork a as b\nmadvise a h[0] free');
      const pfn = folioAt(r, 'a', 0);
      assert.equal(r.engine.memmap.mapcount[pfn], 2);
      assert.equal(r.engine.memmap.test(pfn, PG_swapbacked), false);
    });
    it('refuses a file mapping with EINVAL (!vma_is_anonymous)', () => {
      const r = runText(`file f pages 1\nprocess a\nmmap a f at ${BASE} pages 1 private rw as m\nmadvise a m[0] free`);
      assert.ok(r.diagnostics.some((d) => d.code === 'MMS508' && /EINVAL/.test(d.message)));
    });
  });

  describe('madvise_cold_or_pageout_pte_range', () => {
    it('cold: makes the PTE old and deactivates the folio (folio_deactivate), no reclaim', () => {
      const r = run(anon(1) + 'write a h[0]\nmadvise a h[0] cold');
      assertPte(pte(r, 'a', 'h', 0), { P: true, A: false, D: true });
      assert.equal(r.engine.memmap.test(folioAt(r, 'a', 0), PG_active), false);
      assert.equal(walksOf(r).length, 0);
    });
    it('skips a folio mapped by two processes (mapcount != 1)', () => {
      const r = run(anon(1, 'sysctl swap pages 4\n') + 'write a h[0]\nfork a as b\nmadvise a h[0] pageout');
      assertPte(pte(r, 'a', 'h', 0), { P: true });
      assert.equal(walksOf(r).length, 0);
    });
    it('skips the zero page (vm_normal_page: special) and non-LRU driver pages', () => {
      const r = run(anon(1, 'sysctl swap pages 4\n') + 'read a h[0]\nmadvise a h[0] pageout');
      assert.equal(folioAt(r, 'a', 0), 0x1000);
      const f = run(`fbdev fb pages 1\nprocess a\nmmap a fb at ${BASE} pages 1 shared rw as m\nread a m[0]\nmadvise a m[0] pageout`);
      assertPte(pte(f, 'a', 'm', 0), { P: true });
    });
    it('refuses VM_PFNMAP with EINVAL (can_madv_lru_vma)', () => {
      const r = runText(`pfnmap d pages 1\nprocess a\nmmap a d at ${BASE} pages 1 shared rw as m\nmadvise a m[0] cold`);
      assert.ok(r.diagnostics.some((d) => d.code === 'MMS508' && /EINVAL/.test(d.message)));
    });
    it('pageout without a swap device keeps the anonymous folio mapped and activates it', () => {
      const r = run(anon(1) + 'write a h[0]\nmadvise a h[0] pageout');
      assertPte(pte(r, 'a', 'h', 0), { P: true, W: true });
      assert.equal(r.engine.memmap.test(folioAt(r, 'a', 0), PG_active), true);
    });
    it('pageout of a dirty shared file page: unmapped, still cached and dirty', () => {
      const r = run(`file f pages 1\nprocess a\nmmap a f at ${BASE} pages 1 shared rw as m\nwrite a m[0]\nmadvise a m[0] pageout`);
      assertPte(pte(r, 'a', 'm', 0), { none: true });
      const pfn = r.engine.pfnOf(r.objects.get('f')!, 0);
      assert.ok(pfn && r.engine.memmap.test(pfn, PG_dirty));
    });
    it('pageout of a clean file page drops it from the page cache (__remove_mapping)', () => {
      const r = run(`file f pages 1\nprocess a\nmmap a f at ${BASE} pages 1 shared r as m\nread a m[0]\nmadvise a m[0] pageout`);
      assert.equal(r.engine.pfnOf(r.objects.get('f')!, 0), 0);
    });
  });

  describe('madvise_willneed', () => {
    it('anonymous: reads swapped-out pages into the swap cache without mapping them', () => {
      const r = run(anon(1, 'sysctl swap pages 4 sync\n') + 'write a h[0]\nmadvise a h[0] pageout\nmadvise a h[0] willneed\nread a h[0]');
      // the swap-in found the folio in the swap cache: a minor fault
      assert.equal(task(r, 'a').majFlt, 0);
    });
    it('file: force_page_cache_ra reads the uncached pages, maps nothing', () => {
      const r = run(`file f pages 4 cold\nprocess a\nmmap a f at ${BASE} pages 4 shared r as m\nmadvise a m[1..2] willneed`);
      const f = r.objects.get('f')!;
      assert.deepEqual([0, 1, 2, 3].map((i) => r.engine.pfnOf(f, i) !== 0), [false, true, true, false]);
      assertPte(pte(r, 'a', 'm', 1), { none: true });
    });
  });

  describe('madvise_populate (faultin_page_range)', () => {
    it('populate_read faults the range in and counts the faults', () => {
      const r = run(anon(2) + 'madvise a h[0..1] populate_read');
      assert.equal(folioAt(r, 'a', 0), 0x1000);
      assert.equal(faultCount(r, 'a'), 2);
    });
    it('populate_write breaks COW and makes the PTEs writable and dirty; present writable PTEs take no fault', () => {
      const r = run(anon(2) + 'write a h[0]\nmadvise a h[0..1] populate_write');
      assertPte(pte(r, 'a', 'h', 1), { P: true, W: true, D: true });
      assert.equal(faultCount(r, 'a'), 2);
    });
    it('populate_write on a read-only mapping is EINVAL (check_vma_flags)', () => {
      const r = runText(`process a\nmmap a anon at ${BASE} pages 1 private r as h\nmadvise a h[0] populate_write`);
      assert.ok(r.diagnostics.some((d) => d.code === 'MMS508' && /EINVAL/.test(d.message)));
    });
    it('a write-only (PROT_WRITE) mapping: populate_read is EINVAL (no VM_READ), populate_write faults in writable PTEs', () => {
      const src = `process a\nmmap a anon at ${BASE} pages 2 private w as h\n`;
      const r1 = runText(src + 'madvise a h[0..1] populate_read');
      assert.ok(r1.diagnostics.some((d) => d.code === 'MMS508' && /EINVAL/.test(d.message)), JSON.stringify(r1.diagnostics));
      const r2 = run(src + 'madvise a h[0..1] populate_write');
      assertPte(pte(r2, 'a', 'h', 1), { P: true, W: true, D: true });
    });
    it('a SIGBUS fault (past end of file) is EFAULT', () => {
      const r = runText(`file f pages 1\nprocess a\nmmap a f at ${BASE} pages 2 shared r as m\nmadvise a m[0..1] populate_read`);
      assert.ok(r.diagnostics.some((d) => d.code === 'MMS508' && /EFAULT/.test(d.message)), JSON.stringify(r.diagnostics.map((d) => d.message)));
    });
  });

  it('shrink_folio_list for MADV_PAGEOUT: try_to_unmap leaves a swap entry; the walk is recorded', () => {
    const r = run(anon(1, 'kernel 6.12\nsysctl swap pages 4\n') + 'write a h[0]\nmadvise a h[0] pageout');
    const mm = task(r, 'a').mm;
    assert.ok(is_swap_slot_pte(mm.pteFlags(BASE)));
    assert.deepEqual(walksOf(r).map((w) => w.api), ['try_to_unmap']);
    assert.deepEqual(visits(r), ['a:h']);
  });
});
