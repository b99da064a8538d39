// mm/madvise.c madvise_cold_or_pageout_pte_range(): the test that leaves a large folio alone
// as shared, release by release (src/engine/madviseShared.ts; versions.ts `madv-cold-*`;
// docs/kernel-findings.md §20, each definition read in that release's source). Each case is
// one THP and one MADV_COLD; the table says, per release, whether the THP was split.

import { strict as assert } from 'assert';
import { run, task, pte, BASE } from './helpers';
import type { RunResult } from '../../../src/scenario/run';

const A = BASE;
const thp = (body: string) => `sysctl thp enabled always\nprocess a\nmmap a anon at ${A} pages 512 private rw as h\nwrite a h[0]\n${body}`;
const orderAt = (r: RunResult, proc: string, page: number): number => r.engine.memmap.order[task(r, proc).mm.ptePfn(A + page * 4096)];
const splitAt = (version: string, body: string, page: number): boolean => orderAt(run(`kernel ${version}\n${thp(body)}`), 'a', page) === 0;

const RELEASES = ['6.1', '6.2', '6.3', '6.4', '6.5', '6.8', '6.9', '6.10', '6.12', '6.14', '6.15', '6.16'];

/** Which releases split the THP (the rest leave it alone as shared). */
function check(body: string, page: number, splits: readonly string[]): void {
  for (const v of RELEASES) assert.equal(splitAt(v, body, page), splits.includes(v), `at ${v}`);
}

describe('madvise_cold_or_pageout_pte_range(): the sharing test of a large folio, by release', () => {
  it('PTE branch, a PTE-mapped THP only this process maps (511 pages): page_mapcount(page) 1 splits (6.1, 6.2); folio_mapcount(folio) != 1 keeps it (6.3, 6.4, 07e8c82b5eff); folio_estimated_sharers 1 splits (6.5-6.9, 2f406263e3e9); not folio_likely_mapped_shared / folio_maybe_mapped_shared splits (6.10+)', () => {
    check('munmap a h[511]\nmadvise a h[3] cold', 3, ['6.1', '6.2', '6.5', '6.8', '6.9', '6.10', '6.12', '6.14', '6.15', '6.16']);
  });

  it('PTE branch, the first page unmapped: folio_estimated_sharers() is 0 — != 1 keeps the THP (6.5-6.8), > 1 splits it (6.9, "allow split while folio_estimated_sharers = 0"); folio_mapcount 511 keeps it (6.3, 6.4)', () => {
    check('munmap a h[0]\nmadvise a h[3] cold', 3, ['6.1', '6.2', '6.9', '6.10', '6.12', '6.14', '6.15', '6.16']);
  });

  it('PMD branch, the THP also PTE-mapped by a fork child except its head: page_mapcount(head) = folio_estimated_sharers = 1 splits (6.1, 6.2, 6.5-6.9); folio_mapcount 512 (6.3, 6.4) and folio_likely_mapped_shared (a PMD mapping with others, 6.10+) keep it — the case measured on 6.1.192 and 6.12.118', () => {
    check('fork a as c\nmunmap c h[0]\nmadvise a h[5] pageout', 5, ['6.1', '6.2', '6.5', '6.8', '6.9']);
  });

  it('PTE branch, two processes map disjoint halves by PTEs: folio_likely_mapped_shared guesses exclusive from the first page and splits (6.10-6.14); folio_maybe_mapped_shared sees a second mm and keeps it (6.15+)', () => {
    check('fork a as c\nmunmap c h[0..255]\nmunmap a h[256..511]\nmadvise a h[3] cold', 3, ['6.1', '6.2', '6.5', '6.8', '6.9', '6.10', '6.12', '6.14']);
  });

  it('a shared PTE-mapped THP ends the walk of its PTE table up to 6.9 (break); from 6.10 its PTE batch is skipped and the walk goes on (continue)', () => {
    const body = 'fork a as c\nmunmap a h[511]\nwrite a h[300]\nmadvise a h[0..510] cold';
    for (const v of RELEASES) {
      const r = run(`kernel ${v}\n${thp(body)}`);
      const after = ['6.10', '6.12', '6.14', '6.15', '6.16'].includes(v);
      // h[300] is a COW copy (order 0) between two runs of the shared THP's PTEs
      assert.equal(orderAt(r, 'a', 300), 0, `at ${v}`);
      assert.equal(pte(r, 'a', 'h', 300).A, !after, `at ${v}: young after MADV_COLD`);
      assert.equal(orderAt(r, 'a', 301), 9, `at ${v}: the shared THP is not split`);
    }
  });

  it('from 6.10 a PTE-mapped THP the range (and its VMA) covers whole is not split by MADV_COLD: its PTEs made old, the folio deactivated whole; up to 6.9 it is split (measured: 6.1.192 splits, 6.12.118 keeps it)', () => {
    // mprotect splits the PMD into PTEs and the VMA, the second mprotect merges the VMA back
    check('mprotect a h[500] r\nmprotect a h[500] rw\nmadvise a h[0..511] cold', 3, ['6.1', '6.2', '6.5', '6.8', '6.9']);
    const r = run(`kernel 6.10\n${thp('mprotect a h[500] r\nmprotect a h[500] rw\nmadvise a h[0..511] cold')}`);
    assert.deepEqual([0, 3, 511].map((i) => pte(r, 'a', 'h', i).A), [false, false, false]);
  });
});

