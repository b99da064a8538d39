// The oracle's translation of `pin` and `expect pin`: an io_uring ring and
// IORING_REGISTER_BUFFERS in the process, the pinned pages read from a process that holds the ring.

import { strict as assert } from 'assert';
import { stepAt, tr } from './translateHelpers';

const ANON = 'process p\nmmap p anon at 0x7f0000000000 pages 2 private rw as h\nwrite p h[0..1]\n';

describe('oracle translator: pin and expect pin', () => {
  it('pin is o_pin in the process over the range, one PINS[] slot per buffer', () => {
    const t = tr(ANON + 'pin p h as a\npin p h[1] as b');
    assert.match(t.c, /o_pin\(\d+, 0, 0x7f0000000000UL, 0x2000UL\);/);
    assert.match(t.c, /o_pin\(\d+, 1, 0x7f0000001000UL, 0x1000UL\);/);
    assert.equal(stepAt(t, 'pin').observable, 'yes');
  });
  it('expect pin is checked in a live holder of the ring: the maker, or a child forked after the pin', () => {
    const t = tr(ANON + 'pin p h as a\nfork p as c\nexit p\nexpect pin a changed');
    assert.match(t.c, /o_pin_check\(\d+, 0\);/);
    const noHolder = tr(ANON + 'fork p as c\npin p h as a\nexit p\nexpect pin a changed');
    assert.doesNotMatch(noHolder.c, /o_pin_check/);
    assert.equal(stepAt(noHolder, 'expect_pin').observable, 'no');
  });
  it('past the guest\'s 64 slots a pin is not made, and what the engine changed taints the pages\' processes', () => {
    const many = Array.from({ length: 65 }, (_, i) => `pin p h[0] as b${i}`).join('\n');
    const t = tr(ANON + many + '\nfork p as c\nwrite p h[0]\nexpect pte p h[0] write');
    assert.equal(stepAt(t, 'pin', 63).observable, 'yes');
    assert.equal(stepAt(t, 'pin', 64).observable, 'no');
    assert.ok(stepAt(t, 'write', 1).taintedBy.length > 0, 'the write after it is tainted');
  });
});
