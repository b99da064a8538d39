import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import type { Range } from '../../../src/language/ast';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { splitLines } from '../../../src/language/lexer';
import { sharedDir } from './helpers';

/** Problems with ranges: every one lies inside the document and start <= end. */
function rangeProblems(text: string): string[] {
  const ls = splitLines(text);
  const bad: string[] = [];
  const ok = (r: Range, what: string): void => {
    const inside = (p: { line: number; character: number }) =>
      Number.isInteger(p.line) && Number.isInteger(p.character) && p.line >= 0 && p.line < ls.length &&
      p.character >= 0 && p.character <= ls[p.line].length;
    if (!inside(r.start) || !inside(r.end)) bad.push(`${what}: ${JSON.stringify(r)} outside the document`);
    else if (r.start.line > r.end.line || (r.start.line === r.end.line && r.start.character > r.end.character)) bad.push(`${what}: start after end`);
  };
  const { scenario, diagnostics } = parse(text);
  const res = check(scenario);
  if (scenario.lineCount !== ls.length) bad.push(`lineCount ${scenario.lineCount} != ${ls.length}`);
  for (const d of [...diagnostics, ...res.diagnostics]) {
    ok(d.range, `${d.code} ${d.message}`);
    for (const r of d.related ?? []) ok(r.range, `${d.code} related`);
    if (d.code === 'MMS199' || d.code === 'MMS299') bad.push(`internal error: ${d.message}`);
  }
  // every range anywhere in the AST
  const walk = (v: unknown, where: string): void => {
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if ('start' in o && 'end' in o && typeof o.start === 'object') { ok(o as unknown as Range, where); return; }
    for (const [k, x] of Object.entries(o)) walk(x, `${where}.${k}`);
  };
  walk(scenario, 'ast');
  for (const s of res.symbols) {
    ok(s.decl, `symbol ${s.name}`);
    for (const r of s.refs) ok(r, `ref ${s.name}`);
  }
  return bad;
}

const VOCAB = [
  'kernel', '6.15', '6.1', 'sysctl', 'fault_around_bytes', 'file', 'shmem', 'fbdev', 'pfnmap', 'process', 'fork', 'as', 'exit',
  'mmap', 'munmap', 'mprotect', 'read', 'write', 'mkclean', 'wrprotect', 'pfn_mkclean', 'writeback', 'msync', 'unmap_range',
  'flush', 'clear_refs', 'softdirty', 'wait', 'expect', 'pte', 'folio', 'result', 'walk', 'faults', 'signal', 'defio', 'oops',
  'pending', 'written', 'none', 'present', 'dirty', 'young', 'special', 'maps', 'pfn', 'cached', 'mapcount', 'mapping', 'index',
  'anon', 'zero', 'at', 'pages', 'offset', 'shared', 'private', 'r', 'rw', 'cold', 'backing', 'vmalloc', 'carveout', 'delay',
  'sorted', 'SIGSEGV', 'SIGBUS', 'a', 'b', 'f', 'fb', 'm', '0', '1', '3', '0x1000', '0x7fffffffe000', '0x1_0000_0000_0000',
  '50ms', '1s', '[', ']', '..', ',', ':', '~', '!', '#', '\n', '\r\n', '\t', ' ', '9007199254740992', '0x', '.', '$', 'é',
];

const soup = fc.array(fc.constantFrom(...VOCAB), { maxLength: 60 }).map(ws => ws.join(' '));

describe('language: any input parses and checks without throwing, with ranges inside the document', function () {
  this.timeout(60_000);
  it('random strings (any UTF-16, including lone surrogates and control characters)', () => {
    const utf16 = fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 300 }).map(cs => String.fromCharCode(...cs));
    fc.assert(fc.property(utf16, s => {
      assert.deepEqual(rangeProblems(s), []);
    }), { numRuns: 400 });
  });

  it('random token soup built from the language vocabulary', () => {
    fc.assert(fc.property(soup, s => {
      assert.deepEqual(rangeProblems(s), []);
    }), { numRuns: 1500 });
  });

  it('the shared scenarios with random characters deleted, inserted or lines swapped', () => {
    const dir = path.join(sharedDir(), 'scenarios');
    const texts = fs.existsSync(dir) ? fs.readdirSync(dir).filter(f => f.endsWith('.mms')).map(f => fs.readFileSync(path.join(dir, f), 'utf8')) : [];
    assert.ok(texts.length > 0);
    fc.assert(fc.property(
      fc.nat(texts.length - 1), fc.array(fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...VOCAB)), { minLength: 1, maxLength: 8 }),
      (which, edits) => {
        let t = texts[which];
        for (const [at, len, ins] of edits) {
          const i = at % (t.length + 1);
          t = t.slice(0, i) + (len % 3 === 0 ? ins : '') + t.slice(i + (len % 5));
        }
        assert.deepEqual(rangeProblems(t), []);
      }), { numRuns: 600 });
  });

  it('pathological inputs: NULs, a 1 MB line, 50,000 empty lines, only separators, non-string input', () => {
    for (const t of ['\0\0\0', 'x'.repeat(1 << 20), '\n'.repeat(50_000), '\r'.repeat(1000), '[[[[]]]]....,,,::~~!!',
      'expect pte a m[0] ' + '!'.repeat(10_000), 'mmap '.repeat(20_000), '0'.repeat(100_000), 'kernel ' + '6.'.repeat(1000) + '1']) {
      assert.deepEqual(rangeProblems(t), [], t.slice(0, 40));
    }
    assert.doesNotThrow(() => parse(undefined as unknown as string));
    assert.doesNotThrow(() => parse(42 as unknown as string));
  });

  it('a very long message subject is shortened in the message', () => {
    const { diagnostics } = parse('x'.repeat(5000));
    assert.equal(diagnostics.length, 1);
    assert.ok(diagnostics[0].message.length < 400);
  });
});