describe('shrink_folio_list(): a large anon folio MADV_PAGEOUT isolated, with no swap device', () => {
  it('add_to_swap() fails and the folio falls back to split_folio_to_list(): split at 6.1 and 6.12 (measured on both), each page then activated, still mapped', () => {
    for (const v of ['6.1', '6.12']) {
      const r = run(`kernel ${v}\n${thp('madvise a h[0..511] pageout')}`);
      assert.equal(orderAt(r, 'a', 3), 0, `at ${v}`);
      assert.equal(pte(r, 'a', 'h', 3).P, true, `at ${v}`);
    }
  });
});

describe('MADV_FREE: madvise_free_pte_range() / madvise_free_huge_pmd() sharing test of a large folio, by release', () => {
  const FREE_RELEASES = ['6.1', '6.1.49', '6.1.50', '6.1.192', '6.4', '6.5', '6.9', '6.10', '6.14', '6.15'];
  const freeCheck = (body: string, page: number, splits: readonly string[]): void => {
    for (const v of FREE_RELEASES) assert.equal(splitAt(v, body, page), splits.includes(v), `at ${v}`);
  };

  it('PTE branch, the first page unmapped: folio_mapcount 511 != 1 keeps the THP (6.1.0-6.1.49, 6.4); folio_estimated_sharers 0 != 1 keeps it too (6.1.50+ backport, 6.5-6.9); folio_likely_mapped_shared (first page unmapped: exclusive) splits it (6.10+) — measured: 6.1.192 keeps, 6.12.118 splits', () => {
    freeCheck('munmap a h[0]\nmadvise a h[1..511] free', 5, ['6.10', '6.14', '6.15']);
  });

  it('PTE branch, the last page unmapped: folio_estimated_sharers (first page mapped once) splits (6.1.50+, 6.5+), folio_mapcount 511 does not (6.1.0-6.1.49, 6.4)', () => {
    freeCheck('munmap a h[511]\nmadvise a h[3] free', 3, ['6.1.50', '6.1.192', '6.5', '6.9', '6.10', '6.14', '6.15']);
  });

  it('PMD branch, a fork child maps all but the head by PTEs: total_mapcount / folio_mapcount 512 skips (6.1, 6.4; no 6.1.y backport), folio_estimated_sharers 1 splits (6.5-6.9), folio_likely_mapped_shared skips (6.10+) — measured: skipped on 6.1.192 and 6.12.118', () => {
    freeCheck('fork a as c\nmunmap c h[0]\nmadvise a h[5] free', 5, ['6.5', '6.9']);
  });

  it('a PTE-mapped THP one VMA covers whole: split up to 6.9 (the first page mapped once), marked lazyfree whole from 6.10 (madv-free-batch), PTEs clean and old', () => {
    freeCheck('mprotect a h[500] r\nmprotect a h[500] rw\nmadvise a h[0..511] free', 3, ['6.1.50', '6.1.192', '6.5', '6.9']);
    const r = run(`kernel 6.10\n${thp('mprotect a h[500] r\nmprotect a h[500] rw\nmadvise a h[0..511] free')}`);
    assert.deepEqual([pte(r, 'a', 'h', 0).D, pte(r, 'a', 'h', 0).A, pte(r, 'a', 'h', 300).A], [false, false, false]);
  });
});

