// The oracle's translator and the language v2 VMA statements: mremap is not realised yet
// (reported, never faked) and taints what looks at the moved process afterwards; the VMA
// expectations are not observable.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { translateScenario } from '../../../src/oracle/translate';

const TEXT = `file f pages 4
process a
process b
mmap a f at 0x10000000 pages 4 shared rw as m
mmap b f at 0x20000000 pages 4 shared rw as m
mremap a m to 0x30000000
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

  it('mremap is reported as not realised and taints the process: a later walk naming a VMA of it is not compared', () => {
    const n = t.notObservable.find((x) => x.kind === 'mremap');
    assert.match(n!.reason, /mremap is not realised/);
    assert.deepEqual(step('expect_walk', 0).taintedBy, [5]);
    assert.deepEqual(step('expect_walk', 1).taintedBy, [], 'a walk naming only b is the kernel\'s own');
  });

  it('expect vmas / expect i_mmap are not observable, with the reason', () => {
    const kinds = t.notObservable.map((x) => x.kind);
    assert.ok(kinds.includes('expect_vmas') && kinds.includes('expect_i_mmap'));
    assert.match(t.notObservable.find((x) => x.kind === 'expect_i_mmap')!.reason, /i_mmap order has no user-space view/);
  });
});
