// The version table (src/engine/versions.ts): every row is followed by the engine at the
// release before and at its mainline `since`, and for each stable backport at the stable
// release before and at the first one containing it. Kernel behaviour, per row.

import { fbDefioOf } from '../../../src/engine/drivers/fbDefio';
import { strict as assert } from 'assert';
import {
  DEFAULT_KERNEL, ORACLE_RELEASES, RULE_IDS, VERSION_RULES, compareReleases, hasRule, offeredVersions, parseRelease,
  releaseText, rulesDiffering, type RuleId,
} from '../../../src/engine/versions';
import { KernelProfile } from '../../../src/engine/kernel';
import { runText, type RunResult } from '../../../src/scenario/run';
import { PG_dirty, ZERO_PFN } from '../../../src/engine/memmap';
import { _PAGE_DIRTY } from '../../../src/engine/pte';
import { do_mprotect } from '../../../src/engine/mprotect';
import { allEvents, pte, pteAt, run, task, walksOf, BASE } from './helpers';
import { userAccess } from '../../../src/engine/memory';
import { do_fork } from '../../../src/engine/fork';
import { do_munmap, exit_mmap } from '../../../src/engine/mmap';
import { shrink_folio_list } from '../../../src/engine/reclaim';
import { get_swap_pages } from '../../../src/engine/swapCluster';
import type { PinnedBuffer } from '../../../src/engine/pin';

const A = BASE, B = 0x7e0000000000;
const rel = (t: string) => parseRelease(t)!;

/** What a scenario shows about one rule; `old` at the release without it, `now` with it. */
interface Probe { text: string; see: (r: RunResult) => unknown; old: unknown; now: unknown; refusedAtOld?: true }

const fb = (body: string) => `fbdev fb pages 4 delay 50ms\nprocess a\nmmap a fb at ${A} pages 4 shared rw as p\n${body}`;
// a PMD-mapped THP at A (madvise_cold_or_pageout_pte_range's sharing test, madviseShared.ts)
const thp = (body: string) => `sysctl thp enabled always\nprocess a\nmmap a anon at ${A} pages 512 private rw as h\nwrite a h[0]\n${body}`;
const folioMapping = (r: RunResult, i: number): number => r.engine.memmap.mapping[r.engine.pfnOf(r.objects.get('fb')!, i)];
const fbState = (r: RunResult) => fbDefioOf(r.objects.get('fb'))!;
/**
 * A 64 KiB anon folio at 0x1000000 (mTHP order 4), a child forked and exited, so its pages
 * are no longer exclusive; `alone`: every page but page 1 unmapped. Does the parent's write
 * to page 1 reuse the page (wp_can_reuse_anon_folio)?
 */
function reusesAfterFork(r: RunResult, alone: boolean): boolean {
  const k = r.engine, a = task(r, 'a');
  k.thp.anon.set(4, 'always'); userAccess(k, a, 0x1000000, true);
  const before = a.mm.ptePfn(0x1001000);
  exit_mmap(k, do_fork(k, a, 'b'));
  if (alone) {
    do_munmap(k, a, 0x1000000, 0x1001000); do_munmap(k, a, 0x1002000, 0x1010000);
    assert.equal(k.memmap.order[before], 4, 'still a large folio');
  }
  userAccess(k, a, 0x1001000, true);
  return a.mm.ptePfn(0x1001000) === before;
}
const calls = (r: RunResult): string[] => allEvents(r).flatMap((e) => (e.t === 'call' ? [e.fn] : []));

