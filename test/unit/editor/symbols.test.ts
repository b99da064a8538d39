import { strict as assert } from 'assert';
import { documentOutline, referencesAt, renameAt } from '../../../src/language/symbols';
import { check, parse } from '../../../src/language';

const SRC = [
  'file data pages 4',          // 0
  'process p',                  // 1
  'mmap p data at 0x7f0000000000 pages 4 shared rw as m', // 2
  'write p m[0]',               // 3
  'fork p as q',                // 4
  'write q m[1]',               // 5
  'expect folio data[0] dirty', // 6
].join('\n');
const chk = check(parse(SRC).scenario);

describe('symbols: outline, references, rename', () => {
  it('outlines objects and processes, with each process\'s mappings as children', () => {
    const o = documentOutline(chk);
    assert.deepEqual(o.map((n) => [n.kind, n.name]), [['object', 'data'], ['process', 'p'], ['process', 'q']]);
    assert.deepEqual(o[1].children.map((c) => c.name), ['m']);
    assert.match(o[0].detail, /file, 4 pages/);
  });

  it('finds the declaration and every use of a process', () => {
    const refs = referencesAt(chk, 3, 6); // `p` in `write p m[0]`
    assert.deepEqual(refs.map((r) => r.start.line), [1, 2, 3, 4]);
  });

  it('renames an object at its declaration and every use', () => {
    const r = renameAt(chk, 6, 14, 'blob'); // `data` in `expect folio data[0]`
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual(r.ranges.map((x) => x.start.line).sort(), [0, 2, 6]);
  });

  it('refuses a rename to a keyword, a reserved name or a name already taken', () => {
    const kw = renameAt(chk, 1, 8, 'write');
    assert.ok(!kw.ok && /keyword/.test(kw.message));
    const res = renameAt(chk, 1, 8, 'anon');
    assert.ok(!res.ok);
    const taken = renameAt(chk, 1, 8, 'data');
    assert.ok(!taken.ok && /already declared/.test(taken.message));
    const bad = renameAt(chk, 1, 8, '9lives');
    assert.ok(!bad.ok && /not a name/.test(bad.message));
  });

  it('refuses to rename a keyword position', () => {
    assert.ok(!renameAt(chk, 3, 1, 'x').ok);
  });
});
