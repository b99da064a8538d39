// More of the checker's rules at their edges (after checkerRules.test.ts): names that are
// reserved only for objects, a declaration refused for its size, a label whose mapping line
// did not parse, the empty scenario.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';

function diags(text: string): string[] {
  const { scenario, diagnostics } = parse(text);
  return [...diagnostics, ...check(scenario).diagnostics].map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code} ${d.message}`);
}

describe('checker: edges of names and sizes', () => {
  it('anon and zero are reserved as object names only: a process may be called so', () => {
    assert.deepEqual(diags('process anon\nprocess zero\nwrite anon 0x1000'), []);
  });

  it('an object refused for pages 0 has no size: its page indexes are not checked (one error, not a cascade)', () => {
    assert.deepEqual(diags('file f pages 0\nmkclean f[5]'), ["1:14 MMS302 file: 'pages 0' is empty; give at least 1 page"]);
  });

  it('munmap of pages 0 is measured as one page against the address space', () => {
    assert.deepEqual(diags('process p\nmunmap p 0x7fffffffe000 pages 0\nmunmap p 0x7ffffffff000 pages 0'), [
      "2:31 MMS302 munmap: 'pages 0' is empty; give at least 1 page",
      '3:10 MMS502 munmap: address 0x7ffffffff000 is outside the 47-bit user address space (TASK_SIZE 0x7ffffffff000): EINVAL',
      "3:31 MMS302 munmap: 'pages 0' is empty; give at least 1 page",
    ]);
  });

  it('pfn_mkclean through a label whose mapping line did not parse: what it maps is unknown, so no MMS214', () => {
    assert.deepEqual(diags('file f pages 1\nprocess p\nmmap p f at 0x1000 pages 1 shared rw bogus as m\npfn_mkclean f[0] p m'),
      ["3:38 MMS113 mmap: unexpected 'bogus' after the end of the statement"]);
    assert.deepEqual(diags('file f pages 1\nprocess p\nmmap p f at 0x1000 pages 1 shared rw as m\npfn_mkclean f[0] p m'), []);
  });

  it('mappings without a label declare nothing', () => {
    const { scenario } = parse('process p\nmmap p anon at 0x1000 pages 1 private rw\nmmap p anon at 0x2000 pages 1 private rw');
    const r = check(scenario);
    assert.deepEqual([r.diagnostics, r.symbols.map((s) => s.name)], [[], ['p']]);
  });

  it('the empty scenario: no diagnostic, no symbol, the default kernel', () => {
    const r = check(parse('').scenario);
    assert.deepEqual([r.diagnostics, r.symbols, r.invalid.size, r.kernel], [[], [], 0, { major: 6, minor: 15, patch: 0 }]);
  });
});