const PROBES: Record<RuleId, Probe> = {
  'fb-defio-folio-api': {
    text: fb('write a p[1]\nflush fb'),
    see: (r) => walksOf(r)[0].path.includes('page_mkclean'), old: true, now: false,
  },
  // the last munmap: before the hook nothing runs (the work stays armed, page->mapping stays)
  'fb-defio-release-hook': {
    text: fb('write a p[1]\nmunmap a p[0..3]'),
    see: (r) => [fbState(r).work !== undefined, folioMapping(r, 1) !== 0], old: [true, true], now: [false, false],
  },
  // another process still maps the framebuffer: a per-file release cancels and clears anyway
  'fb-defio-lastclose-only': {
    text: fb(`process b\nmmap b fb at ${B} pages 4 shared rw as q\nwrite a p[1]\nmunmap a p[0..3]`),
    see: (r) => [fbState(r).work !== undefined, folioMapping(r, 1) !== 0], old: [false, false], now: [true, true],
  },
  // msync → fb_deferred_io_fsync: flush now, or cancel and re-arm with delay 0 (runs at `wait`)
  'fb-defio-fsync-flush': {
    text: fb('write a p[1]\nmsync a p'),
    see: (r) => [r.steps[r.steps.length - 1].result, fbState(r).workRuns, fbState(r).work?.due], old: [0, 0, 0], now: [1, 1, undefined],
  },
  'fb-defio-flush-on-lastclose': {
    text: fb('write a p[1]\nmunmap a p[0..3]'),
    see: (r) => [fbState(r).workRuns, fbState(r).pagereflist.length], old: [0, 1], now: [1, 0],
  },
  'fb-defio-mkwrite-pgoff': {
    text: `fbdev fb pages 4\nprocess a\nmmap a fb at ${A} pages 2 offset 2 shared rw as p\nwrite a p[0]\nflush fb`,
    see: (r) => fbState(r).lastWritten, old: [0], now: [2],
  },
  // a page only read (no pageref cached it) keeps page->mapping from 6.11
  'fb-defio-lastclose-pagerefs': {
    text: fb('read a p[1]\nwrite a p[2]\nmunmap a p[0..3]'),
    see: (r) => [folioMapping(r, 1) !== 0, folioMapping(r, 2) !== 0], old: [false, false], now: [true, false],
  },
  'mapping-wrprotect-range': {
    text: fb('read a p[1]'),
    see: (r) => folioMapping(r, 1) !== 0, old: true, now: false,
  },
  // mprotect RO then RW of a clean exclusive anon PTE (cleaned by hand: the language cannot)
  'mprotect-clean-anon-writable': {
    text: 'process a\nmmap a anon at 0x1000000 pages 1 private rw as h\nwrite a h[0]',
    see: (r) => {
      const t = task(r, 'a');
      t.mm.setPte(0x1000000, t.mm.pteFlags(0x1000000) & ~_PAGE_DIRTY, t.mm.ptePfn(0x1000000), 'test: clean');
      do_mprotect(r.engine, t, 0x1000000, 0x1001000, 'r');
      do_mprotect(r.engine, t, 0x1000000, 0x1001000, 'rw');
      return pte(r, 'a', 'h', 0).W;
    },
    old: false, now: true,
  },
  // change_huge_pmd(): mprotect r then rw of a dirty exclusive PMD THP; 6.1.192 measured read-only
  'mprotect-pmd-writable': {
    text: `sysctl thp enabled always\nprocess a\nmmap a anon at ${B} pages 512 private rw as h\nwrite a h[0..511]\nmprotect a h[0..511] r\nmprotect a h[0..511] rw`,
    see: (r) => [pte(r, 'a', 'h', 0).W, task(r, 'a').mm.isPmdMapped(B)], old: [false, true], now: [true, true],
  },
  // a fault on the PG_readahead page returns RETRY without MAJOR
  'vma-lock-retry-minor': {
    text: `file f pages 100 cold\nprocess a\nmmap a f at ${A} pages 100 shared r as m\nread a m[40]\nread a m[48]`,
    see: (r) => task(r, 'a').majFlt, old: 2, now: 1,
  },
  // an mprotect that merges two VMAs: the trace names 6.1's __vma_adjust(), then vma_complete()
  'vma-prepare-complete': {
    text: 'process a\nmmap a anon at 0x1000000 pages 2 private rw as h\nwrite a h[0]\nmprotect a h[1..1] r\nmprotect a h[1..1] rw',
    see: (r) => calls(r).includes('__vma_adjust'), old: true, now: false,
  },
  'vma-merge-existing-range': {
    text: 'process a\nmmap a anon at 0x1000000 pages 2 private rw as h\nwrite a h[0]\nmprotect a h[1..1] r\nmprotect a h[1..1] rw',
    see: (r) => [calls(r).includes('vma_merge_existing_range'), calls(r).includes('vma_merge'), task(r, 'a').mm.vmas.length], old: [false, true, 1], now: [true, false, 1],
  },
  // a new range between a prev without anon_vma and a next with one: 6.1-6.11 mmap_region
  // checks next first and passes next's anon_vma to the prev check (which an empty
  // anon_vma_chain fails), so only next grows; 6.12 merges all three
  'vma-merge-new-range-prev-first': {
    text: 'process a\nmmap a anon at 0x1000000 pages 1 private rw as p\nmmap a anon at 0x1002000 pages 1 private rw as n\nwrite a n[0]\n' +
      'mmap a anon at 0x1001000 pages 1 private rw as m',
    see: (r) => task(r, 'a').mm.vmas.map((v) => v.pages), old: [1, 2], now: [3],
  },
  // a read fault of a dirty shmem folio through a writable shared mapping
  'set-pte-dirty-if-folio-dirty': {
    text: `shmem s pages 1\nprocess w\nprocess a\nmmap w s at ${A} pages 1 shared rw as m\nmmap a s at ${B} pages 1 shared rw as m\n` +
      'write w m[0]\nread a m[0]\nunmap_range s[0]\nread a m[0]',
    see: (r) => {
      assert.ok(r.engine.memmap.test(r.engine.pfnOf(r.objects.get('s')!, 0), PG_dirty), 'the folio is dirty');
      return pte(r, 'a', 'm', 0).D;
    },
    old: false, now: true,
  },
  // 64K anonymous mTHP switched on by hand (before 6.8 the knob does not exist): a write
  // fault in a 16-page VMA maps one order-4 folio, or one page
  'anon-mthp': {
    text: 'process a\nmmap a anon at 0x1000000 pages 16 private rw as h',
    see: (r) => { r.engine.thp.anon.set(4, 'always'); userAccess(r.engine, task(r, 'a'), 0x1000000, true); return folioOrderAt(r, 'a', 0x1000000); },
    old: 0, now: 4,
  },
  // fork of a PTE-mapped large folio: the same PTEs, one folio_pte_batch() in the trace
  'longterm-pin-file-check-in-gup': {
    // a private file mapping: io_uring refused it itself before 6.5; GUP allows it (COW copies)
    text: `file f pages 1\nprocess a\nmmap a f at ${A} pages 1 private rw as m\npin a m as b`,
    see: (r) => (r.engine.pageHolders.get('b') as PinnedBuffer).errno ?? 'registered', old: 'EOPNOTSUPP', now: 'registered',
    refusedAtOld: true,
  },
  'madvise-populate-stops-at-hole': {
    // a hole at page 1: the page after it is populated only while the walk goes per VMA
    text: `process a\nmmap a anon at ${A} pages 3 private rw as h\nmunmap a h[1]\nmadvise a h populate_write\nexpect error ENOMEM`,
    see: (r) => pte(r, 'a', 'h', 2).P, old: true, now: false,
  },
  'fork-pte-batch': {
    text: 'process a\nmmap a anon at 0x1000000 pages 16 private rw as h',
    see: (r) => {
      r.engine.thp.anon.set(4, 'always'); userAccess(r.engine, task(r, 'a'), 0x1000000, true);
      const calls: string[] = [];
      const k = r.engine, orig = k.tr.call.bind(k.tr);
      k.tr.call = (fn) => { calls.push(String(fn)); orig(fn); };
      do_fork(k, task(r, 'a'), 'b');
      k.tr.call = orig;
      return calls.filter((c) => c.startsWith('copy_present_ptes: folio_pte_batch')).length;
    },
    old: 0, now: 1,
  },
  // shared anonymous memory with hugepages-64kB/shmem_enabled always
  'shmem-mthp': {
    text: 'process a\nmmap a anon at 0x1000000 pages 16 shared rw as h',
    see: (r) => { r.engine.thp.shmem.set(4, 'always'); userAccess(r.engine, task(r, 'a'), 0x1000000, true); return folioOrderAt(r, 'a', 0x1000000); },
    old: 0, now: 4,
  },
  // the same write fault: PTEs mapped by it (the whole 64K folio from 6.11)
  'finish-fault-large-folio': {
    text: 'process a\nmmap a anon at 0x1000000 pages 16 shared rw as h',
    see: (r) => {
      r.engine.thp.shmem.set(4, 'always'); userAccess(r.engine, task(r, 'a'), 0x1000000, true);
      let n = 0; for (let i = 0; i < 16; i++) if (!pteAt(r, 'a', 0x1000000 + i * 4096).none) n++;
      return n;
    },
    old: 1, now: 16,
  },
  // a 64K folio whose child exited: the parent's write reuses the page (6.15) or copies it
  'ro-longterm-pin-unshares-cow-mappings': {
    // a R/O long-term pin of the shared zero page in a private mapping: 6.2+ unshares it into
    // an anonymous copy first, so the write that follows reaches the pinned page
    text: `process a\nmmap a anon at ${A} pages 1 private rw as m\nread a m[0]\npin a m as b readonly\nwrite a m[0]`,
    see: (r) => (r.engine.pageHolders.get('b') as PinnedBuffer).changed, old: false, now: true,
  },
  'cow-no-reuse-large-folio': {
    // the last mapped page of a 64 KiB folio, no longer exclusive after fork: reused before 6.9
    text: 'process a\nmmap a anon at 0x1000000 pages 16 private rw as h',
    see: (r) => reusesAfterFork(r, true),
    old: true, now: false,
  },
  'cow-reuse-pte-mapped-thp': {
    text: 'process a\nmmap a anon at 0x1000000 pages 16 private rw as h',
    see: (r) => reusesAfterFork(r, false),
    old: false, now: true,
  },
  // a dirty anon PMD split by mprotect: the PTEs are dirty from 6.2 (the folio is in both)
  'split-pmd-pte-dirty': {
    text: 'sysctl thp enabled always\nprocess a\nmmap a anon at 0x7f0000000000 pages 512 private rw as h\nwrite a h[0]\nmprotect a h[0] r',
    see: (r) => (task(r, 'a').mm.pteFlags(0x7f0000001000) & _PAGE_DIRTY) !== 0,
    old: false, now: true,
  },
  // split_folio() of a PMD THP with one page written (mm/migrate.c try_to_map_unused_to_zeropage):
  // from 6.12 a never-written subpage is mapped as the zero page and freed; the written one
  // stays; before, every subpage is remapped (its own PFN)
  'split-remap-zeropage': {
    text: `sysctl thp enabled always\nprocess a\nmmap a anon at ${A} pages 512 private rw as h\nwrite a h[0]\nsplit a h[0]`,
    see: (r) => [task(r, 'a').mm.ptePfn(A + 0x1000) === ZERO_PFN, task(r, 'a').mm.ptePfn(A) === ZERO_PFN, pte(r, 'a', 'h', 1).D],
    old: [false, false, true], now: [true, false, false],
  },
  // MADV_PAGEOUT with no swap device: the anon folio stays mapped; before 6.9 madvise made
  // its PTE old and reclaim ran folio_referenced over it
  'pageout-ignore-references': {
    text: `process a\nmmap a anon at ${A} pages 1 private rw as h\nwrite a h[0]\nmadvise a h[0] pageout`,
    see: (r) => [pte(r, 'a', 'h', 0).A, walksOf(r).map((w) => w.api)], old: [false, ['folio_referenced']], now: [true, []],
  },
  // a read fault on a page swapped out while exclusive: mapped writable from 6.11
  'swapin-map-writable': {
    text: `sysctl swap pages 8\nprocess a\nmmap a anon at ${A} pages 1 private rw as h\nwrite a h[0]\nmadvise a h[0] pageout\nread a h[0]`,
    see: (r) => [pte(r, 'a', 'h', 0).W, pte(r, 'a', 'h', 0).D], old: [false, false], now: [true, false],
  },
  // MADV_COLLAPSE of a shmem range two processes map: the caller gets its PMD either way;
  // the other process's emptied table is retracted from 6.6, so its next read maps a PMD
  'collapse-file-retract-all': {
    text: `shmem s pages 512\nprocess a\nprocess b\nmmap a s at ${A} pages 512 shared rw as m\nmmap b s at ${B} pages 512 shared rw as m\n`
      + 'write a m[0]\nread b m[1]\nmadvise a m[0..511] collapse\nread b m[5]',
    see: (r) => [task(r, 'a').mm.isPmdMapped(A), task(r, 'b').mm.isPmdMapped(B + 5 * 4096)], old: [true, false], now: [true, true],
  },
  // a 64K shmem folio in the range: SCAN_PAGE_COMPOUND (EINVAL) before 6.12
  'collapse-file-large-folios': {
    text: `sysctl thp shmem 64K always\nprocess a\nmmap a anon at ${A} pages 512 shared rw as m\nwrite a m[0]\nmadvise a m[0..511] collapse`,
    see: (r) => [folioOrderAt(r, 'a', A + 0x1000), r.steps[r.steps.length - 1].result, task(r, 'a').mm.isPmdMapped(A)], old: [4, 22, false], now: [9, 0, true],
    refusedAtOld: true,
  },
  // a PTE-mapped THP (511 pages mapped here): page_mapcount(page) 1 splits it, folio_mapcount 511 does not
  'madv-cold-folio-mapcount': {
    text: thp('munmap a h[511]\nmadvise a h[3] cold'),
    see: (r) => folioOrderAt(r, 'a', A + 3 * 4096), old: 0, now: 9,
  },
  // the same: folio_estimated_sharers() = page_mapcount(first page) = 1 splits it again
  'madv-cold-estimated-sharers': {
    text: thp('munmap a h[511]\nmadvise a h[3] cold'),
    see: (r) => folioOrderAt(r, 'a', A + 3 * 4096), old: 9, now: 0,
  },
  // the first page unmapped: estimated sharers 0; != 1 keeps the THP, > 1 splits it
  'madv-cold-pte-sharers-gt1': {
    text: thp('munmap a h[0]\nmadvise a h[3] cold'),
    see: (r) => folioOrderAt(r, 'a', A + 3 * 4096), old: 9, now: 0,
  },
  // the PMD branch: a's PMD and c's PTEs (not the head): page_mapcount(head) 1 splits, likely-mapped-shared does not
  'likely-mapped-shared': {
    text: thp('fork a as c\nmunmap c h[0]\nmadvise a h[5] cold'),
    see: (r) => [folioOrderAt(r, 'a', A + 5 * 4096), task(r, 'a').mm.isPmdMapped(A)], old: [0, false], now: [9, true],
  },
  // a's PTEs: THP pages, a COW copy at h[300], THP pages; the THP is shared (c's PMD): the
  // walk ended at it (h[300] stays young) or skips its batch and makes h[300] old
  'madv-cold-avoid-split': {
    text: thp('fork a as c\nmunmap a h[511]\nwrite a h[300]\nmadvise a h[0..510] cold'),
    see: (r) => [pte(r, 'a', 'h', 300).A, folioOrderAt(r, 'a', A)], old: [true, 9], now: [false, 9],
  },
  // MADV_FREE's PTE branch, 511 pages mapped here: folio_mapcount 511 keeps the THP, the first page's mapcount 1 splits it
  'madv-free-pte-estimated-sharers': {
    text: thp('munmap a h[511]\nmadvise a h[3] free'),
    see: (r) => folioOrderAt(r, 'a', A + 3 * 4096), old: 9, now: 0,
  },
  // madvise_free_huge_pmd: a's PMD, c's PTEs but the head: folio_mapcount 512 skips, page_mapcount(head) 1 splits (a partial range)
  'madv-free-pmd-estimated-sharers': {
    text: thp('fork a as c\nmunmap c h[0]\nmadvise a h[5] free'),
    see: (r) => folioOrderAt(r, 'a', A + 5 * 4096), old: 9, now: 0,
  },
  // a PTE-mapped THP one VMA covers whole (mprotect splits the PMD, the second one merges the VMA): split, or lazyfree whole
  'madv-free-batch': {
    text: thp('mprotect a h[500] r\nmprotect a h[500] rw\nmadvise a h[0..511] free'),
    see: (r) => [folioOrderAt(r, 'a', A + 3 * 4096), pte(r, 'a', 'h', 0).D], old: [0, false], now: [9, false],
  },
  // a maps pages 0..255, c 256..511, by PTEs: likely-mapped-shared guesses from the first page (exclusive: split); two mms map it
  'maybe-mapped-shared': {
    text: thp('fork a as c\nmunmap c h[0..255]\nmunmap a h[256..511]\nmadvise a h[3] cold'),
    see: (r) => folioOrderAt(r, 'a', A + 3 * 4096), old: 0, now: 9,
  },
  // get_swap_pages() of a 64K folio on zram: no slots before (only a PMD-size folio gets a
  // cluster), 16 aligned slots in a free cluster from 6.10
  'swapout-mthp': {
    text: 'sysctl swap pages 1024 sync\nprocess a',
    see: (r) => get_swap_pages(r.engine, 4), old: 0, now: 512,
  },
  // shrink_folio_list() on a PMD-size folio mapped by PTEs only (mprotect split the PMD):
  // split before add_to_swap (try_to_migrate), or swapped out whole from 6.10
  'shrink-split-partially-mapped': {
    text: `sysctl swap pages 1024 sync\nsysctl thp enabled always\nprocess a\nmmap a anon at ${A} pages 512 private rw as h\nwrite a h[0..511]\nmprotect a h[0..255] r`,
    see: (r) => {
      shrink_folio_list(r.engine, [r.engine.memmap.head(task(r, 'a').mm.ptePfn(A))], true);
      return [r.recorder.lastWalkOf.has('try_to_migrate'), pte(r, 'a', 'h', 0).P];
    },
    old: [true, false], now: [false, false],
  },
  // a 64K folio swapped out whole on zram, then read: order 0 before, the whole folio from 6.12
  'swapin-large-folio': {
    text: `sysctl swap pages 1024 sync\nsysctl thp anon 64K always\nprocess a\nmmap a anon at ${A} pages 16 private rw as h\nwrite a h[0..15]\nmadvise a h[0..15] pageout\nread a h[3]`,
    see: (r) => [folioOrderAt(r, 'a', A + 3 * 4096), pte(r, 'a', 'h', 0).P], old: [0, false], now: [4, true],
  },
  'move-pages-folio-walk': {
    // an untouched page of private anonymous memory, of a shared file mapping, and the zero page
    text: `file f pages 2\nprocess a\nmmap a anon at ${A} pages 2 private rw as h\nmmap a f at ${B} pages 2 shared rw as m\nread a h[1]\nmigrate a h[0]\nmigrate a m[0]\nmigrate a h[1]`,
    see: (r) => r.steps.filter((st) => st.kind === 'migrate').map((st) => st.errno), old: ['EFAULT', 'ENOENT', 'EFAULT'], now: ['ENOENT', 'ENOENT', 'EFAULT'],
    refusedAtOld: true, // each migrate is refused, at both releases (the errno is what the rule changes)
  },
  'remove-migration-pte-soft-dirty': {
    // after clear_refs: a dirty page migrated, the PTEs of a dirty PTE-mapped 64K folio split, and
    // a dirty PMD THP split (freeze) all come back soft-dirty before 6.9 and keep the entry's bit from 6.9
    text: `sysctl thp anon 64K always\nprocess a\nmmap a anon at ${A} pages 16 private rw as h\nmmap a anon at ${B} pages 16 private rw as s\nwrite a h[0..15]\nwrite a s[0..15]\nclear_refs a softdirty\nmigrate a h[0]\nsplit a s[0]`,
    see: (r) => [pte(r, 'a', 'h', 0).SD, pte(r, 'a', 's', 3).SD, pte(r, 'a', 'h', 0).D], old: [true, true, true], now: [false, false, true],
  },
};

