// Language v2 features together: madvise/reclaim/swap/migration (issue 16b) meeting large
// folios and PMD THP (issue 15) and VMA merging, mremap and expect error (issue 16a). Each
// test is one kernel rule where they meet.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { run, task, walksOf } from '../engine/helpers';

const BASE = '0x7f0000000000';
// one PMD-mapped THP (buf[0..511]) and, past the last aligned 2 MiB, order-0 pages (buf[512..])
const THP = `kernel 6.12\nsysctl swap pages 1024\nsysctl thp enabled always\nprocess p\nmmap p anon at ${BASE} pages 513 private rw as buf\n`;
const diag = (r: ReturnType<typeof runText>) => r.diagnostics.map((d) => `${d.code} ${d.message}`).join('; ');

describe('v2 integration: reclaim, swap and migration with large folios and VMAs', () => {
  it('one madvise statement takes every advice: dontneed … populate_write and hugepage|nohugepage|collapse', () => {
    const r = run(`process p\nmmap p anon at ${BASE} pages 4 private rw as buf
madvise p buf populate_write\nmadvise p buf[0..1] hugepage\nmadvise p buf[2..3] dontneed\nmadvise p buf nohugepage
expect vmas p 1\nexpect pte p buf[0..1] present write\nexpect pte p buf[2..3] none`);
    assert.equal(r.failed, 0);
  });

  it('MADV_COLD over a whole PMD-mapped THP: the PMD is made old, the folio deactivated, nothing split', () => {
    const r = run(`${THP}write p buf[0]\nmadvise p buf[0..511] cold
expect pte p buf[0..511] present huge !young
expect folio p buf[7] large order 9`);
    assert.equal(r.failed, 0);
  });

  it('MADV_PAGEOUT over a PMD-mapped THP: split (6.12: the never-written pages become the zero page), the rest swapped out, try_to_unmap walked p', () => {
    // shrink_folio_list() splits the THP (split_folio_to_list: the model swaps order-0
    // folios only); from 6.12 that split maps zero-filled pages to the zero page and frees
    // them, so only the written page is swapped (measured on Debian 6.12.118; 6.1.192 swaps all)
    const r = run(`${THP}write p buf[0]\nwrite p buf[5]\nmadvise p buf[0..511] pageout
expect pte p buf[0] swap !present !huge
expect pte p buf[5] swap
expect pte p buf[1..4] present maps zero
expect folio p buf[5] swapcache !large
expect walk try_to_unmap p:buf
read p buf[5]
expect pte p buf[5] present !huge
expect faults p 2 major 0`);
    assert.equal(r.failed, 0, diag(r));
    const r61 = run(`${THP.replace('kernel 6.12', 'kernel 6.1')}write p buf[0]\nmadvise p buf[0..511] pageout\nexpect pte p buf[0..511] swap !present !huge`);
    assert.equal(r61.failed, 0, diag(r61));
  });

  it('MADV_PAGEOUT isolates a PMD-mapped THP whole: reclaim checks its references as one folio (before 6.9), then splits it (measured walk order on 6.1.192 and 6.12.118)', () => {
    // madvise_cold_or_pageout_pte_range(): pmd_mkold, the THP to the list; shrink_folio_list():
    // folio_check_references → folio_referenced over the PMD (6.1; ignored for MADV_PAGEOUT from
    // 6.9), add_to_swap() of the large folio fails → split_folio_to_list(): try_to_migrate, then
    // remove_migration_ptes per page; the head goes on (try_to_unmap), each tail is checked and unmapped
    const text = (v: string) => `kernel ${v}\nsysctl swap pages 1024\nsysctl thp enabled always\nprocess p\nmmap p anon at ${BASE} pages 512 private rw as buf\nwrite p buf[0]\nmadvise p buf[0..511] pageout\n`;
    const apis = (v: string) => walksOf(run(text(v))).map((w) => w.api);
    const a61 = apis('6.1');
    assert.deepEqual(a61.slice(0, 3), ['folio_referenced', 'try_to_migrate', 'remove_migration_ptes']);
    assert.deepEqual(a61.slice(514, 518), ['try_to_unmap', 'folio_referenced', 'try_to_unmap', 'folio_referenced']);
    assert.equal(a61.length, 1 + 1 + 512 + 1 + 511 * 2);
    const a612 = apis('6.12');
    assert.deepEqual(a612.slice(0, 2), ['try_to_migrate', 'remove_migration_ptes']);
    // 6.12: the 511 never-written pages became the zero page at the split; only buf[0] is unmapped
    assert.deepEqual(a612.slice(513), ['try_to_unmap']);
  });

  it('MADV_FREE over a whole PMD-mapped THP: madvise_free_huge_pmd — still one PMD, clean and old, the folio lazyfree', () => {
    const r = run(`${THP}write p buf[0]\nmadvise p buf[0..511] free
expect pte p buf[0..511] present huge !dirty !young
expect folio p buf[0] large !dirty`);
    assert.equal(r.failed, 0);
  });

  it('MADV_FREE over part of a THP splits it first (split_huge_page); the rest stays mapped', () => {
    const r = run(`${THP}write p buf[0]\nmadvise p buf[0..3] free
expect pte p buf[0..511] present !huge
expect folio p buf[100] !large`);
    assert.equal(r.failed, 0);
  });

  it('fork copies a PMD leaf (copy_huge_pmd) and, in the next page table, a swap entry (copy_nonpresent_pte)', () => {
    const r = run(`${THP}write p buf[0]\nwrite p buf[512]\nmadvise p buf[512] pageout\nexpect pte p buf[512] swap
fork p as c
expect pte c buf[0..511] present huge !write
expect pte c buf[512] swap
expect pte c buf[3] same p buf[3]`);
    assert.equal(r.failed, 0);
  });

  it('migrate a page of a PMD-mapped THP: migrate_pages moves the whole folio (x86-64 THP migration): still PMD-mapped by both, one new large folio; expect walk API sees both walks', () => {
    const r = run(`${THP}write p buf[0]\nfork p as c\nmigrate p buf[3]
expect result 0
expect walk try_to_migrate p:buf, c:buf
expect walk remove_migration_ptes p:buf, c:buf
expect pte p buf[3] present huge !migration same c buf[3]
expect folio p buf[3] large mapcount 2`);
    assert.equal(r.failed, 0);
    // fork's and the fault's walks aside: one walk each over the whole folio (512 pages), no split's
    assert.deepEqual(walksOf(r).filter((w) => w.api === 'try_to_migrate' || w.api === 'remove_migration_ptes').map((w) => [w.api, w.nr]),
      [['try_to_migrate', 512], ['remove_migration_ptes', 512]]);
  });

  it('expect error covers madvise and migrate refusals (step.errno); without it they are MMS508 / MMS510', () => {
    const ok = runText(`process p\nmmap p anon at ${BASE} pages 2 private rw as buf\nmigrate p buf[0]\nexpect error ENOENT
madvise p ${BASE} pages 4 hugepage\nexpect error ENOMEM`);
    assert.equal(ok.exitStatus, 0, diag(ok));
    assert.equal(ok.passed, 2);
    const bad = runText(`process p\nmmap p anon at ${BASE} pages 2 private rw as buf\nmigrate p buf[0]\nmadvise p ${BASE} pages 4 dontneed`);
    assert.equal(bad.exitStatus, 2);
    assert.ok(bad.diagnostics.some((d) => d.code === 'MMS510' && /ENOENT/.test(d.message)), diag(bad));
    assert.ok(bad.diagnostics.some((d) => d.code === 'MMS508' && /ENOMEM/.test(d.message)), diag(bad));
  });

  it('mremap moves swap entries with the PTEs (move_ptes, marked soft-dirty: move_soft_dirty_pte); the swap-in happens at the new address', () => {
    const r = run(`kernel 6.12\nsysctl swap pages 64\nprocess p\nmmap p anon at ${BASE} pages 2 private rw as buf
write p buf[0..1]\nmadvise p buf pageout\nclear_refs p softdirty\nexpect pte p buf[0..1] swap !softdirty
mremap p buf to 0x7e0000000000
expect pte p buf[0..1] swap softdirty
read p buf[1]
expect pte p buf[1] present
expect vma p buf[1] start 0x7e0000000000 pages 2`);
    assert.equal(r.failed, 0);
    assert.equal(task(r, 'p').mm.vmas.length, 1);
  });

  it('after mremap, `same P LABEL[J]` and `expect folio P LABEL[I]` follow the label to its new address', () => {
    const r = run(`kernel 6.12\nsysctl thp enabled always\nprocess p\nmmap p anon at ${BASE} pages 512 private rw as buf
write p buf[0]\nfork p as c\nmremap p buf to 0x7e0000000000
expect pte c buf[7] same p buf[7]
expect folio p buf[7] large order 9 folio_mapcount 2`);
    assert.equal(r.failed, 0);
  });
});
