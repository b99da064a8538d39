// The oracle's translation of what holds page references through a file (emitters/heldPages.ts):
// vmsplice and `expect pipe` (pipe(2) and vmsplice(2) in the process, the pipe looked at from
// a process that holds it), pin and `expect pin` (an io_uring ring and
// IORING_REGISTER_BUFFERS in the process, the pinned pages read from a process that holds the
// ring).

import { strict as assert } from 'assert';
import { stepAt, tr } from './translateHelpers';

const ANON = 'process p\nmmap p anon at 0x7f0000000000 pages 2 private rw as h\nwrite p h[0..1]\n';

for (const k of [
  { make: 'vmsplice', expect: 'pipe', state: 'unchanged', c: 'o_vmsplice', check: 'o_pipe_check' },
  { make: 'pin', expect: 'pin', state: 'changed', c: 'o_pin', check: 'o_pin_check' },
] as const) {
  describe(`oracle translator: ${k.make} and expect ${k.expect}`, () => {
    it(`${k.make} is ${k.c} in the process over the range, one slot per ${k.expect}`, () => {
      const t = tr(ANON + `${k.make} p h as a\n${k.make} p h[1] as b`);
      assert.match(t.c, new RegExp(`${k.c}\\(\\d+, 0, 0x7f0000000000UL, 0x2000UL\\);`));
      assert.match(t.c, new RegExp(`${k.c}\\(\\d+, 1, 0x7f0000001000UL, 0x1000UL\\);`));
      assert.equal(stepAt(t, k.make).observable, 'yes');
    });
    it(`expect ${k.expect} is checked in a live holder: the maker, or a child forked after it`, () => {
      const t = tr(ANON + `${k.make} p h as a\nfork p as c\nexit p\nexpect ${k.expect} a ${k.state}`);
      assert.match(t.c, new RegExp(`${k.check}\\(\\d+, 0\\);`));
      assert.ok(t.processes.findIndex(x => x.name === 'c') >= 0);
      const noHolder = tr(ANON + `fork p as c\n${k.make} p h as a\nexit p\nexpect ${k.expect} a ${k.state}`);
      assert.doesNotMatch(noHolder.c, new RegExp(k.check));
      assert.equal(stepAt(noHolder, `expect_${k.expect}`).observable, 'no');
    });
    it(`past the guest's 64 slots a ${k.make} is not made, and what the engine changed taints the pages' processes`, () => {
      const many = Array.from({ length: 65 }, (_, i) => `${k.make} p h[0] as v${i}`).join('\n');
      const t = tr(ANON + 'fork p as c\n' + many + '\nwrite c h[0]\nwrite p h[0]\nexpect pte c h[0] write');
      assert.equal(stepAt(t, k.make, 63).observable, 'yes');
      assert.equal(stepAt(t, k.make, 64).observable, 'no');
      assert.deepEqual(stepAt(t, 'write', 0).taintedBy, [], 'the write before it is not');
      assert.ok(stepAt(t, 'write', 2).taintedBy.length > 0, 'the parent\'s write after it is tainted');
    });
  });
}

describe('oracle translator: pin ... readonly (gup_test\'s PIN_LONGTERM_TEST_START)', () => {
  it('on a kernel with gup_test it is o_ropin in the process (fast: 1), and expect pin reads it back', () => {
    const t = tr(ANON + 'pin p h as a readonly fast\nexpect pin a changed', { gupTest: true });
    assert.match(t.c, /o_ropin\(\d+, 0, 0x7f0000000000UL, 0x2000UL, 1\);/);
    assert.match(t.c, /o_pin_check\(\d+, 0\);/);
    assert.equal(stepAt(t, 'pin').observable, 'yes');
    assert.match(tr(ANON + 'pin p h as a readonly', { gupTest: true }).c, /o_ropin\(\d+, 0, 0x7f0000000000UL, 0x2000UL, 0\);/);
  });
  it('without gup_test (Debian\'s kernels) it is not made: not observable, and the process is tainted', () => {
    const t = tr(ANON + 'pin p h as a readonly\nwrite p h[0]\nexpect pin a changed');
    assert.doesNotMatch(t.c, /o_ropin|o_pin\(/);
    assert.equal(stepAt(t, 'pin').observable, 'no');
    assert.ok(stepAt(t, 'write', 1).taintedBy.length > 0);
    assert.equal(stepAt(t, 'expect_pin').observable, 'no');
  });
  it('gup_test holds one R/O pin at a time: a second while a holder of the first lives is not made; after they exit it is', () => {
    const two = 'process q\nmmap q anon at 0x7f0000100000 pages 1 private rw as g\nwrite q g[0]\n';
    const t = tr(ANON + two + 'pin p h as a readonly\npin q g as b readonly\nexit p\npin q g as c readonly', { gupTest: true });
    assert.equal(stepAt(t, 'pin', 0).observable, 'yes');
    assert.equal(stepAt(t, 'pin', 1).observable, 'no');
    assert.equal(stepAt(t, 'pin', 2).observable, 'yes');
    const rw = tr(ANON + 'pin p h as a readonly\npin p h as b', { gupTest: true });
    assert.equal(stepAt(rw, 'pin', 1).observable, 'yes', 'an io_uring pin is not gup_test\'s');
  });
});
