// mremap on the real kernel: the translator issues mremap(2) and follows it in its mapping
// model (the kernel's answer predicted as mm/mremap.c gives it), so later statements use the
// new addresses; expect error compares the errno the guest recorded.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import type { ExpectError } from '../../../src/language/ast';
import { translateScenario } from '../../../src/oracle/translate';
import { errorCheck } from '../../../src/oracle/vmaChecks';
import type { OracleStepResult } from '../../../src/oracle/results';

const tr = (text: string) => translateScenario(parse(text).scenario, { name: 'mremap' });
const cLines = (c: string, what: string) => c.split('\n').filter((l) => l.includes(what));

describe('oracle: mremap', () => {
  it('a whole mapping moved with MREMAP_MAYMOVE|MREMAP_FIXED: later accesses use the new address', () => {
    const t = tr(`process c
mmap c anon at 0x40000000 pages 2 private rw as h
mremap c h to 0x50000000 pages 4
write c h[3]
expect vma c h[3] start 0x50000000
`);
    assert.equal(t.notObservable.length, 0);
    assert.ok(cLines(t.c, 'o_mremap(2, 0x40000000UL, 0x2000UL, 0x4000UL, 0x50000000UL);').length === 1);
    assert.equal(t.steps[3].accesses[0].addr, 0x50003000);
    assert.equal(t.steps[4].vma!.at, 0x50003000);
  });

  it('in place: a grow into a taken range is refused (ENOMEM) and changes nothing; a grow into free pages lengthens the label', () => {
    const t = tr(`process a
mmap a anon at 0x10000000 pages 2 private rw as x
mmap a anon at 0x10003000 pages 1 private r as guard
mremap a x pages 4
mremap a x pages 3
write a x[2]
`);
    assert.match(t.steps[3].reason ?? '', /ENOMEM/);
    assert.ok(cLines(t.c, 'o_mremap(3, 0x10000000UL, 0x2000UL, 0x4000UL, 0x0UL);').length === 1);
    assert.equal(t.steps[5].accesses[0].addr, 0x10002000);
    assert.equal(t.mappings.filter((m) => m.label === 'x').pop()!.pages, 3);
  });

  it('no mapping at the address: refused with EFAULT, still issued so the errno is recorded', () => {
    const t = tr(`process a
mmap a anon at 0x10000000 pages 1 private rw as x
mremap a 0x20000000 pages 1 pages 2
`);
    assert.match(t.steps[2].reason ?? '', /EFAULT/);
    assert.equal(t.steps[2].runsIn, 'a');
  });

  it('a target overlapping the old range is refused (EINVAL, mremap_to) and changes nothing', () => {
    const t = tr(`process a
mmap a anon at 0x10000000 pages 4 private rw as m
mremap a m to 0x10002000
write a m[0]
`);
    assert.match(t.steps[2].reason ?? '', /EINVAL/);
    assert.equal(t.steps[3].accesses[0].addr, 0x10000000);
  });

  it('moving part of a label: its pages live in two mappings, each page at its own address', () => {
    const t = tr(`process a
mmap a anon at 0x10000000 pages 4 private rw as m
mremap a m[0..1] to 0x30000000
write a m[0]
write a m[2]
munmap a m
`);
    assert.equal(t.notObservable.length, 0);
    assert.equal(t.steps[3].accesses[0].addr, 0x30000000);
    assert.equal(t.steps[4].accesses[0].addr, 0x10002000);
    assert.deepEqual(cLines(t.c, 'o_munmap(5').map((l) => (l.match(/o_munmap\(5, (0x[0-9a-f]+)UL/g) ?? []).length), [2], 'munmap of the label covers both parts');
  });

  it('an mremap over two mappings is not realised: reported, and the process is tainted', () => {
    const t = tr(`process a
mmap a anon at 0x10000000 pages 2 private rw as m
mmap a anon at 0x10002000 pages 2 private r as n
mremap a 0x10000000 pages 4 to 0x30000000
write a m[0]
`);
    assert.equal(t.notObservable[0].kind, 'mremap');
    assert.deepEqual(t.steps[4].taintedBy, [3]);
  });
});

describe('oracle: expect error', () => {
  const st = parse('process a\nmmap a anon at 0x10000000 pages 1 private rw as x\nmremap a x pages 2\nexpect error ENOMEM\n').scenario.statements[3] as ExpectError;
  const step = (index: number, kind: string, errno: number | null, status: OracleStepResult['status'] = 'observed') =>
    ({ index, line: index, kind, status, ops: errno === null ? [] : [{ proc: 'a', op: 'mremap', ret: errno ? -1 : 0, errno, us: 1 }] }) as unknown as OracleStepResult;
  it('passes on the errno of the statement before it, fails on another or none', () => {
    const me = step(3, 'expect_error', null);
    assert.equal(errorCheck(st, me, [step(2, 'mremap', 12), me])[0].verdict, 'pass');
    assert.equal(errorCheck(st, me, [step(2, 'mremap', 14), me])[0].observed, 'EFAULT');
    assert.equal(errorCheck(st, me, [step(2, 'mremap', 0), me])[0].verdict, 'fail');
  });
  it('not observable when that statement did not run on the real kernel', () => {
    const me = step(3, 'expect_error', null);
    assert.equal(errorCheck(st, me, [step(2, 'mremap', null, 'not-observable'), me])[0].verdict, 'not-observable');
  });
});
