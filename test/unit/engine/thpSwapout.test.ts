// THP / mTHP swap-out and swap-in of large folios (issues #15/#16), per kernel rule:
// mm/vmscan.c shrink_folio_list (split or not before add_to_swap), mm/swapfile.c
// get_swap_pages (a cluster for a large folio on a SWP_BLKDEV device with clusters: the zram
// `sync` device, not the swap file), mm/rmap.c try_to_unmap with TTU_SPLIT_HUGE_PMD, mm/page_io.c
// swap_writepage of a large folio, __remove_mapping → delete_from_swap_cache of a large folio,
// mm/madvise.c madvise_cold_or_pageout_pte_range (6.10: no split of a whole folio) and
// mm/memory.c do_swap_page → alloc_swap_folio (6.12: large swap-in on a sync device).

import { strict as assert } from 'assert';
import { BASE, pte, run, task, walksOf, type WalkEv } from './helpers';
import type { RunResult } from '../../../src/scenario/run';
import { MM_ANONPAGES, MM_SWAPENTS } from '../../../src/engine/mm';
import { shrink_folio_list } from '../../../src/engine/reclaim';
import { get_swap_pages, SWAPFILE_CLUSTER } from '../../../src/engine/swapCluster';
import { swap_count } from '../../../src/engine/swap';

const A = BASE;
const apis = (r: RunResult): string[] => walksOf(r).map((w: WalkEv) => w.api);
const orderAt = (r: RunResult, i: number, label = 'h'): number => r.engine.memmap.order[task(r, 'a').mm.ptePfn(r.labels.get('a')!.get(label)!.start + i * 4096)];
const slotAt = (r: RunResult, i: number): number => task(r, 'a').mm.ptePfn(A + i * 4096);

/** A PMD THP written at page 0 (and all pages when `all`), then MADV_PAGEOUT of the whole range. */
function thpPageout(kernel: string, swap: string, extra = '', all = false): RunResult {
  return run(`kernel ${kernel}\nsysctl swap pages ${swap}\nsysctl thp enabled always\nprocess a\nmmap a anon at ${A} pages 512 private rw as h\n` +
    `write a h[${all ? '0..511' : '0'}]\n${extra}madvise a h[0..511] pageout`);
}

/** Two 64K mTHPs (pages 0..15 written, page 16 written), MADV_PAGEOUT of both. */
function mthpPageout(kernel: string, swap = '1024 sync', after = ''): RunResult {
  return run(`kernel ${kernel}\nsysctl swap pages ${swap}\nsysctl thp anon 64K always\nprocess a\nmmap a anon at ${A} pages 32 private rw as h\n` +
    `write a h[0..15]\nwrite a h[16]\nmadvise a h[0..31] pageout\n${after}`);
}

