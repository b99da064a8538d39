import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { fmt, parseAndCheck, sharedDir } from './helpers';

const dir = path.join(sharedDir(), 'scenarios');
const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');

describe('language: the shared scenarios (the language contract)', () => {
  it('the shared scenario directory exists (set MMSCOPE_SHARED to point elsewhere)', () => {
    assert.ok(fs.existsSync(dir), `no ${dir}`);
  });

  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.mms')).sort() : [];

  it('there are shared scenarios to check', () => {
    assert.ok(files.length >= 10, `only ${files.length} scenarios in ${dir}`);
  });

  for (const f of files) {
    it(`${f} parses and checks with no diagnostic at all`, () => {
      const r = parseAndCheck(read(f));
      assert.deepEqual(r.all.map(fmt), []);
      assert.equal(r.result.invalid.size, 0);
      assert.ok(r.scenario.statements.length > 0);
    });
  }

  it('they parse the same with CRLF line ends', () => {
    for (const f of files) {
      const lf = parseAndCheck(read(f));
      const crlf = parseAndCheck(read(f).replace(/\r?\n/g, '\r\n'));
      assert.deepEqual(crlf.all, []);
      assert.deepEqual(JSON.stringify(crlf.scenario.statements), JSON.stringify(lf.scenario.statements), f);
    }
  });
});

describe('language: invalid/broken-syntax.mms reports every error, one per line, at its column', () => {
  const file = path.join(dir, 'invalid', 'broken-syntax.mms');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lineText = text.split(/\r?\n/);
  const col = (line1: number, sub: string): number => {
    const c = lineText[line1 - 1].indexOf(sub);
    assert.ok(c >= 0, `'${sub}' not on line ${line1}`);
    return c;
  };
  // checked in each test, not when the suite is defined (mutation testing's per-test coverage)
  const get = () => {
    const r = parseAndCheck(text);
    const errs = r.all.filter(d => d.severity === 'error');
    return { r, errs, on: (line1: number) => errs.filter(d => d.range.start.line === line1 - 1) };
  };

  it('exactly one error on each of lines 4..9 and none elsewhere', () => {
    const { r, errs } = get();
    assert.ok(text.length > 0, `no ${file}`);
    assert.deepEqual(errs.map(d => d.range.start.line + 1).sort((a, b) => a - b), [4, 5, 6, 7, 8, 9], errs.map(fmt).join('\n'));
    assert.deepEqual(r.all.filter(d => d.severity !== 'error').map(fmt), []);
  });

  it('line 4: unknown object nosuchfile, at the name', () => {
    const { on } = get();
    const [d] = on(4);
    assert.equal(d.code, 'MMS202');
    assert.equal(d.range.start.character, col(4, 'nosuchfile'));
    assert.equal(d.range.end.character, col(4, 'nosuchfile') + 'nosuchfile'.length);
    assert.match(d.message, /unknown object 'nosuchfile'/);
  });

  it('line 5: unaligned mmap address, at the address', () => {
    const { on } = get();
    const [d] = on(5);
    assert.equal(d.code, 'MMS301');
    assert.equal(d.range.start.character, col(5, '0x1001'));
    assert.match(d.message, /not page-aligned/);
  });

  it('line 6: unknown process nobody, at the name', () => {
    const { on } = get();
    const [d] = on(6);
    assert.equal(d.code, 'MMS201');
    assert.equal(d.range.start.character, col(6, 'nobody'));
  });

  it('line 7: unknown statement frobnicate, at column 1', () => {
    const { on } = get();
    const [d] = on(7);
    assert.equal(d.code, 'MMS110');
    assert.equal(d.range.start.character, 0);
    assert.match(d.message, /^unknown statement 'frobnicate' \(expected one of: /);
  });

  it('line 8: unknown PTE flag shiny, at the flag (label m of line 4 is still known)', () => {
    const { on } = get();
    const [d] = on(8);
    assert.equal(d.code, 'MMS114');
    assert.equal(d.range.start.character, col(8, 'shiny'));
  });

  it('line 9: mapping beyond the 47-bit user address space is ENOMEM, at the page count', () => {
    const { on } = get();
    const [d] = on(9);
    assert.equal(d.code, 'MMS501');
    assert.equal(d.range.start.character, col(9, '0x1_0000_0000_0000'));
    assert.match(d.message, /47-bit user address space.*ENOMEM/);
  });

  it('the statements with errors are invalid, the good ones are not', () => {
    const { r } = get();
    const bad = [...r.result.invalid].map(s => s.range.start.line + 1).sort((a, b) => a - b);
    assert.deepEqual(bad, [4, 5, 6, 9]);
  });
});

describe('language: invalid/wrprotect-before-6.15.mms', () => {
  const file = path.join(dir, 'invalid', 'wrprotect-before-6.15.mms');
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';

  it('reports the kernel-version error at the wrprotect line, and nothing else', () => {
    assert.ok(text.length > 0, `no ${file}`);
    const r = parseAndCheck(text);
    const line = text.split(/\r?\n/).findIndex(l => l.startsWith('wrprotect'));
    assert.deepEqual(r.all.map(d => [d.range.start.line, d.range.start.character, d.severity, d.code]), [[line, 0, 'error', 'MMS401']]);
    assert.match(r.all[0].message, /6\.15.*6\.14/);
    assert.deepEqual(r.result.kernel, { major: 6, minor: 14, patch: 0 });
  });
});
