// Language v2 features together: VMA merging and mremap (issue 16a) meeting PMD-mapped THP
// and large-folio statements (issue 15). Each test is one kernel rule where the two meet.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { run, task } from '../engine/helpers';

const BASE = '0x7f0000000000';
const THP = `kernel 6.12\nsysctl thp enabled always\nprocess p\nmmap p anon at ${BASE} pages 1024 private rw as buf\n`;

describe('v2 integration: VMA merging and mremap with large folios', () => {
  it('commit_merge → vma_adjust_trans_huge: a merge that moves a boundary into a PMD leaf splits the PMD first', () => {
    // buf[0..511] becomes read-only (a PMD-aligned split: no PMD split), then buf[512..515]
    // read-only too: vma_merge_existing_range grows the first VMA over them (merge left,
    // adj_next moves up to buf[516]) — the PMD leaf of buf[512..1023] straddles it
    const r = run(`${THP}write p buf[512]\nmprotect p buf[0..511] r\nexpect pte p buf[512] present huge\nmprotect p buf[512..515] r
expect vmas p 2
expect vma p buf[515] start ${BASE} pages 516 read !write
expect pte p buf[512..515] present !huge !write
expect pte p buf[516..1023] present !huge write dirty
expect folio p buf[600] large order 9 folio_mapcount 512`);
    assert.equal(r.failed, 0);
    assert.equal(task(r, 'p').mm.vmas.length, 2);
  });

  it('madvise hugepage goes through vma_modify_flags: a middle range splits the VMA in three, the rest merges it back', () => {
    const r = run(`process p\nmmap p anon at ${BASE} pages 8 private rw as buf
madvise p buf[2..3] hugepage
expect vmas p 3
madvise p buf[0..1] hugepage
expect vmas p 2
madvise p buf[4..7] hugepage
expect vmas p 1
expect vma p buf[5] start ${BASE} pages 8`);
    assert.equal(r.passed, 4);
  });

  it('madvise over a hole: the mapped parts are advised, the result is ENOMEM, and `expect error ENOMEM` expects it', () => {
    const r = runText(`process p\nmmap p anon at ${BASE} pages 2 private rw as a\nmmap p anon at 0x7f0000004000 pages 2 private rw as b
madvise p ${BASE} pages 6 hugepage
expect error ENOMEM
expect vmas p 2`);
    assert.equal(r.exitStatus, 0, r.diagnostics.map((d) => d.message).join('; '));
    assert.equal(r.passed, 2);
  });

  it('split refused (not a large folio: EINVAL) is what `expect error EINVAL` expects; without it the file exits 2 (MMS509)', () => {
    const base = `process p\nmmap p anon at ${BASE} pages 2 private rw as buf\nwrite p buf[0]\nsplit p buf[0]\n`;
    const ok = runText(`${base}expect error EINVAL\nexpect result 22`);
    assert.equal(ok.exitStatus, 0, ok.diagnostics.map((d) => d.message).join('; '));
    const bad = runText(base);
    assert.equal(bad.exitStatus, 2);
    assert.ok(bad.diagnostics.some((d) => d.code === 'MMS509' && /EINVAL/.test(d.message)));
    assert.ok(!bad.diagnostics.some((d) => d.code === 'MMS507'), 'MMS507 is mremap\'s');
  });

  it('move_page_tables → move_huge_pmd: a PMD-aligned 2 MiB mremap moves the PMD leaf as it is (no fault, marked soft-dirty)', () => {
    const r = run(`${THP}write p buf[0]\nclear_refs p softdirty\nmremap p buf[0..511] to 0x7e0000000000
expect pte p buf[0..511] present huge softdirty maps anon
expect folio p buf[3] large order 9 folio_mapcount 1
expect faults p 1`);
    assert.equal(r.failed, 0);
    assert.ok(task(r, 'p').mm.pt.isLeaf(0x7e0000000000));
    assert.ok(!task(r, 'p').mm.pt.lookup(0x7f0000000000));
  });

  it('move_page_tables: a PMD leaf moved to an address that is not PMD-aligned is split first (split_huge_pmd), then its PTEs move', () => {
    const r = run(`${THP}write p buf[0]\nmremap p buf[0..511] to 0x7e0000001000
expect pte p buf[0..511] present !huge write dirty maps anon
expect folio p buf[3] large order 9 folio_mapcount 512
expect faults p 1`);
    assert.equal(r.failed, 0);
  });

  it('msync PROC LABEL after mremap writes back the pages where the label now is (msync over the moved range)', () => {
    const r = run(`file f pages 4\nprocess p\nmmap p f at ${BASE} pages 4 shared rw as m\nwrite p m[0..3]\nmremap p m to 0x7e0000000000
msync p m
expect result 4
expect folio f[2] !dirty`);
    assert.equal(r.failed, 0);
  });
});
