// `mmscope explain`: plain ASCII of at most 72 columns, golden files for the examples
// (UPDATE_GOLDEN=1 npm run test:unit rewrites them; read the diff before committing).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli';
import { runText } from '../../../src/scenario/run';
import { explain, wrap } from '../../../src/views/explain';
import { sharedDir } from '../language/helpers';

const ROOT = path.resolve(__dirname, '../../../..');
const GOLDEN = path.join(ROOT, 'test/unit/views/golden');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter((f) => f.endsWith('.mms')).sort();

function cli(args: string[]): { code: number; out: string; err: string } {
  let out = '', err = '';
  const code = main(args, (s) => { out += s; }, (s) => { err += s; });
  return { code, out, err };
}

function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, actual);
  assert.ok(fs.existsSync(file), `${name} has a golden file (UPDATE_GOLDEN=1 writes it)`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from its golden file`);
}

describe('mmscope explain: text for email', () => {
  for (const f of EXAMPLES) {
    it(`${f}: the whole scenario explained matches its golden text`, () => {
      const r = cli(['explain', path.join(ROOT, 'examples', f)]);
      assert.equal(r.err, '');
      assert.equal(r.code, 0, 'every example holds');
      golden(f.replace(/\.mms$/, '.txt'), r.out);
    });
  }

  it('two kernels side by side: fb_defio on 6.14 walks with folio_mkclean, on 6.15 with mapping_wrprotect_range', () => {
    const r = cli(['explain', path.join(ROOT, 'examples/fbdefio-6.15.mms:20'), '--kernel', '6.14,6.15']);
    assert.match(r.out, /Linux 6\.14: .* \| Linux 6\.15: /);
    assert.match(r.out, /folio_mkclean\(fb0\[1\]\) ->\s+\|/);
    assert.match(r.out, /\|\s+mapping_wrprotect_range\(fb0\[1\]/);
    golden('fbdefio-6.15.L20.6.14-6.15.txt', r.out);
  });

  it('a walk says each VMA in visit order, the skipped one with its reason, and each PTE before -> after, counted or not', () => {
    const r = cli(['explain', path.join(ROOT, 'examples/mkclean-mappers.mms:17')]);
    const lines = r.out.split('\n');
    const i = lines.findIndex((l) => l.includes('rmap walk 1: folio_mkclean(f[0]), result 2'));
    assert.ok(i > 0, r.out);
    assert.match(lines[i + 1], /page pfn 0x[0-9a-f]+ -> address_space f -> i_mmap pgoff \[0\]/);
    assert.match(lines[i + 3], /^ {4}1\. a:m .* at 0x7f0000000000$/);
    assert.match(lines[i + 4], /PTE 0x7f0000000000: P RW U A D SD -> P RO U A SD, counted/);
    assert.match(lines[i + 5], /^ {4}2\. b:m /);
    assert.match(lines[i + 7], /^ {4}3\. ~c:m skipped: invalid_mkclean_vma: no VM_SHARED$/);
    assert.doesNotMatch(r.out, /L18:/, 'FILE:LINE explains that line only');
    assert.match(cli(['explain', path.join(ROOT, 'examples/mkclean-mappers.mms')]).out, /L18: expect result 2\n {2}PASS: result 2/);
  });

  it('every line of every example and shared scenario, at two kernels, is plain ASCII of at most 72 columns', () => {
    const shared = fs.readdirSync(sharedDir()).filter((f) => f.endsWith('.mms')).map((f) => path.join(sharedDir(), f));
    const files = [...EXAMPLES.map((f) => path.join(ROOT, 'examples', f)), ...shared];
    let lines = 0;
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      for (const k of ['6.14', '6.15']) {
        for (const l of explain(runText(text, { kernelOverride: k }), text)) {
          lines++;
          assert.ok(l.length <= 72, `${path.basename(f)} @${k}: ${l.length} columns: ${l}`);
          assert.match(l, /^[\x20-\x7e]*$/, `${path.basename(f)} @${k}: not ASCII: ${l}`);
        }
      }
    }
    assert.ok(lines > 1000, `${lines} lines`);
  });

  it('wrap fills words into the width, continues with the indent, and cuts a word longer than a line', () => {
    assert.deepEqual(wrap('aaa bbb ccc', 8, '  ', '    '), ['  aaa', '    bbb', '    ccc']);
    assert.deepEqual(wrap('x → y – z', 40), ['x -> y - z']);
    assert.deepEqual(wrap('0123456789abcdef', 10, '', ''), ['0123456789', 'abcdef']);
  });

  it('a failing expectation is a FAIL line with the message, and the exit status is the run\'s', () => {
    const f = path.join(ROOT, 'test/e2e/fixtures/editor/failing.mms');
    const r = cli(['explain', f]);
    assert.equal(r.code, 1);
    assert.match(r.out, /FAIL: expected p to have taken 5 page faults/);
  });

  it('refuses bad usage with exit 2: no file, a line 0, three kernels, an unknown release, an unreadable file', () => {
    assert.equal(cli(['explain']).code, 2);
    assert.match(cli(['explain', 'x.mms:0']).err, /line numbers start at 1/);
    assert.match(cli(['explain', 'x.mms', '--kernel', '6.1,6.14,6.15']).err, /one release or two/);
    assert.match(cli(['explain', 'x.mms', '--kernel', '6.x']).err, /one release or two/);
    assert.match(cli(['explain', path.join(ROOT, 'nope.mms')]).err, /cannot read/);
  });
});
