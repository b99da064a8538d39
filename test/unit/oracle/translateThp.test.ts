// The oracle's translation of the THP knobs and the THP advices: writes to
// /sys/kernel/mm/transparent_hugepage by the driver, madvise(2) by the process.

import { strict as assert } from 'assert';
import { stepAt, tr } from './translateHelpers';
import { thpKnobPath } from '../../../src/oracle/translate/emitters/thpKnobs';

const ANON = 'process p\nmmap p anon at 0x7f0000000000 pages 1024 private rw as h\n';

describe('oracle translator: THP knobs and advices', () => {
  it('sysctl thp enabled is a write of the top-level knob by the driver, and does not taint later steps', () => {
    const t = tr('sysctl thp enabled always\n' + ANON + 'write p h[0]');
    assert.match(t.c, /o_thp\(\d+, "enabled", "always"\);/);
    assert.equal(stepAt(t, 'write').observable, 'yes');
  });
  it('per-size knobs are the hugepages-<size>kB files (anon: enabled, shmem: shmem_enabled)', () => {
    const t = tr('sysctl thp anon 64K always\nsysctl thp shmem 2M inherit\nsysctl thp use_zero_page 0\n' + ANON);
    assert.match(t.c, /o_thp\(\d+, "hugepages-64kB\/enabled", "always"\);/);
    assert.match(t.c, /o_thp\(\d+, "hugepages-2048kB\/shmem_enabled", "inherit"\);/);
    assert.match(t.c, /o_thp\(\d+, "use_zero_page", "0"\);/);
    assert.equal(thpKnobPath({ knob: 'shmem_enabled' }), 'shmem_enabled');
  });
  it('madvise hugepage/nohugepage/collapse are MADV_HUGEPAGE/MADV_NOHUGEPAGE/MADV_COLLAPSE', () => {
    const t = tr(ANON + 'write p h[0]\nmadvise p h[0..511] hugepage\nmadvise p h[0..511] nohugepage\nmadvise p h[0..511] collapse');
    assert.match(t.c, /o_madvise\(\d+, 0x7f0000000000UL, 0x200000UL, MADV_HUGEPAGE\);/);
    assert.match(t.c, /MADV_NOHUGEPAGE\);/);
    assert.match(t.c, /o_madvise\(\d+, 0x7f0000000000UL, 0x200000UL, MADV_COLLAPSE\);/);
    assert.equal(stepAt(t, 'madvise', 2).observable, 'yes');
  });
  it('split PROC LABEL[I] is the process\'s own write to debugfs split_huge_pages; split OBJ[I] names the file and index; an fbdev page is not split', () => {
    const t = tr(ANON + 'write p h[0]\nsplit p h[3]');
    assert.match(t.c, /o_split\(\d+, 0x7f0000003000UL\);/);
    assert.equal(stepAt(t, 'split').observable, 'yes');
    assert.equal(stepAt(t, 'split').runsIn, 'p');
    const o = tr('shmem s pages 512 huge always\nprocess p\nmmap p s at 0x7f0000000000 pages 512 shared rw as m\nwrite p m[0]\nsplit s[7]');
    assert.match(o.c, /o_split_file\(\d+, 0, 7L\);/);
    assert.equal(stepAt(o, 'split').runsIn, 'driver');
    const f = tr('fbdev fb pages 4\nprocess p\nmmap p fb at 0x7f0000000000 pages 4 shared rw as m\nsplit fb[0]');
    assert.equal(stepAt(f, 'split').observable, 'no');
  });
});
