// Large folios and THP (language v2): one test per kernel rule, named for its function.
// Each scenario carries its own expectations (run() fails on any that does not hold) and
// the engine invariants are checked at the end (engine/invariants.ts: per-page mapcount
// = PTE mappings, entire mapcount = PMD mappings).

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { checkInvariants } from '../../../src/engine/invariants';
import { run, task, visits } from './helpers';

const A = '0x7f0000000000';

function ok(text: string): ReturnType<typeof run> {
  const r = run(text);
  assert.deepEqual(checkInvariants(r.engine), [], 'engine invariants');
  return r;
}

function errors(text: string): string[] {
  return runText(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
}

describe('engine: large folios and THP', () => {
  it('alloc_anon_folio: the highest enabled order whose aligned range fits the VMA (the 6.12 oracle measurement: 29 pages at 0x20003000)', () => {
    ok(`kernel 6.12
sysctl thp anon 64K always
sysctl thp anon 32K always
process p
mmap p anon at 0x20003000 pages 29 private rw as v
write p v[0]
expect folio p v[0] !large
expect pte p v[1] none
write p v[5]
expect folio p v[5] order 3
expect pte p v[5..12] present write dirty
write p v[13]
expect folio p v[13] order 4 folio_mapcount 16
expect pte p v[13..28] present write
expect faults p 3`);
  });

  it('alloc_anon_folio: an order whose range holds a PTE already (the zero page) is not taken (pte_range_none)', () => {
    ok(`kernel 6.12
sysctl thp anon 64K always
process p
mmap p anon at ${A} pages 16 private rw as v
read p v[3]
write p v[0]
expect folio p v[0] !large
expect pte p v[3] maps zero`);
  });

  it('alloc_anon_folio: not before 6.8 (hugepages-<size>/enabled is an error there), and not for a read fault', () => {
    assert.ok(errors(`kernel 6.7\nsysctl thp anon 64K always`).some((e) => e.startsWith('MMS404') && e.includes('6.8')));
    ok(`kernel 6.8
sysctl thp anon 64K always
process p
mmap p anon at ${A} pages 16 private rw as v
read p v[0]
expect pte p v[0] maps zero
expect pte p v[1] none`);
  });

  it('thp_vma_allowable_orders: madvise sizes need VM_HUGEPAGE (madvise hugepage), inherit follows enabled, nohugepage wins', () => {
    ok(`kernel 6.12
sysctl thp anon 64K madvise
process p
mmap p anon at ${A} pages 64 private rw as v
write p v[0]
expect folio p v[0] !large
madvise p v[16..31] hugepage
write p v[16]
expect folio p v[16] order 4
sysctl thp anon 64K inherit
sysctl thp enabled madvise
write p v[32]
expect folio p v[32] !large
madvise p v[48..63] nohugepage
sysctl thp enabled always
write p v[48]
expect folio p v[48] !large`);
  });

  it('do_huge_pmd_anonymous_page: a read maps the huge zero folio by one PMD; use_zero_page 0 maps a new writable THP; a VMA too small falls back', () => {
    ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
read p v[7]
expect pte p v[0..511] huge present !write maps zero
expect faults p 1
sysctl thp use_zero_page 0
mmap p anon at 0x7e0000000000 pages 512 private rw as w
read p w[0]
expect pte p w[0..511] huge write dirty maps anon
expect folio p w[3] order 9 folio_mapcount 1 mapcount 1
mmap p anon at 0x7d0000000000 pages 511 private rw as s
write p s[0]
expect pte p s[0] !huge
expect folio p s[0] !large`);
  });

  it('do_huge_pmd_wp_page: a write to the huge zero PMD splits it into zero-page PTEs and copies one page (as measured on 6.12)', () => {
    ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
read p v[0]
write p v[9]
expect pte p v[9] !huge write maps anon
expect folio p v[9] !large
expect pte p v[0..8] !huge !write special maps zero
expect pte p v[10..511] !huge maps zero
expect faults p 2`);
  });

  it('do_huge_pmd_wp_page: an anon THP whose other mapper exited is reused as a PMD (only reference: folio_move_anon_rmap)', () => {
    ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[0]
fork p as c
exit c
expect pte p v[0] huge !write
write p v[1]
expect pte p v[0..511] huge write dirty
expect folio p v[1] order 9 folio_mapcount 1`);
  });

  it('copy_huge_pmd + do_huge_pmd_wp_page: fork shares the THP read-only; the child\'s write splits its PMD and copies one page', () => {
    ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[0]
fork p as c
expect pte c v[0..511] huge !write !young
expect folio p v[9] folio_mapcount 2 mapcount 2
write c v[9]
expect pte c v[9] !huge write
expect pte c v[10] !huge !write
expect pte p v[9] huge
expect folio p v[10] folio_mapcount 512 mapcount 2`);
  });

  it('__split_huge_pmd (vma_adjust_trans_huge): mprotect of part of a PMD THP splits the PMD, keeping write, dirty and soft-dirty per PTE', () => {
    const r = ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[0]
mprotect p v[0..15] r
expect pte p v[0..15] !huge !write dirty softdirty
expect pte p v[16..511] !huge write dirty softdirty
expect folio p v[100] order 9 folio_mapcount 512 mapcount 1`);
    assert.equal(task(r, 'p').mm.vmas.length, 2);
  });

  it('sysctl thp anon|shmem SIZE before hugepages-<size>/ exists (anon 6.8, shmem 6.11): the write fails, no knob changes (6.1.192: 512 PTE faults on the zero page, no PMD)', () => {
    // the v2 differential fuzz (seed 11, scenario 9): run at 6.1.192 without a kernel line (as
    // the oracle runs it), `sysctl thp anon 2M always` had turned PMD THP on in the engine
    const text = `sysctl thp anon 2M always\nsysctl thp shmem 2M always\nprocess p\nmmap p anon at ${A} pages 512 private rw as v\nread p v[0..511]\nexpect faults p 512\nexpect pte p v[0] !huge maps zero`;
    const r61 = runText(text, { kernelOverride: '6.1.192' });
    assert.equal(r61.passed, 2, JSON.stringify(r61.diagnostics.map((d) => d.message)));
    assert.equal(r61.failed, 0);
    assert.equal(runText(text, { kernelOverride: '6.12.118' }).failed, 2, 'from 6.8 the knob turns PMD THP on: one fault, a huge zero PMD');
  });

  it('split_folio of a THP written after clear_refs (6.12): the freeze keeps the PMD\'s soft-dirty (none) in the entries; remove_migration_pte gives it to the written page exactly, try_to_map_unused_to_zeropage to the zero PTEs', () => {
    // the v2 differential fuzz (seed 12, scenario 18, 6.12.118)
    ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[283]
clear_refs p softdirty
split p v[16]
expect pte p v[283] !huge dirty !softdirty maps anon
expect pte p v[16] maps zero !softdirty
expect pte p v[0..282] maps zero !softdirty`);
  });

  it('shmem_suitable_orders (6.11+): a tmpfs huge=always mapping too small for a PMD gets order-0 folios (thp_vma_suitable_orders for every VMA, not only shared anonymous memory)', () => {
    // the v2 differential fuzz (seed 12, scenario 77, 6.12.118): after munmap of most of the
    // mapping, the 61 pages left faulted in order-0 folios on the kernel
    ok(`kernel 6.12
shmem s pages 512 huge always
process p
mmap p s at ${A} pages 512 shared rw as m
munmap p m[0..450]
write p m[451..481]
expect folio s[451] !large
expect folio s[481] !large
shmem t pages 512 huge always
mmap p t at 0x7e0000000000 pages 512 shared rw as n
write p n[0]
expect folio t[0] large order 9`);
  });

  it('__split_huge_pmd_locked: a dirty PMD splits into soft-dirty PTEs from 6.2 (x86 pte_mkdirty sets _PAGE_SOFT_DIRTY), not at 6.1 (no pte_mkdirty there)', () => {
    // the v2 differential fuzz (seed 11, scenario 91): after clear_refs softdirty, mprotect of
    // part of the THP; 6.12.118 showed every PTE soft-dirty, 6.1.192 none
    const text = (kv: string) => `kernel ${kv}
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[1]
clear_refs p softdirty
expect pte p v[0] huge !softdirty
mprotect p v[16..511] r
expect pte p v[0..511] !huge dirty softdirty`;
    ok(text('6.12'));
    ok(text('6.1').replace('dirty softdirty', '!dirty !softdirty'));
  });

  it('deferred_split_folio: munmap of part of a PTE-mapped anon THP queues it; zap_huge_pmd of a whole PMD frees it', () => {
    const r = ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 1024 private rw as v
write p v[0]
write p v[512]
munmap p v[0..9]
expect folio p v[10] large folio_mapcount 502
munmap p v[512..1023]`);
    assert.equal(r.engine.deferredSplit.size, 1);
    const head = task(r, 'p').mm.ptePfn(0x7f000000a000) - 10;
    const r2 = ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[0]
write p v[10]
munmap p v[0..9]
split p v[10]
expect folio p v[10] !large mapcount 1
expect pte p v[11] maps zero`);
    // v[11] was never written: from 6.12 the split maps it as the zero page (try_to_map_unused_to_zeropage)
    const mm2 = r2.engine.memmap, h2 = task(r2, 'p').mm.ptePfn(0x7f000000a000) - 10;
    assert.equal(r2.engine.deferredSplit.size, 0, 'split takes the folio off the deferred split queue');
    assert.ok(!mm2.pfnValid(h2) && !mm2.pfnValid(h2 + 9), 'the unmapped pages are freed by the split');
    assert.ok(mm2.pfnValid(h2 + 10));
    assert.ok(!mm2.pfnValid(h2 + 11), 'the zero-filled page the split mapped as the zero page is freed');
    assert.ok(head > 0);
  });

  it('a page\'s data follows it through swap, migration and collapse: the 6.12 split keeps what was written and maps only zero-filled pages as the zero page', () => {
    // written at t[0] (then swapped out and in) and t[1] (then migrated); collapse_huge_page
    // copies both into the THP; the split keeps them (measured on Debian 6.12.118: the same)
    ok(`kernel 6.12
sysctl swap pages 64
process p
mmap p anon at ${A} pages 512 private rw as t
write p t[0]
write p t[1]
madvise p t[0] pageout
expect pte p t[0] swap
read p t[0]
migrate p t[1]
madvise p t[0..511] collapse
expect pte p t[0] huge
split p t[0]
expect pte p t[0] maps anon
expect pte p t[1] maps anon
expect pte p t[2] maps zero`);
  });

  it('split_huge_page_to_list_to_order: an anon THP becomes 512 order-0 folios mapped as before (6.12: the never-written ones as the zero page); the huge zero page is EBUSY; an order-0 folio EINVAL', () => {
    // measured on Debian 6.1.192 and 6.12.118 (docs/large-folios.md): 6.1 remaps every page
    // (the PMD was dirty, so are the PTEs: migration entries keep dirty); 6.12 maps the
    // zero-filled ones as the zero page (remap_page(RMP_USE_SHARED_ZEROPAGE))
    const text = (v: string) => `kernel ${v}
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[0]
write p v[77]
split p v[77]
expect result 0
expect pte p v[0] !huge write dirty maps anon
expect pte p v[77] !huge write dirty maps anon
expect folio p v[77] !large mapcount 1 folio_mapcount 1
`;
    ok(text('6.12') + 'expect pte p v[1..76] !huge !write !dirty maps zero\nexpect pte p v[78..511] maps zero');
    ok(text('6.11') + 'expect pte p v[1..76] !huge write dirty maps anon\nexpect pte p v[78..511] maps anon');
    ok(text('6.1') + 'expect pte p v[1..511] !huge write dirty maps anon');
    assert.ok(errors(`kernel 6.12\nsysctl thp enabled always\nprocess p\nmmap p anon at ${A} pages 512 private rw as v\nread p v[0]\nsplit p v[0]`).some((e) => e.includes('EBUSY')));
    assert.ok(errors(`kernel 6.12\nprocess p\nmmap p anon at ${A} pages 1 private rw as v\nwrite p v[0]\nsplit p v[0]`).some((e) => e.includes('EINVAL')));
  });

  it('try_to_unmap_one of a PMD-mapped lazyfree THP (MADV_FREE, then MADV_PAGEOUT): TTU_SPLIT_HUGE_PMD, then the MADV_FREE page check discards every PTE and the folio is freed; a read maps the zero page (6.1.192 and 6.12.118 measured)', () => {
    for (const v of ['6.1', '6.12']) {
      ok(`kernel ${v}
sysctl swap pages 2048
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as buf
write p buf[0..511]
madvise p buf[0..511] free
expect pte p buf[0] present huge !dirty
madvise p buf[0..511] pageout
expect walk try_to_unmap p:buf
expect pte p buf[0..511] !present !swap
read p buf[3]
expect pte p buf[3] present maps zero
`);
    }
  });

  it('try_to_unmap_one: a lazyfree THP written again (the PMD dirty) keeps every page: the first PTE is put back, the folio swap-backed again, the walk ends; from 6.9 MADV_PAGEOUT leaves the PMD young (madvise_cold_or_pageout_pte_range: !pageout && pmd_young)', () => {
    const text = (v: string) => `kernel ${v}
sysctl swap pages 2048
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as buf
write p buf[0..511]
madvise p buf[0..511] free
write p buf[100]
madvise p buf[0..511] pageout
expect pte p buf[0..511] present !huge
expect folio p buf[0] dirty
`;
    // the PTEs of the split PMD: dirty from 6.2 (split-pmd-pte-dirty), young as the PMD was left
    ok(text('6.12') + 'expect pte p buf[0] young dirty\nexpect pte p buf[300] young dirty\n');
    ok(text('6.1') + 'expect pte p buf[0] !young !dirty\nexpect pte p buf[300] !young !dirty\n');
  });

  it('try_to_migrate_one in a split: a dirty PTE of a PTE-mapped anon folio marks the folio dirty ("now the pte is gone"), so every page of it is PG_dirty after the split (6.12.118: kpageflags D on all pages)', () => {
    const text = `kernel 6.12
sysctl thp enabled never
sysctl thp anon 64K always
process p
mmap p anon at ${A} pages 16 private rw as v
write p v[0..15]
expect folio p v[0] large !dirty
split p v[0]
expect folio p v[0] !large dirty
expect folio p v[15] !large dirty
`;
    ok(text);
  });

  it('unmap_folio + remap_page: an anon split is one try_to_migrate walk over the whole folio (every VMA mapping it, in anon_vma order), then remove_migration_ptes per new folio (6.1.192 and 6.12.118 made these 1 + 512 walks when MADV_PAGEOUT split a THP)', () => {
    const r = ok(`kernel 6.12
sysctl thp enabled always
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[0]
fork p as c
split p v[77]
expect result 0
expect walk try_to_migrate p:v, c:v
expect walk remove_migration_ptes p:v, c:v
expect pte p v[0] !huge !write maps anon
expect pte c v[1..511] !huge maps zero`);
    const split = r.steps.find((s) => s.line === 6)!.events.filter((e) => e.t === 'walk');
    assert.equal(split.length, 513);
    assert.deepEqual(split.slice(0, 2).map((w) => [w.api, visits(r, w), w.pgoff - split[0].pgoff, w.visits.map((x) => x.ptes.length)]), [
      ['try_to_migrate', ['p:v', 'c:v'], 0, [1, 1]],   // one PMD in each
      ['remove_migration_ptes', ['p:v', 'c:v'], 0, [1, 1]],
    ]);
    assert.deepEqual(split.slice(1).map((w) => w.pgoff - split[0].pgoff), Array.from({ length: 512 }, (_, i) => i));
    // the never-written pages were mapped as the zero page (6.12): their walks visit both, restore nothing
    assert.deepEqual(split.slice(2, 4).map((w) => [visits(r, w), w.visits.map((x) => x.ptes.length)]), [[['p:v', 'c:v'], [0, 0]], [['p:v', 'c:v'], [0, 0]]]);
    // a page-cache folio: try_to_unmap (its mappers fault again), no remap
    const f = ok(`kernel 6.12
shmem s pages 512 huge always
process p
mmap p s at ${A} pages 512 shared rw as m
write p m[0]
split s[3]
expect pte p m[0] none`);
    const fw = f.steps.find((s) => s.line === 5)!.events.filter((e) => e.t === 'walk');
    assert.deepEqual(fw.map((w) => [w.api, visits(f, w)]), [['try_to_unmap', ['p:m']]]);
  });

  it('shmem_allowable_huge_orders: a tmpfs mount with huge=always gets a PMD folio mapped by do_set_pmd; huge=never order 0', () => {
    ok(`kernel 6.12
shmem s pages 512 huge always
shmem t pages 512
process a
mmap a s at ${A} pages 512 shared rw as m
mmap a t at 0x7e0000000000 pages 512 shared rw as n
write a m[5]
expect pte a m[0..511] huge write dirty
expect pte a m[5] maps s[5]
expect folio s[300] order 9
write a n[5]
expect folio t[5] !large
expect pte a n[5] !huge`);
  });

  it('shmem_allowable_huge_orders + finish_fault: shared anonymous memory with hugepages-64kB/shmem_enabled always maps a whole 64K folio (6.11+); an error before 6.11', () => {
    ok(`kernel 6.11
sysctl thp shmem 64K always
process a
mmap a anon at ${A} pages 32 shared rw as m
write a m[17]
expect pte a m[16..31] present write dirty !huge
expect pte a m[15] none
expect folio a m[17] order 4 folio_mapcount 16`);
    assert.ok(errors(`kernel 6.10\nsysctl thp shmem 64K always`).some((e) => e.startsWith('MMS404') && e.includes('6.11')));
  });

  it('filemap_map_pages over large page-cache folios: a file of 64K folios faults around as before; a 2M folio is PMD-mapped when aligned (filemap_map_pmd)', () => {
    ok(`kernel 6.12
file f pages 1024 folio 64K
file g pages 1024 folio 2M
process a
mmap a f at ${A} pages 64 shared r as m
read a m[20]
expect folio f[20] order 4
expect pte a m[16..31] present !huge
expect pte a m[32] none
mmap a g at 0x7e0000000000 pages 1024 shared r as n
read a n[600]
expect pte a n[512..1023] huge present !write
expect pte a n[0] none
mmap a g at 0x7d0000001000 pages 512 shared r as u
read a u[3]
expect pte a u[3] !huge present`);
  });

  it('folio_mkclean over a PMD-mapped folio: one walk of folio_nr_pages pages, one count per PMD; writeback writes it as one folio', () => {
    const r = ok(`kernel 6.12
file g pages 512 folio 2M
process a
process b
mmap a g at ${A} pages 512 shared rw as m
mmap b g at 0x7e0000000000 pages 512 shared rw as m
write a m[0]
write b m[300]
expect pte a m[0..511] huge write dirty
writeback g
expect result 1
expect walk a:m, b:m
expect pte a m[0..511] huge !write !dirty
expect pte b m[0..511] huge !write !dirty
expect folio g[0] !dirty`);
    const w = r.steps.flatMap((s) => s.events).filter((e) => e.t === 'walk');
    assert.ok(w.length > 0);
  });

  it('copy_present_ptes (6.9+): fork of a PTE-mapped 64K folio write-protects both sides, the child PTEs old; wp_page_copy copies one page of it', () => {
    ok(`kernel 6.12
sysctl thp anon 64K always
process p
mmap p anon at ${A} pages 16 private rw as v
write p v[0]
fork p as c
expect pte p v[0..15] !write dirty
expect pte c v[0..15] !write !young
write c v[3]
expect folio c v[3] !large mapcount 1
expect folio p v[3] large mapcount 1 folio_mapcount 31`);
  });

  it('wp_can_reuse_anon_folio: a PTE-mapped large folio mapped by this mm only is reused from 6.15, copied before; one mapping left is copied from 6.15', () => {
    const scen = (v: string, same: boolean) => `kernel ${v}
sysctl thp anon 64K always
process p
mmap p anon at ${A} pages 16 private rw as v
write p v[0]
fork p as c
exit c
write p v[2]
expect folio p v[2] ${same ? 'large' : '!large'}`;
    ok(scen('6.14', false));
    ok(scen('6.15', true));
  });

  it('madvise_collapse: MADV_COLLAPSE collapses a PTE-mapped range into one PMD THP whatever the knobs; unpopulated or read-only ranges fail with EINVAL (hugepage_vma_check: an anon VMA without anon_vma; SCAN_PAGE_RO)', () => {
    const r = ok(`kernel 6.12
process p
mmap p anon at ${A} pages 512 private rw as v
write p v[0]
write p v[7]
read p v[9]
madvise p v collapse
expect pte p v[0..511] huge write dirty maps anon
expect folio p v[100] order 9 folio_mapcount 1
expect faults p 3`);
    assert.equal(task(r, 'p').mm.vmas.length, 1);
    assert.ok(errors(`kernel 6.12\nprocess p\nmmap p anon at ${A} pages 512 private rw as v\nmadvise p v collapse`).some((e) => e.includes('EINVAL') && e.includes('no anon_vma')));
    assert.ok(errors(`kernel 6.12\nprocess p\nmmap p anon at ${A} pages 512 private rw as v\nwrite p v[0]\nfork p as c\nmadvise p v collapse`).some((e) => e.includes('SCAN_PAGE_RO')));
    assert.ok(errors(`kernel 6.12\nsysctl thp enabled always\nprocess p\nmmap p anon at ${A} pages 512 private rw as v\nwrite p v[0]\nmadvise p v nohugepage\nmadvise p v collapse`).some((e) => e.includes('VM_NOHUGEPAGE')));
  });

  it('page_cache_ra_order: the mmap read-around of a cold file with 64K folios reads naturally aligned folios that fit the window (one major fault)', () => {
    ok(`kernel 6.12
file f pages 256 cold folio 64K
process a
mmap a f at ${A} pages 256 shared r as m
read a m[40]
expect faults a 1 major 1
expect folio f[40] large order 4
expect folio f[24] order 3
expect folio f[55] order 3
expect folio f[56] !cached
expect pte a m[32..47] present
expect pte a m[48] none`);
  });

  it('expect faults PROC N major M counts major faults (a cold file read is major)', () => {
    ok(`kernel 6.12
file f pages 64 cold
process a
mmap a f at ${A} pages 64 shared r as m
read a m[0]
expect faults a 1 major 1`);
  });
});