describe('THP swap-out whole (shrink_folio_list → add_to_swap of a large folio)', () => {
  for (const kernel of ['6.1', '6.12']) {
    it(`${kernel}: a PMD-mapped THP on zram gets a whole cluster: one try_to_unmap walk, no split, entries slot + i, folio freed`, () => {
      const r = thpPageout(kernel, '1024 sync', '', true);
      assert.deepEqual(apis(r).filter((a) => a !== 'folio_referenced'), ['try_to_unmap'], 'no try_to_migrate / remove_migration_ptes: no split_folio');
      const base = slotAt(r, 0);
      assert.equal(base % SWAPFILE_CLUSTER, 0, 'the folio starts a cluster');
      for (const i of [0, 1, 255, 511]) {
        assert.equal(pte(r, 'a', 'h', i).P, false);
        assert.equal(slotAt(r, i), base + i, `page ${i}: swap entry slot + ${i}`);
        assert.equal(swap_count(r.engine, base + i), 1);
      }
      const mm = task(r, 'a').mm;
      assert.equal(mm.rss[MM_SWAPENTS], 512);
      assert.equal(mm.rss[MM_ANONPAGES], 0);
      assert.equal(r.engine.swap!.cache.size, 0, 'zram completed the write: the folio left the swap cache and was freed');
      assert.equal(r.engine.swap!.inuse, 512);
    });
  }

  it('swap_writepage() of the large folio carries each page\'s data to its slot (memmap.written per slot)', () => {
    const r = run(`kernel 6.12\nsysctl swap pages 1024 sync\nsysctl thp enabled always\nprocess a\nmmap a anon at ${A} pages 512 private rw as h\n` +
      'write a h[0]\nwrite a h[7]\nmadvise a h[0..511] pageout');
    const si = r.engine.swap!, base = slotAt(r, 0);
    assert.deepEqual([si.written[base], si.written[base + 1], si.written[base + 7]], [1, 0, 1]);
    assert.equal(si.zeromap[base], 0, 'a folio with data is not in the zeromap');
  });

  it('the swap file (no SWP_BLKDEV) cannot take a THP: add_to_swap fails and the folio is split (6.1 and 6.12)', () => {
    for (const kernel of ['6.1', '6.12']) {
      const r = thpPageout(kernel, '1024', '', true);
      assert.ok(apis(r).includes('try_to_migrate'), `${kernel}: split_folio_to_list after add_to_swap failed`);
      assert.equal(pte(r, 'a', 'h', 511).P, false);
    }
  });

  it('zram without a free cluster (600 slots: cluster 1 is cut short) falls back to split', () => {
    const r = thpPageout('6.12', '600 sync', '', true);
    assert.ok(apis(r).includes('try_to_migrate'));
    assert.equal(get_swap_pages(r.engine, 9), 0);
  });

  it('order-0 allocations on zram use up a free cluster first (per-CPU cluster), so a THP then falls back to split', () => {
    const r = run(`kernel 6.1\nsysctl swap pages 1024 sync\nsysctl thp enabled always\nprocess a\nmmap a anon at ${A} pages 512 private rw as h\n` +
      `mmap a anon at 0x7e0000000000 pages 1 private rw as s\nwrite a s[0]\nmadvise a s[0] pageout\n` +
      'write a h[0..511]\nmadvise a h[0..511] pageout');
    assert.equal(task(r, 'a').mm.ptePfn(0x7e0000000000), SWAPFILE_CLUSTER, 'scan_swap_map_try_ssd_cluster took cluster 1 (cluster 0 holds the header)');
    assert.ok(apis(r).includes('try_to_migrate'), 'no free cluster left for the THP');
  });

  it('6.1: a THP mapped by PTEs (no PMD mapping) is split by madvise before reclaim ever sees it', () => {
    const r = thpPageout('6.1', '1024 sync', 'mprotect a h[0..255] r\n', true);
    assert.ok(apis(r).includes('try_to_migrate'));
  });
});

describe('shrink_folio_list(): which large folios are split before add_to_swap', () => {
  // a PMD-size folio mapped by PTEs only (mprotect split the PMD, not the folio), whole
  const pteMapped = (kernel: string): RunResult => run(`kernel ${kernel}\nsysctl swap pages 1024 sync\nsysctl thp enabled always\nprocess a\n` +
    `mmap a anon at ${A} pages 512 private rw as h\nwrite a h[0..511]\nmprotect a h[0..255] r`);
  const head = (r: RunResult): number => r.engine.memmap.head(task(r, 'a').mm.ptePfn(A));

  it('6.9: "Split folios without a PMD map right away" (folio_entire_mapcount 0)', () => {
    const r = pteMapped('6.9');
    assert.equal(shrink_folio_list(r.engine, [head(r)], true), 512);
    assert.ok(r.recorder.lastWalkOf.has('try_to_migrate'), 'split_folio_to_list before add_to_swap');
  });

  it('6.10: a fully mapped folio is not split (only partially mapped ones, on the deferred split list)', () => {
    const r = pteMapped('6.10');
    assert.equal(shrink_folio_list(r.engine, [head(r)], true), 512);
    assert.ok(!r.recorder.lastWalkOf.has('try_to_migrate'), 'swapped out whole');
    assert.equal(slotAt(r, 3), slotAt(r, 0) + 3);
  });

  it('6.10: a partially mapped folio (on the deferred split list) is split first', () => {
    const r = run(`kernel 6.10\nsysctl swap pages 1024 sync\nsysctl thp anon 64K always\nprocess a\nmmap a anon at ${A} pages 16 private rw as h\n` +
      'write a h[0..15]\nmadvise a h[15] dontneed');
    const h = head(r);
    assert.ok(r.engine.deferredSplit.has(h));
    shrink_folio_list(r.engine, [h], true);
    assert.ok(r.recorder.lastWalkOf.has('try_to_migrate'));
    assert.equal(pte(r, 'a', 'h', 0).P, false);
  });
});