const folioOrderAt = (r: RunResult, proc: string, addr: number): number => r.engine.memmap.order[task(r, proc).mm.ptePfn(addr)];

/** The mainline release before `since` (6.15 → 6.14; x.0 has none in this table). */
function before(since: string): string {
  const r = rel(since);
  assert.ok(r.minor > 0, `${since}: no release before it in the same major`);
  return releaseText({ major: r.major, minor: r.minor - 1, patch: 0 });
}

/** The probe's scenario at `version`, where every other rule is the same as at `version`. */
function observe(id: RuleId, version: string): unknown {
  const p = PROBES[id];
  const text = `kernel ${version}\n${p.text}`;
  // a probe whose statement the kernel refuses at the old release (an error diagnostic there)
  return p.see(p.refusedAtOld ? runText(text) : run(text));
}

/**
 * A release where rule `id` answers `want` and the rules the probe depends on are in force
 * (the lastclose probes need the release hook, the lastclose ones the lastclose only rule).
 */
const NEEDS: Partial<Record<RuleId, RuleId[]>> = {
  'fb-defio-lastclose-only': ['fb-defio-release-hook'],
  'fb-defio-flush-on-lastclose': ['fb-defio-lastclose-only'],
  'fb-defio-lastclose-pagerefs': ['fb-defio-lastclose-only', 'fb-defio-flush-on-lastclose'],
};

