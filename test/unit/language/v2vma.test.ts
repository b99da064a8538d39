// Language v2 VMA statements: mremap, expect vma / vmas / i_mmap / error, expect walk API
// (../shared/spec/scenario-language.md "VMA merging and VMA expectations", "mremap",
// "Several walks in one statement"): parse, check, complete.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { completionsAt } from '../../../src/language/completion';

const SRC = 'file f pages 4\nprocess p\nmmap p f at 0x10000000 pages 4 shared rw as m\n';
const stmt = (line: string) => {
  const r = parse(SRC + line);
  assert.deepEqual(r.diagnostics.map((d) => d.message), []);
  return r.scenario.statements[r.scenario.statements.length - 1];
};
const checkErrors = (line: string) => check(parse(SRC + line).scenario).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
const labels = (line: string) => completionsAt(line, line.length, check(parse(SRC).scenario)).map((e) => e.label);

describe('language v2: VMA statements', () => {
  it('mremap PROC SPEC to ADDR [pages N] and mremap PROC SPEC pages N', () => {
    const a = stmt('mremap p m[0..1] to 0x30000000 pages 4');
    assert.ok(a.kind === 'mremap' && a.to?.value === 0x30000000 && a.newPages?.value === 4 && a.spec.kind === 'label');
    const b = stmt('mremap p 0x10000000 pages 2 pages 3');
    assert.ok(b.kind === 'mremap' && !b.to && b.newPages?.value === 3 && b.spec.kind === 'addr');
    assert.match(parse(SRC + 'mremap p m').diagnostics[0].message, /'pages' or 'to'/);
  });

  it('expect vma flags with values and negation; an unknown flag is MMS120', () => {
    const s = stmt('expect vma p m[1] start 0x10000000 end 0x10004000 pages 4 pgoff 0 shared !private read write !none softdirty !anon_vma');
    assert.ok(s.kind === 'expect_vma');
    assert.equal(s.flags.length, 11);
    assert.equal(parse(SRC + 'expect vma p m[1] huge').diagnostics[0].code, 'MMS120');
  });

  it('expect vmas, expect i_mmap (PROC:LABEL[I], none), expect error', () => {
    assert.equal(stmt('expect vmas p 1').kind, 'expect_vmas');
    const i = stmt('expect i_mmap f p:m, p:m[2]');
    assert.ok(i.kind === 'expect_i_mmap' && i.entries.length === 2 && i.entries[1].index?.value === 2);
    assert.ok(stmt('expect i_mmap f none').kind === 'expect_i_mmap');
    const e = stmt('mmap p anon at 0x1001 pages 1 private rw\nexpect error EINVAL');
    assert.ok(e.kind === 'expect_error' && e.errno.name === 'EINVAL');
  });

  it('expect walk API ... and expect walk API none; v1 expect walk still parses', () => {
    const w = stmt('expect walk folio_mkclean p:m');
    assert.ok(w.kind === 'expect_walk' && w.api?.name === 'folio_mkclean' && w.entries.length === 1);
    const n = stmt('expect walk try_to_unmap none');
    assert.ok(n.kind === 'expect_walk' && n.api?.name === 'try_to_unmap' && n.entries.length === 0);
    const v1 = stmt('expect walk p:m');
    assert.ok(v1.kind === 'expect_walk' && !v1.api);
  });

  it('the checker: unknown walk API (MMS215), unknown errno (MMS216), expect error not after a statement (MMS217), labels in i_mmap', () => {
    assert.match(checkErrors('expect walk folio_mkclen p:m')[0], /^MMS215 .*did you mean 'folio_mkclean'/);
    assert.match(checkErrors('mremap p m pages 8\nexpect error ENOMEN')[0], /^MMS216/);
    assert.match(checkErrors('expect vmas p 1\nexpect error ENOMEM')[0], /^MMS217/);
    assert.match(checkErrors('expect i_mmap f p:x')[0], /^MMS203/);
    assert.deepEqual(checkErrors('mremap p m pages 8\nexpect vma p m[7] pages 8'), [], 'a grown label names its new pages');
  });

  it('completion: mremap clauses, VMA flags, errnos, walk APIs, PROC:LABEL for i_mmap', () => {
    assert.deepEqual(labels('mremap p m '), ['to', 'pages']);
    assert.deepEqual(labels('mremap p m to 0x30000000 '), ['pages']);
    assert.ok(labels('expect vma p m[0] ').includes('!anon_vma'));
    assert.ok(labels('expect error ').includes('EFAULT'));
    assert.ok(labels('expect walk ').includes('folio_mkclean'));
    assert.ok(labels('expect walk folio_mkclean ').includes('p:m'));
    assert.ok(labels('expect i_mmap f ').includes('p:m'));
  });
});
