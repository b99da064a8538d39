// Language v2 expectation flags, where they hold and where they must fail, with the message
// (spec: "Language v2: additions": `expect pte ... swap|migration|huge|same`, `expect folio
// PROC LABEL[I] order|large|folio_mapcount|swapcache|cached`, `expect faults P N major M`).
// What the kernel does here is in docs/kernel-findings.md §16 and docs/large-folios.md:
// a swap-in after a pageout to a disk is minor (the folio is still in the swap cache); after
// fork a PMD-mapped THP is shared read-only by both, folio_mapcount 2.

import { strict as assert } from 'assert';
import { runText, type RunResult } from '../../../src/scenario/run';

function outcomes(text: string): string[] {
  const r: RunResult = runText(text);
  const lang = r.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'MMS701');
  assert.deepEqual(lang.map((d) => `${d.range.start.line + 1}: ${d.code} ${d.message}`), [], 'the scenario itself is valid');
  return r.steps.filter((s) => s.expect).map((s) => `${s.line + 1} ${s.expect!.ok ? 'pass' : 'FAIL'}: ${s.expect!.message}`);
}

describe('v2 expectations: swap entries, the swap cache and major faults', () => {
  it('a page MADV_PAGEOUT swapped to a disk: swap PTE (soft-dirty kept), swapcache; the swap-in is minor', () => {
    const got = outcomes([
      'kernel 6.12', 'sysctl swap pages 16', 'process p', 'mmap p anon at 0x10000000 pages 2 private rw as a',
      'write p a[0]', 'write p a[1]', 'madvise p a[0] pageout',
      'expect pte p a[0] swap !present softdirty', 'expect pte p a[0] !swap', 'expect pte p a[0] migration',
      'expect pte p a[1] swap', 'expect pte p a[0] !softdirty', 'expect folio p a[0] swapcache', 'expect folio p a[0] !swapcache',
      'read p a[0]', 'expect faults p 3 major 0', 'expect faults p 3 major 1', 'expect pte p a[1] !migration', 'expect pte p 0x10000000 huge',
    ].join('\n') + '\n');
    assert.deepEqual(got, [
      '8 pass: PTE flags hold',
      '9 FAIL: expected the PTE of p a[0] (0x10000000) to be !swap, found PTE {swap 0:1 X SD} pfn 0x1',
      '10 FAIL: expected the PTE of p a[0] (0x10000000) to be migration, found PTE {swap 0:1 X SD} pfn 0x1',
      '11 FAIL: expected the PTE of p a[1] (0x10001000) to be swap, found PTE {P RW U A D SD} pfn 0x2001',
      '12 FAIL: expected the PTE of p a[0] (0x10000000) to be !softdirty, found PTE {swap 0:1 X SD} pfn 0x1',
      '13 pass: folio state holds',
      '14 FAIL: expected the folio p maps at a[0] to be !swapcache, found in the swap cache',
      '16 pass: p took 3 faults',
      '17 FAIL: expected 1 of p\'s 3 page faults to be major, found 0',
      '18 pass: PTE flags hold',
      // the read swapped the page in (minor: still in the swap cache), writable from 6.11 (swapin-map-writable), clean
      '19 FAIL: expected the PTE of p 0x10000000 (0x10000000) to be huge (mapped by a PMD), found PTE {P RW U A SD} pfn 0x2000',
    ]);
  });
});