/** A scenario of `n` statements in the mix of the shared scenarios (mappings, accesses, expectations). */
export function generated(n: number): string {
  const ls = ['file f pages 1024', 'fbdev fb pages 64'];
  for (let p = 0; ls.length < n; p++) {
    ls.push(`process p${p}`, `mmap p${p} f at 0x10000000 pages 1024 shared rw as m  # c`, `mmap p${p} anon at 0x1000000 pages 16 private rw as h`);
    for (let i = 0; i < 10; i++) ls.push(`write p${p} m[${i}..${i + 3}]`, `expect pte p${p} m[${i}] present write dirty maps f[${i}]`, `expect folio f[${i}] dirty !writeback`);
    ls.push('mkclean f[3]', 'expect result 1', `expect walk p${p}:m`, 'wait 50ms', 'expect defio fb written 1, 2');
  }
  return ls.slice(0, n).join('\n');
}

// How parse + check scale (10x the statements, about 10x the CPU time) and that a fork shares
// the parent's label tree are timings: `npm run bench` measures them (figure 4b). The unit
// tests below check what those scenarios must give, not how long they take.

describe('language: large generated scenarios parse and check cleanly', () => {
  it('100,000 statements of the shared scenarios\' mix: every statement parsed, no diagnostic', function () {
    this.timeout(120_000);
    const { scenario, diagnostics } = parse(generated(100_000));
    const res = check(scenario);
    assert.deepEqual([...diagnostics, ...res.diagnostics].map((d) => d.message), []);
    assert.equal(scenario.statements.length, 100_000);
  });
});

describe('language: labels through 4,000 forks (the label tree a fork shares)', () => {
  const text = (labels: number, extra: string[] = []): string => {
    const ls = ['process a'];
    for (let i = 0; i < labels; i++) ls.push(`mmap a anon at ${0x10000 * (i + 1)} pages 1 private rw as l${i}`);
    for (let i = 0; i < 4000; i++) ls.push(`fork a as c${i}`, `read c${i} l${i % labels}[0]`);
    return [...ls, ...extra].join('\n');
  };
  it('every child sees every label of its parent (4,000 labels, 4,000 forks): no diagnostic', function () {
    this.timeout(60_000);
    const { scenario, diagnostics } = parse(text(4000, ['read c3999 l0[0]', 'read c0 l3999[0]']));
    assert.deepEqual([...diagnostics, ...check(scenario).diagnostics].map((d) => d.message), []);
  });
  it('a label a child adds after the fork is its own: the parent and the other children do not see it (MMS203)', () => {
    const { scenario } = parse(text(400, ['mmap c7 anon at 0x70000000 pages 1 private rw as mine', 'read c7 mine[0]', 'read a mine[0]', 'read c8 mine[0]']));
    const d = check(scenario).diagnostics.filter((x) => x.severity === 'error');
    assert.deepEqual(d.map((x) => `${x.range.start.line}:${x.code}`), [`${1 + 400 + 8000 + 2}:MMS203`, `${1 + 400 + 8000 + 3}:MMS203`]);
  });
  it('a label the parent adds after the fork is not inherited by the earlier children (MMS203)', () => {
    const { scenario } = parse(text(400, ['mmap a anon at 0x70000000 pages 1 private rw as late', 'read a late[0]', 'read c0 late[0]']));
    const d = check(scenario).diagnostics.filter((x) => x.severity === 'error');
    assert.deepEqual(d.map((x) => `${x.range.start.line}:${x.code}`), [`${1 + 400 + 8000 + 2}:MMS203`]);
  });
});
