// The oracle's translation of vmsplice and `expect pipe`: pipe(2) and vmsplice(2) in the
// process, the pipe looked at from a process that holds it.

import { strict as assert } from 'assert';
import { stepAt, tr } from './translateHelpers';


const ANON = 'process p\nmmap p anon at 0x7f0000000000 pages 2 private rw as h\nwrite p h[0..1]\n';

describe('oracle translator: vmsplice and expect pipe', () => {
  it('vmsplice is o_vmsplice in the process over the range, one PIPES[] slot per pipe', () => {
    const t = tr(ANON + 'vmsplice p h as a\nvmsplice p h[1] as b');
    assert.match(t.c, /o_vmsplice\(\d+, 0, 0x7f0000000000UL, 0x2000UL\);/);
    assert.match(t.c, /o_vmsplice\(\d+, 1, 0x7f0000001000UL, 0x1000UL\);/);
    assert.equal(stepAt(t, 'vmsplice').observable, 'yes');
  });
  it('expect pipe is checked in a live holder: the maker, or a child forked after the splice', () => {
    const t = tr(ANON + 'vmsplice p h as a\nfork p as c\nexit p\nexpect pipe a unchanged');
    assert.match(t.c, /o_pipe_check\(\d+, 0\);/);
    const c = t.processes.findIndex(x => x.name === 'c');
    assert.ok(c >= 0);
    const noHolder = tr(ANON + 'fork p as c\nvmsplice p h as a\nexit p\nexpect pipe a unchanged');
    assert.doesNotMatch(noHolder.c, /o_pipe_check/);
    assert.equal(stepAt(noHolder, 'expect_pipe').observable, 'no');
  });
  it('past the guest\'s 64 pipe slots a vmsplice is not made, and what the engine changed taints the pages\' processes', () => {
    const many = Array.from({ length: 65 }, (_, i) => `vmsplice p h[0] as v${i}`).join('\n');
    const t = tr(ANON + 'fork p as c\n' + many + '\nwrite c h[0]\nexpect pte c h[0] write');
    assert.equal(stepAt(t, 'vmsplice', 63).observable, 'yes');
    assert.equal(stepAt(t, 'vmsplice', 64).observable, 'no');
    assert.deepEqual(stepAt(t, 'write', 0).taintedBy, [], 'the write before it is not');
    assert.ok(stepAt(t, 'write', 1).taintedBy.length > 0, 'the child\'s write after it is tainted');
  });
});