describe('engine/versions.ts: one row per version-dependent rule', () => {
  it('every rule id has exactly one row, rows are in mainline order, every release parses', () => {
    assert.deepEqual(VERSION_RULES.map((r) => r.id).sort(), [...RULE_IDS].sort());
    for (let i = 1; i < VERSION_RULES.length; i++) {
      assert.ok(compareReleases(rel(VERSION_RULES[i - 1].since), rel(VERSION_RULES[i].since)) <= 0, VERSION_RULES[i].id);
    }
    for (const row of VERSION_RULES) {
      assert.equal(rel(row.since).patch, 0, `${row.id}: since is a mainline release`);
      assert.ok(!row.commit.id || /^[0-9a-f]{12}$/.test(row.commit.id), `${row.id}: 12-hex commit id`);
      for (const b of row.backports) {
        const br = rel(b.release);
        assert.equal(`${br.major}.${br.minor}`, b.series, `${row.id}: ${b.release} is in ${b.series}.y`);
        assert.ok(br.patch > 0 && compareReleases(br, rel(row.since)) < 0, `${row.id}: a backport to an older series`);
      }
    }
  });

  it('a mainline release is x.y.0; a stable release has the mainline rules plus the backports up to it', () => {
    assert.equal(hasRule(rel('6.1'), 'fb-defio-release-hook'), false);
    assert.equal(hasRule(rel('6.1.0'), 'fb-defio-release-hook'), false);
    assert.equal(hasRule(rel('6.1.12'), 'fb-defio-release-hook'), false);
    assert.equal(hasRule(rel('6.1.13'), 'fb-defio-release-hook'), true);
    assert.equal(hasRule(rel('6.2'), 'fb-defio-release-hook'), true);
    assert.equal(hasRule(rel('6.14.3'), 'mapping-wrprotect-range'), false);
    assert.equal(new KernelProfile({ major: 6, minor: 1, patch: 90 }).has('fb-defio-mkwrite-pgoff'), true);
    assert.equal(new KernelProfile({ major: 6, minor: 1 }).toString(), '6.1');
    assert.equal(new KernelProfile({ major: 6, minor: 1, patch: 192 }).toString(), '6.1.192');
  });

  it('the releases the oracle boots: 6.1.192 has every fb_defio backport and MADV_FREE\'s folio_estimated_sharers (6.1.50), none of the later mainline rules; 6.12.118 is mainline 6.12', () => {
    const at = (v: string) => RULE_IDS.filter((id) => hasRule(rel(v), id));
    assert.deepEqual(at('6.1.192'), [
      'fb-defio-release-hook', 'fb-defio-lastclose-only', 'fb-defio-flush-on-lastclose', 'fb-defio-fsync-flush', 'fb-defio-mkwrite-pgoff',
      'madv-free-pte-estimated-sharers',
    ]);
    assert.deepEqual(at('6.12.118'), at('6.12'));
    assert.deepEqual(rulesDiffering(rel('6.1.192'), rel('6.1')).map((r) => r.id).sort(), at('6.1.192').sort());
  });

  it('the versions offered (completion, checker, inspector) are every release where a rule changes, the default and the oracle releases, in order', () => {
    const offered = offeredVersions();
    for (const row of VERSION_RULES) {
      assert.ok(offered.includes(row.since), row.since);
      for (const b of row.backports) assert.ok(offered.includes(b.release), b.release);
    }
    for (const v of [DEFAULT_KERNEL, ...ORACLE_RELEASES, '6.1']) assert.ok(offered.includes(v), v);
    assert.deepEqual([...offered].sort((a, b) => compareReleases(rel(a), rel(b))), offered);
    assert.equal(new Set(offered).size, offered.length);
  });

  for (const row of VERSION_RULES) {
    const id = row.id;
    const needs = NEEDS[id] ?? [];
    it(`${id} (${row.fn}): off before ${row.since}, on at ${row.since}`, () => {
      const prev = before(row.since);
      for (const n of needs) assert.ok(hasRule(rel(prev), n), `${prev} has ${n}, which the probe needs`);
      assert.deepEqual(observe(id, prev), PROBES[id].old, `${id} at ${prev}`);
      assert.deepEqual(observe(id, row.since), PROBES[id].now, `${id} at ${row.since}`);
    });
    for (const b of row.backports) {
      it(`${id}: backport to ${b.series}.y — off at the stable release before ${b.release}, on at ${b.release}`, () => {
        const r = rel(b.release);
        const prev = releaseText({ ...r, patch: r.patch - 1 });
        for (const n of needs) assert.ok(hasRule(rel(prev), n), `${prev} has ${n}, which the probe needs`);
        assert.deepEqual(observe(id, prev), PROBES[id].old, `${id} at ${prev}`);
        assert.deepEqual(observe(id, b.release), PROBES[id].now, `${id} at ${b.release}`);
      });
    }
  }

  it('6.1 (mainline): after the last munmap the armed work still runs at its time and writes the page', () => {
    const r = run(`kernel 6.1\n${fb('write a p[1]\nmunmap a p[0..3]\nwait 50ms\nexpect defio fb written 1')}`);
    assert.equal(r.failed, 0);
  });

  it('6.1.74: fsync re-arms the work with delay 0: nothing written by msync, the work runs at the next wait (also with an empty list)', () => {
    const r = run(`kernel 6.1.74\n${fb('write a p[1]\nmsync a p\nexpect result 0\nexpect defio fb pending 1\nwait 0ms\nexpect defio fb written 1\nmsync a p\nwait 0ms\nexpect defio fb written none')}`);
    assert.equal(r.failed, 0);
    assert.equal(fbState(r).workRuns, 2, 'the re-armed work runs even with nothing listed');
  });
});