describe('v2 expectations: a PMD-mapped THP after fork', () => {
  it('huge, same, and the folio\'s order, large and folio_mapcount, for the folio a process maps', () => {
    const got = outcomes([
      'kernel 6.12', 'sysctl thp enabled always', 'process p', 'mmap p anon at 0x40000000 pages 512 private rw as t',
      'write p t[0]', 'fork p as c',
      'expect pte p t[0] huge', 'expect pte p t[0] !huge', 'expect pte c t[0] same p t[0]', 'expect pte c t[0] !same p t[0]',
      'expect pte c t[1] same p t[0]', 'expect folio p t[0] large order 9 folio_mapcount 2', 'expect folio p t[0] !large',
      'expect folio p t[0] order 4', 'expect folio p t[0] folio_mapcount 1', 'expect folio c t[1] large',
      'expect folio p t[0..1] order 9', 'expect folio p t[0] cached', 'expect folio p t[0] !cached',
    ].join('\n') + '\n');
    assert.deepEqual(got, [
      '7 pass: PTE flags hold',
      '8 FAIL: expected the PTE of p t[0] (0x40000000) to be !huge (mapped by a PMD), found PMD {P RO U A D SD PMD} pfn 0x2000',
      '9 pass: PTE flags hold',
      '10 FAIL: expected the PTE of c t[0] (0x40000000) to be !same p t[0], found PMD {P RO U D SD PMD} pfn 0x2000',
      '11 FAIL: expected the PTE of c t[1] (0x40001000) to be same p t[0], found PMD {P RO U D SD PMD} pfn 0x2001',
      '12 pass: folio state holds',
      '13 FAIL: expected the folio p maps at t[0] to be !large, found a large folio (order 9)',
      '14 FAIL: expected the folio p maps at t[0] to be order 4, found order 9',
      '15 FAIL: expected the folio p maps at t[0] to be folio_mapcount 1, found folio_mapcount 2',
      '16 pass: folio state holds',
      '17 pass: folio state holds',
      '18 FAIL: expected the folio p maps at t[0] to be cached, found not in the page cache',
      '19 pass: folio state holds',
    ]);
  });
});

describe('v2 expectations: the folio a process maps, and walks naming VMAs by LABEL[I]', () => {
  it('cached and mapping of the folio at PROC LABEL[I]; a walk over a split mapping reaches only the VMA of that page', () => {
    const got = outcomes([
      'kernel 6.12', 'file f pages 4', 'process p', 'mmap p f at 0x10000000 pages 4 shared rw as m',
      'mmap p anon at 0x20000000 pages 1 private rw as h', 'write p m[0]', 'write p h[0]',
      'expect folio p m[0] cached', 'expect folio p m[0] !cached', 'expect folio p h[0] mapping none', 'expect folio p h[0] !cached',
      // m becomes three VMAs: [0], [1] read-only, [2..3]; f[0]'s i_mmap query hits only the first
      'mprotect p m[1] r', 'mkclean f[0]',
      'expect walk p:m, p:m[2]', 'expect walk folio_mkclean p:m[0]', 'expect walk p:m[0], p:m[1], p:m[2]',
    ].join('\n') + '\n');
    assert.deepEqual(got, [
      '8 pass: folio state holds',
      '9 FAIL: expected the folio p maps at m[0] to be !cached, found in the page cache',
      '10 FAIL: expected the folio p maps at h[0] to be mapping none, found an anon_vma in page->mapping',
      '11 pass: folio state holds',
      '14 FAIL: expected the last rmap walk to reach p:m, p:m[2], found p:m',
      '15 pass: the last folio_mkclean walk: p:m',
      '16 FAIL: expected the last rmap walk to reach p:m[0], p:m[1], p:m[2], found p:m',
    ]);
  });
});

describe('v2 expectations on a page with no PTE, and folio flags that do not hold', () => {
  it('migration, huge, same, maps, pfn and swap all fail on a page never touched (no PTE); swapcache, large, writeback, cached fail naming what was found', () => {
    const got = outcomes([
      'kernel 6.12', 'file f pages 2', 'process p', 'mmap p anon at 0x10000000 pages 2 private rw as a',
      'mmap p f at 0x20000000 pages 2 shared rw as m', 'write p a[0]', 'write p m[0]',
      'expect pte p a[1] migration', 'expect pte p a[1] huge', 'expect pte p a[1] same p a[0]', 'expect pte p a[1] maps anon',
      'expect pte p a[1] pfn 5', 'expect pte p a[1] swap', 'expect folio p a[0] swapcache', 'expect folio p a[0] large',
      'expect folio p m[0] writeback', 'expect folio p m[1] cached',
    ].join('\n') + '\n');
    assert.deepEqual(got, [
      '8 FAIL: expected the PTE of p a[1] (0x10001000) to be migration, found no PTE',
      '9 FAIL: expected the PTE of p a[1] (0x10001000) to be huge (mapped by a PMD), found no PTE',
      '10 FAIL: expected the PTE of p a[1] (0x10001000) to be same p a[0], found no PTE',
      '11 FAIL: expected the PTE of p a[1] (0x10001000) to be maps anon, found no PTE',
      '12 FAIL: expected the PTE of p a[1] (0x10001000) to be pfn 5, found no PTE',
      '13 FAIL: expected the PTE of p a[1] (0x10001000) to be swap, found no PTE',
      '14 FAIL: expected the folio p maps at a[0] to be swapcache, found not in the swap cache',
      '15 FAIL: expected the folio p maps at a[0] to be large, found an order-0 folio',
      '16 FAIL: expected the folio p maps at m[0] to be writeback, found not under writeback',
      '17 FAIL: expected the folio p maps at m[1] to be cached, found not in the page cache',
    ]);
  });
});

