// MADV_COLLAPSE of shmem and files (mm/khugepaged.c: madvise_collapse → hpage_collapse_scan_file
// → collapse_file → retract_page_tables / collapse_pte_mapped_thp), one test per kernel rule,
// on both sides of each version change (collapse-file-retract-all 6.6, collapse-file-large-folios
// 6.12). Sources: 6.1.166, 6.5, 6.8, 6.11.11, 6.12.19 and Debian 6.12.118 mm/khugepaged.c.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { checkInvariants } from '../../../src/engine/invariants';
import { madvise_thp } from '../../../src/engine/thpMadvise';
import { lastResult, run, task, visits, walksOf, type WalkEv } from './helpers';

const A = 0x7f0000000000, B = 0x7e0000000000, C = 0x7d0000000000;

function ok(text: string): ReturnType<typeof run> {
  const r = run(text);
  assert.deepEqual(checkInvariants(r.engine), [], 'engine invariants');
  return r;
}

function errors(text: string): string[] {
  return runText(text).diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
}

/** Two processes share a 512-page tmpfs file; a wrote m[0], b read m[1] (fault-around: m[0], m[1]). */
const shared = (v: string, more = '') => `kernel ${v}
shmem s pages 512
process a
process b
mmap a s at ${A} pages 512 shared rw as m
mmap b s at ${B} pages 512 shared rw as m
write a m[0]
read b m[1]
${more}`;

const retractWalk = (r: ReturnType<typeof run>): WalkEv => {
  const w = walksOf(r).filter((x) => x.api === 'retract_page_tables');
  assert.equal(w.length, 1, 'one retract_page_tables walk');
  return w[0];
};

