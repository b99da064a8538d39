// The oracle's translation of madvise, `sysctl swap` and `migrate`: the system calls the
// guest makes for them, and what it does not fake.

import { strict as assert } from 'assert';
import { stepAt, tr } from './translateHelpers';


const ANON = 'process p\nmmap p anon at 0x7f0000000000 pages 2 private rw as h\nwrite p h[0..1]\n';

describe('oracle translator: madvise, swap, migrate', () => {
  it('madvise is madvise(2) by the process over the mapped range, then the pages are snapshotted', () => {
    const t = tr(ANON + 'madvise p h[0..1] pageout');
    assert.match(t.c, /o_madvise\(\d+, 0x7f0000000000UL, 0x2000UL, MADV_PAGEOUT\);/);
    const s = stepAt(t, 'madvise');
    assert.equal(s.observable, 'yes');
    assert.ok(s.snapshots.length > 0);
  });
  it('sysctl swap pages N makes a swap file on the guest disk (o_swapon in the driver)', () => {
    const t = tr('sysctl swap pages 32\n' + ANON);
    assert.match(t.c, /o_swapon\(\d+, 32L, 0\);/);
  });
  it('a synchronous device (sync) is the guest\'s zram device, and a later pageout is madvise(2) as on a swap file', () => {
    const t = tr('sysctl swap pages 32 sync\n' + ANON + 'madvise p h[0] pageout');
    assert.match(t.c, /o_swapon\(\d+, 32L, 1\);/);
    assert.equal(stepAt(t, 'madvise').observable, 'yes');
    assert.match(t.c, /o_madvise\(\d+, 0x7f0000000000UL, 0x1000UL, MADV_PAGEOUT\);/);
  });
  it('migrate PROC LABEL[I] is move_pages of that page to the other NUMA node (o_migrate: the whole folio); migrate OBJ[I] has no address to name it by', () => {
    const t = tr(ANON + 'migrate p h[1]');
    assert.match(t.c, /o_migrate\(\d+, 0x7f0000001000UL\);/);
    assert.equal(stepAt(t, 'migrate').observable, 'yes');
    const o = tr('file f pages 1\nprocess p\nmmap p f at 0x7f0000000000 pages 1 shared r as m\nread p m[0]\nmigrate f[0]');
    assert.equal(stepAt(o, 'migrate').observable, 'no');
  });
});