describe('v2 expectations: what a swap PTE, the zero page and an empty PTE never are', () => {
  it('a swap PTE maps no page and has no PFN to compare (its slot is not a PFN); the zero page is special, never anon', () => {
    const got = outcomes([
      'kernel 6.12', 'sysctl swap pages 16', 'process p', 'mmap p anon at 0x10000000 pages 2 private rw as a',
      'read p a[0]', 'expect pte p a[0] maps anon', 'expect pte p a[0] !maps anon special maps zero',
      'write p a[1]', 'madvise p a[1] pageout', 'shmem s pages 2', 'write p a[0]',
      'expect pte p a[1] maps s[1]', 'expect pte p a[1] pfn 1', 'expect pte p a[1] same s[0]', 'expect pte p a[1] !maps s[1] !pfn 1 !same s[0] !write',
      'expect pte p a[1] write',
    ].join('\n') + '\n');
    assert.deepEqual(got, [
      '6 FAIL: expected the PTE of p a[0] (0x10000000) to be maps anon, found PTE {P RO U A S} pfn 0x1000',
      '7 pass: PTE flags hold',
      '12 FAIL: expected the PTE of p a[1] (0x10001000) to be maps s[1], found PTE {swap 0:1 X SD} pfn 0x1',
      '13 FAIL: expected the PTE of p a[1] (0x10001000) to be pfn 1, found PTE {swap 0:1 X SD} pfn 0x1',
      '14 FAIL: expected the PTE of p a[1] (0x10001000) to be same s[0], found PTE {swap 0:1 X SD} pfn 0x1',
      '15 pass: PTE flags hold',
      '16 FAIL: expected the PTE of p a[1] (0x10001000) to be write, found PTE {swap 0:1 X SD} pfn 0x1',
    ]);
  });

  it('same: two empty PTEs are not the same page; two private anon pages are not either', () => {
    const got = outcomes([
      'process r', 'mmap r anon at 0x10000000 pages 1 private rw as c', 'mmap r anon at 0x30000000 pages 1 private rw as d',
      'expect pte r c[0] same r d[0]', 'expect pte r c[0] !same r d[0]',
      'write r c[0]', 'write r d[0]', 'expect pte r c[0] same r d[0]', 'expect pte r c[0] !same r d[0]',
    ].join('\n') + '\n');
    assert.deepEqual(got, [
      '4 FAIL: expected the PTE of r c[0] (0x10000000) to be same r d[0], found no PTE',
      '5 pass: PTE flags hold',
      '8 FAIL: expected the PTE of r c[0] (0x10000000) to be same r d[0], found PTE {P RW U A D SD} pfn 0x2000',
      '9 pass: PTE flags hold',
    ]);
  });

  it('faults ... major: the message counts the major faults a cold file read took', () => {
    const got = outcomes([
      'file f pages 4 cold', 'process p', 'mmap p f at 0x20000000 pages 4 shared rw as m', 'read p m[0]',
      'expect faults p 1 major 0', 'expect faults p 1 major 1', 'expect faults p 2 major 1',
    ].join('\n') + '\n');
    assert.deepEqual(got, [
      '5 FAIL: expected 0 of p\'s 1 page faults to be major, found 1 (0 minor + 1 major)',
      '6 pass: p took 1 faults (0 minor + 1 major)',
      '7 FAIL: expected p to have taken 2 page faults, found 1 (0 minor + 1 major)',
    ]);
  });

  it('folio of a mapping the kernel refused: fails saying which mapping', () => {
    const r = runText('fbdev fb pages 2\nprocess p\nmmap p fb at 0x10000000 pages 4 shared rw as m\nexpect folio p m[0] order 0\n');
    assert.deepEqual(r.steps.filter((s) => s.expect).map((s) => `${s.line + 1} ${s.expect!.ok}: ${s.expect!.message}`),
      ['4 false: the mapping m of p was refused earlier in the scenario']);
  });
});