describe('engine: MADV_COLLAPSE of shmem and files (collapse_file)', () => {
  it('hugepage_vma_check / thp_vma_allowable_order without TVA_ENFORCE_SYSFS: shmem collapses with every knob at never; a regular file is EINVAL (CONFIG_READ_ONLY_THP_FOR_FS unset in Debian 6.1 and 6.12); shmem_enabled deny and VM_NOHUGEPAGE refuse', () => {
    for (const v of ['6.1', '6.12']) {
      ok(shared(v, 'madvise a m[0..511] collapse\nexpect result 0\nexpect pte a m[0..511] huge'));
      const file = errors(`kernel ${v}\nfile f pages 512\nprocess a\nmmap a f at ${A} pages 512 shared r as m\nread a m[0]\nmadvise a m[0..511] collapse`);
      assert.ok(file.some((e) => e.includes('EINVAL') && e.includes('CONFIG_READ_ONLY_THP_FOR_FS')), file.join('; '));
      assert.ok(errors(shared(v, 'sysctl thp shmem_enabled deny\nmadvise a m[0..511] collapse')).some((e) => e.includes('EINVAL') && e.includes('deny')));
      assert.ok(errors(shared(v, 'madvise a m[0..511] nohugepage\nmadvise a m[0..511] collapse')).some((e) => e.includes('EINVAL') && e.includes('VM_NOHUGEPAGE')));
    }
    // transhuge_vma_suitable(vma, vm_end - HPAGE_PMD_SIZE): no PMD-aligned 2 MiB range in the VMA
    assert.ok(errors(`kernel 6.12\nshmem s pages 512\nprocess a\nmmap a s at ${A} pages 511 shared rw as m\nwrite a m[0]\nmadvise a m[0..510] collapse`)
      .some((e) => e.includes('transhuge_vma_suitable')));
  });

  it('collapse_file: every old page unmapped from every process (try_to_unmap walks), one new PMD-size folio in the page cache, data copied, holes zero-filled, the folio dirty; the old folios freed', () => {
    const r = ok(shared('6.12', 'madvise a m[0..511] collapse'));
    const m = r.engine.memmap, s = r.objects.get('s')!;
    const head = s.folioAt(0);
    assert.equal(m.order[head], 9);
    for (let i = 0; i < 512; i++) assert.equal(s.folioAt(i), head + i);
    assert.equal(s.nrpages, 512);
    assert.equal(m.written[head], 1, 'the written page copied');
    assert.equal(m.written[head + 1], 0, 'a read page holds zeroes');
    assert.equal(m.written[head + 300], 0, 'a hole is zero-filled');
    assert.deepEqual(walksOf(r).filter((w) => w.api === 'try_to_unmap').map((w) => visits(r, w)), [['a:m', 'b:m'], ['a:m', 'b:m']]);
    ok(shared('6.12', `madvise a m[0..511] collapse
expect folio s[0] large order 9 dirty
expect folio s[300] large order 9
expect pte b m[0] none
expect pte b m[1] none`));
  });

  it('collapse_file: a range with nothing in the page cache stops with SCAN_TRUNCATED (EINVAL); the page cache is left alone', () => {
    const text = `kernel 6.12\nshmem s pages 512\nprocess a\nmmap a s at ${A} pages 512 shared rw as m\nmadvise a m[0..511] collapse`;
    assert.ok(errors(text).some((e) => e.includes('SCAN_TRUNCATED')));
    assert.equal(runText(text).objects.get('s')!.nrpages, 0);
  });

  it('retract_page_tables (collapse-file-retract-all, 6.6): every emptied table in i_mmap is freed, so the other process refaults the THP by a PMD; 6.5 retracts the caller\'s alone (set_huge_pmd) and leaves the others to khugepaged', () => {
    const r65 = ok(shared('6.5', 'madvise a m[0..511] collapse\nread b m[40]\nexpect pte b m[40] present !huge\nexpect pte b m[100] none\nexpect folio b m[40] large mapcount 2 folio_mapcount 17'));
    const w65 = retractWalk(r65);
    assert.deepEqual(visits(r65, w65), ['a:m', '~b:m']);
    assert.match(w65.visits[1].reason ?? '', /khugepaged/);
    assert.equal(w65.result, 1);
    const r66 = ok(shared('6.6', 'madvise a m[0..511] collapse\nread b m[40]\nexpect pte b m[0..511] present huge\nexpect folio b m[40] large folio_mapcount 2 mapcount 2'));
    const w66 = retractWalk(r66);
    assert.deepEqual(visits(r66, w66), ['a:m', 'b:m']);
    assert.equal(w66.result, 2);
    assert.ok(task(r66, 'b').mm.pt.lookup(B + 40 * 4096)?.leaf);
  });

  it('retract_page_tables skips a VMA with an anon_vma (a written MAP_PRIVATE mapping): its anon page stays, the page-cache pages are unmapped and refault as PTEs (6.1 and 6.12)', () => {
    for (const v of ['6.1', '6.12']) {
      const r = ok(`kernel ${v}
shmem s pages 512
process a
process c
mmap a s at ${A} pages 512 shared rw as m
mmap c s at ${C} pages 512 private rw as m
write a m[0]
write c m[1]
read c m[0]
madvise a m[0..511] collapse
expect result 0
expect pte c m[0] none
expect pte c m[1] present maps anon
read c m[7]
expect pte c m[7] present !huge
expect pte a m[0..511] huge`);
      const w = retractWalk(r);
      const skip = w.visits.find((x) => x.skipped && x.label === 'm' && r.engine.tasks.get(x.pid)?.name === 'c');
      assert.match(skip?.reason ?? '', /anon_vma/, v);
    }
  });

  it('collapse_pte_mapped_thp (SCAN_PTE_MAPPED_HUGEPAGE): a second MADV_COLLAPSE over a THP already in the page cache retracts the PTEs that map it and installs the PMD; an anon page in the table fails with SCAN_FAIL (EINVAL)', () => {
    ok(shared('6.1', `madvise a m[0..511] collapse
read b m[40]
madvise b m[0..511] collapse
expect result 0
expect pte b m[0..511] present huge
expect folio b m[40] mapcount 2 folio_mapcount 2`));
    const e = errors(`kernel 6.1
shmem s pages 512
process a
process c
mmap a s at ${A} pages 512 shared rw as m
mmap c s at ${C} pages 512 private rw as m
write a m[0]
write c m[1]
madvise a m[0..511] collapse
read c m[7]
madvise c m[0..511] collapse`);
    assert.ok(e.some((x) => x.includes('EINVAL') && x.includes('SCAN_FAIL')), e.join('; '));
  });

  it('find_pmd_or_thp_or_none for a caller without a PTE table: 6.6+ installs the PMD when the PMD level exists (SCAN_PMD_NONE), 6.5 fails with EINVAL; without a PMD page (SCAN_PMD_NULL) every version fails, the page cache collapsed anyway', () => {
    const text = (v: string) => `kernel ${v}
shmem s pages 1024
process a
process b
mmap a s at ${A} pages 1024 shared rw as m
mmap b s at ${B} pages 1024 shared rw as m
write b m[0]
read a m[600]
madvise a m[0..511] collapse`;
    const r66 = ok(text('6.6'));
    assert.equal(lastResult(r66), 0);
    assert.ok(task(r66, 'a').mm.isPmdMapped(A));
    const r65 = runText(text('6.5'));
    assert.equal(lastResult(r65), 22);
    assert.ok(r65.diagnostics.some((d) => d.message.includes('SCAN_PMD_NONE')));
    assert.equal(r65.engine.memmap.order[r65.objects.get('s')!.folioAt(0)], 9);
    for (const v of ['6.1', '6.12']) {
      const r = runText(`kernel ${v}\nshmem s pages 512\nprocess a\nprocess b\nmmap a s at ${A} pages 512 shared rw as m\nmmap b s at ${B} pages 512 shared rw as m\nwrite b m[0]\nmadvise a m[0..511] collapse`);
      assert.equal(lastResult(r), 22, v);
      assert.equal(r.engine.memmap.order[r.objects.get('s')!.folioAt(0)], 9, v);
    }
  });

  it('hpage_collapse_scan_file (collapse-file-large-folios, 6.12): a 64K shmem folio in the range is SCAN_PAGE_COMPOUND (EINVAL) at 6.11 and copied into the THP from 6.12', () => {
    const text = (v: string) => `kernel ${v}\nsysctl thp shmem 64K always\nprocess a\nmmap a anon at ${A} pages 512 shared rw as m\nwrite a m[0]\nmadvise a m[0..511] collapse`;
    assert.ok(errors(text('6.11')).some((e) => e.includes('SCAN_PAGE_COMPOUND')));
    const r = ok(`${text('6.12')}\nexpect pte a m[0..511] huge\nexpect folio a m[3] order 9`);
    assert.equal(r.engine.memmap.written[task(r, 'a').mm.ptePfn(A)], 1);
  });

  it('madvise_collapse_errno: a folio with a reference nobody accounts for (a pin) is SCAN_PAGE_COUNT, EAGAIN ("trying again might succeed")', () => {
    const r = ok(shared('6.12'));
    const pfn = r.objects.get('s')!.folioAt(0);
    r.engine.memmap.refcount[pfn]++; // a GUP pin (the language has none)
    const res = madvise_thp(r.engine, task(r, 'a'), A, A + 512 * 4096, 'collapse');
    assert.deepEqual(res.ok ? 0 : [res.errno, /SCAN_PAGE_COUNT/.test(res.why)], ['EAGAIN', true]);
  });
});
