// The oracle's translator and the language v2 VMA statements: an mremap over two mappings is
// not realised (reported, never faked) and taints what looks at the moved process afterwards; expect
// vma/vmas read smaps; expect i_mmap is not observable.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { translateScenario } from '../../../src/oracle/translate';

const TEXT = `file f pages 4
process a
process b
mmap a f at 0x10000000 pages 4 shared rw as m
mmap b f at 0x20000000 pages 4 shared rw as m
mmap a f at 0x10004000 pages 1 offset 0 shared rw as n
mremap a 0x10000000 pages 5 to 0x30000000
write a m[0]
mkclean f[0]
expect walk b:m, a:m
expect vmas a 1
expect i_mmap f b:m, a:m
expect walk b:m
`;

describe('oracle: the v2 VMA statements', () => {
  const t = translateScenario(parse(TEXT).scenario, { name: 'vmas' });
  const step = (kind: string, nth = 0) => t.steps.filter((s) => s.kind === kind)[nth];

  it('an mremap over two mappings is reported as not realised and taints the process: a later walk naming a VMA of it is not compared', () => {
    const n = t.notObservable.find((x) => x.kind === 'mremap');
    assert.match(n!.reason, /mremap is not realised/);
    assert.deepEqual(step('expect_walk', 0).taintedBy, [6]);
    assert.deepEqual(step('expect_walk', 1).taintedBy, [], 'a walk naming only b is the kernel\'s own');
  });

  it('expect i_mmap is not observable, with the reason', () => {
    const kinds = t.notObservable.map((x) => x.kind);
    assert.ok(kinds.includes('expect_i_mmap'));
    assert.match(t.notObservable.find((x) => x.kind === 'expect_i_mmap')!.reason, /i_mmap order has no user-space view/);
  });

  it('expect vmas reads smaps over every range the process mapped, in the driver', () => {
    const s = step('expect_vmas');
    assert.equal(s.observable, 'yes');
    assert.equal(s.runsIn, 'driver');
    assert.deepEqual(s.vma!.ranges, [{ addr: 0x10000000, pages: 5 }]);
    assert.ok(t.c.includes('smaps(10, 0, 0x10000000UL, 5, -1);'), 'the driver reads a\'s smaps over m');
  });
});

describe('oracle: expect vma names the page\'s address', () => {
  const t = translateScenario(parse(`process a
mmap a anon at 0x10000000 pages 2 private rw as x
mmap a anon at 0x10004000 pages 1 private rw as y
expect vma a y[0] start 0x10004000
`).scenario, { name: 'vma' });
  it('records the address of y[0] and both ranges (not adjacent: two reads)', () => {
    const s = t.steps.find((x) => x.kind === 'expect_vma')!;
    assert.equal(s.vma!.at, 0x10004000);
    assert.deepEqual(s.vma!.ranges, [{ addr: 0x10000000, pages: 2 }, { addr: 0x10004000, pages: 1 }]);
  });
});
