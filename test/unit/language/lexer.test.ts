import { strict as assert } from 'assert';
import { type Token, lex, lexLine, splitLines, tokenRange } from '../../../src/language/lexer';
import { KEYWORDS, STATEMENT_KEYWORDS } from '../../../src/language/keywords';

const kinds = (t: string): string[] => lexLine(t, 0).tokens.map(x => x.kind);
const one = (t: string): Token => {
  const toks = lexLine(t, 0).tokens;
  assert.equal(toks.length, 1, `one token in '${t}': ${JSON.stringify(toks.map(x => x.text))}`);
  return toks[0];
};

describe('language/lexer: tokens and their exact columns', () => {
  it('every token kind with its columns', () => {
    const toks = lexLine('expect walk a:m, ~b:m-2 ! [0..3] 50ms 6.15 0x10', 3).tokens;
    assert.deepEqual(toks.map(t => [t.kind, t.text, t.start, t.end]), [
      ['word', 'expect', 0, 6], ['word', 'walk', 7, 11], ['word', 'a', 12, 13], [':', ':', 13, 14], ['word', 'm', 14, 15],
      [',', ',', 15, 16], ['~', '~', 17, 18], ['word', 'b', 18, 19], [':', ':', 19, 20], ['word', 'm-2', 20, 23],
      ['!', '!', 24, 25], ['[', '[', 26, 27], ['int', '0', 27, 28], ['..', '..', 28, 30], ['int', '3', 30, 31], [']', ']', 31, 32],
      ['duration', '50ms', 33, 37], ['version', '6.15', 38, 42], ['int', '0x10', 43, 47],
    ]);
    assert.ok(toks.every(t => t.line === 3));
    assert.deepEqual(tokenRange(toks[1]), { start: { line: 3, character: 7 }, end: { line: 3, character: 11 } });
  });

  it('names are [A-Za-z_][A-Za-z0-9_-]*; keywords are flagged, case-sensitively', () => {
    assert.deepEqual(lexLine('_x-1 Foo_bar mmap MMAP', 0).tokens.map(t => [t.text, t.keyword]),
      [['_x-1', false], ['Foo_bar', false], ['mmap', true], ['MMAP', false]]);
    for (const k of STATEMENT_KEYWORDS) assert.ok(KEYWORDS.has(k), k);
    assert.ok(!KEYWORDS.has('r') && !KEYWORDS.has('rw'), 'r and rw are positional, not reserved');
  });

  it('a comment runs to the end of the line and is kept with its column', () => {
    const l = lexLine('read a m[0]   # fb0 page 2', 0);
    assert.deepEqual(l.tokens.map(t => t.text), ['read', 'a', 'm', '[', '0', ']']);
    assert.deepEqual(l.comment, { start: 14, end: 26, text: '# fb0 page 2' });
    assert.equal(lexLine('#', 0).tokens.length, 0);
  });

  it('tabs, vertical tabs, form feeds and a BOM are whitespace', () => {
    assert.deepEqual(kinds('\uFEFFprocess\ta\u000b\u000c'), ['word', 'word']);
  });
});

describe('language/lexer: integers', () => {
  it('decimal and hexadecimal, with _ between digits', () => {
    assert.equal(one('4096').value, 4096);
    assert.equal(one('1_000_000').value, 1_000_000);
    assert.equal(one('0x7f00_0000_0000').value, 0x7f00_0000_0000);
    assert.equal(one('0xDEADbeef').value, 0xdeadbeef);
    assert.equal(one('0').value, 0);
  });

  it('the largest safe integer 2^53-1 is accepted exactly', () => {
    assert.equal(one('9007199254740991').value, Number.MAX_SAFE_INTEGER);
    assert.equal(one('0x1f_ffff_ffff_ffff').value, Number.MAX_SAFE_INTEGER);
  });

  it('an integer that is not safe (>= 2^53) is refused with MMS102', () => {
    for (const t of ['9007199254740992', '0x20_0000_0000_0000', '99999999999999999999999999', '0x' + 'f'.repeat(100)]) {
      const k = one(t);
      assert.equal(k.kind, 'error', t);
      assert.equal(k.error?.code, 'MMS102', t);
      assert.match(k.error!.message, /too large/);
    }
  });

  it('misplaced _ , a bare 0x, 0X, and letters glued to a number are one malformed token (MMS103)', () => {
    for (const t of ['1__0', '1_', '0x_1', '0x', '0X10', '0xfg', '12kb', '4k']) {
      const k = one(t);
      assert.equal(k.kind, 'error', t);
      assert.equal(k.error?.code, 'MMS103', t);
      assert.equal(k.end, t.length, t);
    }
  });
});

describe('language/lexer: durations, versions, ranges', () => {
  it('durations are an integer and ms or s; value in milliseconds', () => {
    assert.deepEqual([one('50ms').kind, one('50ms').value], ['duration', 50]);
    assert.deepEqual([one('1s').kind, one('1s').value], ['duration', 1000]);
    assert.equal(one('1_000ms').value, 1000);
    assert.equal(one('9007199254740991s').kind, 'error', 'a duration whose milliseconds overflow');
  });

  it('MAJOR.MINOR is a version token; I..J is int, .., int', () => {
    assert.equal(one('6.14').kind, 'version');
    assert.deepEqual(kinds('0..3'), ['int', '..', 'int']);
    assert.deepEqual(kinds('m[10..0x1f]'), ['word', '[', 'int', '..', 'int', ']']);
  });

  it('a single . is an error with a hint', () => {
    const l = lexLine('m[0.]', 0).tokens;
    assert.ok(l.some(t => t.kind === 'error' && /I\.\.J/.test(t.error!.message)));
  });
});

describe('language/lexer: unexpected characters', () => {
  it('each unexpected character is one error token naming it (MMS101)', () => {
    const l = lexLine('process a $ é', 0).tokens;
    const errs = l.filter(t => t.kind === 'error');
    assert.deepEqual(errs.map(t => [t.start, t.error?.code, t.error?.message]), [
      [10, 'MMS101', `unexpected character '$'`],
      [12, 'MMS101', `unexpected character 'é' (U+00E9)`],
    ]);
  });

  it('control characters and a no-break space are named by code point; a surrogate pair is one token', () => {
    assert.match(one('\u0000').error!.message, /control character U\+0000/);
    assert.match(lexLine('\u00a0x', 0).tokens[0].error!.message, /no-break space U\+00A0/);
    const emoji = lexLine('😀', 0).tokens;
    assert.deepEqual(emoji.map(t => [t.start, t.end]), [[0, 2]]);
    assert.match(lexLine('\ud800', 0).tokens[0].error!.message, /unpaired surrogate/);
  });

  it('lexing goes on after an error, so later tokens are still seen', () => {
    assert.deepEqual(kinds('a $ b'), ['word', 'error', 'word']);
  });
});

describe('language/lexer: documents', () => {
  it('splitLines splits at \\r\\n, \\n and a lone \\r; the empty text is one line', () => {
    assert.deepEqual(splitLines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(splitLines(''), ['']);
    assert.deepEqual(splitLines('a\n'), ['a', '']);
  });

  it('lex() numbers lines and reports each error token as a diagnostic', () => {
    const r = lex('process a\n$\n0x');
    assert.equal(r.lines.length, 3);
    assert.deepEqual(r.diagnostics.map(d => [d.range.start.line, d.code]), [[1, 'MMS101'], [2, 'MMS103']]);
  });
});
