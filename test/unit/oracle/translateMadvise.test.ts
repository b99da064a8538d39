// The oracle's translation of madvise, `sysctl swap` and `migrate`: the system calls the
// guest makes for them, and what it does not fake.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { translateScenario, type OracleTranslation } from '../../../src/oracle/translate';

function tr(text: string): OracleTranslation {
  const { scenario } = parse(text);
  return translateScenario(scenario, { name: 'test' });
}
const stepAt = (t: OracleTranslation, kind: string, nth = 0) => t.steps.filter(s => s.kind === kind)[nth];

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
  it('migrate PROC LABEL[I] is MADV_SOFT_OFFLINE on that page; migrate OBJ[I] has no address to name it by', () => {
    const t = tr(ANON + 'migrate p h[1]');
    assert.match(t.c, /o_madvise\(\d+, 0x7f0000001000UL, 0x1000UL, MADV_SOFT_OFFLINE\);/);
    // only where a folio is mapped there: madvise_inject_error()'s get_user_pages_fast()
    // would fault one in (the zero page, a swap-in), where the engine's migrate_pages() has
    // none (ENOENT): a PTE that is not present, or maps the zero page, is left alone
    assert.match(t.c, /pagemap_self\(0x7f0000001000UL\)[^}]*if \(f_ && !\(\(kpageflags\(f_\) >> 24\) & 1\)\) o_madvise[^}]*else o_op\(\d+, "soft_offline_skipped"/);
    const o = tr('file f pages 1\nprocess p\nmmap p f at 0x7f0000000000 pages 1 shared r as m\nread p m[0]\nmigrate f[0]');
    assert.equal(stepAt(o, 'migrate').observable, 'no');
  });
});