describe('get_swap_pages() for a large folio (mm/swapfile.c)', () => {
  const dev = (kernel: string, swap: string): RunResult => run(`kernel ${kernel}\nsysctl swap pages ${swap}\nprocess a`);
  it('6.9: only a PMD-size folio gets slots (swap_alloc_cluster); 6.10: any order, naturally aligned in a cluster', () => {
    assert.equal(get_swap_pages(dev('6.9', '1024 sync').engine, 4), 0);
    assert.equal(get_swap_pages(dev('6.9', '1024 sync').engine, 9), 512);
    const k = dev('6.10', '2048 sync').engine;
    const a = get_swap_pages(k, 4);
    assert.equal(a % 16, 0);
    assert.equal(Math.floor(a / SWAPFILE_CLUSTER), 1, 'a free cluster (cluster 0 holds the header)');
  });
  it('no large slots on the swap file at any release', () => {
    for (const kernel of ['6.1', '6.10', '6.12']) assert.equal(get_swap_pages(dev(kernel, '2048').engine, 9), 0);
  });
});

describe('mTHP pageout and swap-in (6.9 / 6.10 / 6.11 / 6.12)', () => {
  it('6.9: madvise splits each 64K folio (try_to_migrate) before reclaim', () => {
    const r = mthpPageout('6.9');
    assert.ok(apis(r).includes('try_to_migrate'));
  });
  it('6.10: each 64K folio is swapped out whole (two try_to_unmap walks, no split), 16 aligned slots each', () => {
    const r = mthpPageout('6.10');
    assert.deepEqual(apis(r), ['try_to_unmap', 'try_to_unmap']);
    assert.equal(slotAt(r, 0) % 16, 0);
    assert.equal(slotAt(r, 15), slotAt(r, 0) + 15);
    assert.equal(slotAt(r, 16) % 16, 0);
  });
  it('6.10: MADV_COLD keeps a whole 64K folio large; 6.9 splits it', () => {
    const cold = (kernel: string) => run(`kernel ${kernel}\nsysctl thp anon 64K always\nprocess a\nmmap a anon at ${A} pages 16 private rw as h\nwrite a h[0]\nmadvise a h[0..15] cold`);
    assert.equal(orderAt(cold('6.9'), 0), 0);
    assert.equal(orderAt(cold('6.10'), 0), 4);
  });
  it('6.10: a range covering part of a 64K folio splits it (madvise_folio_pte_batch < folio_nr_pages)', () => {
    const r = run(`kernel 6.10\nsysctl swap pages 1024 sync\nsysctl thp anon 64K always\nprocess a\nmmap a anon at ${A} pages 16 private rw as h\n` +
      'write a h[0..15]\nmadvise a h[4..7] pageout');
    assert.ok(apis(r).includes('try_to_migrate'));
    assert.equal(pte(r, 'a', 'h', 5).P, false);
    assert.equal(pte(r, 'a', 'h', 8).P, true);
  });
  it('6.11: the swap-in of a 64K folio swapped out whole is order 0', () => {
    const r = mthpPageout('6.11', '1024 sync', 'read a h[3]');
    assert.equal(orderAt(r, 3), 0);
    assert.equal(pte(r, 'a', 'h', 2).P, false);
  });
  it('6.12: alloc_swap_folio reads the whole 64K folio back on zram and maps its 16 PTEs (one major fault)', () => {
    const r = mthpPageout('6.12', '1024 sync', 'read a h[3]');
    assert.equal(orderAt(r, 3), 4);
    for (const i of [0, 15]) assert.equal(pte(r, 'a', 'h', i).P, true);
    assert.equal(pte(r, 'a', 'h', 16).P, false);
    const t = task(r, 'a');
    assert.equal(t.mm.rss[MM_SWAPENTS], 16);
    assert.equal(r.engine.memmap.written[t.mm.ptePfn(A + 5 * 4096)], 1, 'data read back per slot');
  });
  it('6.12: a PMD-size THP swapped out whole comes back as order-0 pages (orders below the PMD order only)', () => {
    const r = run(`kernel 6.12\nsysctl swap pages 1024 sync\nsysctl thp enabled always\nprocess a\nmmap a anon at ${A} pages 512 private rw as h\n` +
      'write a h[0..511]\nmadvise a h[0..511] pageout\nread a h[5]');
    assert.equal(orderAt(r, 5), 0);
    assert.equal(pte(r, 'a', 'h', 4).P, false);
  });
  it('6.12: an entry with two users (fork copied the swap PTEs) goes through the swap cache: order 0', () => {
    const r = mthpPageout('6.12', '1024 sync', 'fork a as b\nread a h[3]');
    assert.equal(orderAt(r, 3), 0);
    assert.equal(pte(r, 'a', 'h', 2).P, false);
  });
});
