// expect vma against one VMA of /proc/PID/smaps: what the header and VmFlags show is
// compared; vm_pgoff of a VMA without a file and the anon_vma are not observable.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import type { ExpectVma } from '../../../src/language/ast';
import { vmaFlagCheck } from '../../../src/oracle/vmaChecks';
import type { OracleVma } from '../../../src/oracle/results';

function flags(text: string) {
  const scn = parse(`process a\nmmap a anon at 0x10000000 pages 2 private rw as x\nexpect vma a x[0] ${text}\n`).scenario;
  return (scn.statements.find((s) => s.kind === 'expect_vma') as ExpectVma).flags;
}
const vma = (o: Partial<OracleVma>): OracleVma => ({
  proc: 'a', mapping: -1, start: 0x10000000, end: 0x10002000, rss: 0, pss: 0, sharedClean: 0, sharedDirty: 0,
  privateClean: 0, privateDirty: 0, referenced: 0, anonymous: 0, vmFlags: ['rd', 'wr', 'mr', 'mw', 'me', 'ac', 'sd'],
  perms: 'rw-p', offset: 0, inode: 0, ...o,
});
const verdicts = (text: string, v: OracleVma | undefined) => flags(text).map((f) => vmaFlagCheck(f, v, 'a').verdict);

describe('oracle: expect vma against smaps', () => {
  it('start, end, pages from the range; read/write/private from the permissions; softdirty from VmFlags sd', () => {
    assert.deepEqual(verdicts('start 0x10000000 end 0x10002000 pages 2 read write private !shared softdirty !none', vma({})), Array(9).fill('pass'));
    assert.deepEqual(verdicts('pages 3 !write shared', vma({})), ['fail', 'fail', 'fail']);
  });

  it('none is ---; read-only is r--', () => {
    assert.deepEqual(verdicts('none !read', vma({ perms: '---p' })), ['pass', 'pass']);
    assert.deepEqual(verdicts('read !write', vma({ perms: 'r--s' })), ['pass', 'pass']);
  });

  it('softdirty fails when VmFlags has no sd', () => {
    assert.deepEqual(verdicts('softdirty', vma({ vmFlags: ['rd', 'wr'] })), ['fail']);
  });

  it('pgoff is compared for a VMA with a file (offset in bytes), not for private anon (maps shows 0)', () => {
    assert.deepEqual(verdicts('pgoff 2', vma({ inode: 12, offset: 0x2000, perms: 'rw-s' })), ['pass']);
    assert.deepEqual(verdicts('pgoff 3', vma({ inode: 12, offset: 0x2000, perms: 'rw-s' })), ['fail']);
    assert.deepEqual(verdicts('pgoff 0x10000', vma({})), ['not-observable']);
  });

  it('anon_vma has no user-space view', () => {
    assert.deepEqual(verdicts('anon_vma', vma({ anonymous: 4 })), ['not-observable']);
  });

  it('no VMA at the address: every flag fails', () => {
    assert.deepEqual(verdicts('pages 2 read', undefined), ['fail', 'fail']);
  });
});
