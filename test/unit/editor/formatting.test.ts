import { strict as assert } from 'assert';
import { formatScenario } from '../../../src/language/formatting';
import fc from 'fast-check';
import { parse } from '../../../src/language';
import { sharedScenarios } from '../language/helpers';
import { anyScenario, scenarioText } from '../fuzz/gen';
import { SEED } from '../fuzz/harness';

/**
 * What a scenario means to the parser: the AST with every field and value, the comments and
 * the diagnostics. Formatting moves text within a line only, so a range is kept as its line;
 * blanks at the end of a comment are not part of its meaning.
 */
function meaning(text: string): unknown {
  const { scenario: parsed, diagnostics } = parse(text);
  const scenario = { ...parsed, comments: parsed.comments.map((c) => ({ ...c, text: c.text.replace(/[ \t\v\f\uFEFF]+$/, '') })) };
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if ('start' in o && 'end' in o && Object.keys(o).length === 2) return { line: (o.start as { line: number }).line };
      return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, strip(x)]));
    }
    return v;
  };
  return strip({ scenario, diagnostics });
}

/** Formatting `src` keeps its meaning, and formatting is idempotent. */
function assertSameMeaning(src: string): void {
  const once = formatScenario(src);
  assert.deepEqual(meaning(once), meaning(src), `formatting changed the meaning of ${JSON.stringify(src)}\n-> ${JSON.stringify(once)}`);
  assert.equal(formatScenario(once), once, `not idempotent on ${JSON.stringify(src)}`);
}

describe('formatting', () => {
  it('aligns the process column of consecutive statements of the same kind', () => {
    const out = formatScenario('mmap xorg fb0 at 0x7f0000000000 pages 4 shared rw as fb\nmmap app fb0 at 0x7e0000000000 pages 2 offset 2 shared rw as fb\n');
    assert.equal(out, 'mmap xorg fb0 at 0x7f0000000000 pages 4 shared rw as fb\nmmap app  fb0 at 0x7e0000000000 pages 2 offset 2 shared rw as fb\n');
  });

  it('aligns trailing comments within a paragraph and keeps their text', () => {
    const out = formatScenario('write xorg fb[1]\nwrite app fb[0]  #   fb0 page 2\nwait 50ms # deferred work\n');
    assert.equal(out, 'write xorg fb[1]\nwrite app  fb[0]  #   fb0 page 2\nwait 50ms         # deferred work\n');
  });

  it('collapses runs of spaces and strips indentation and trailing blanks', () => {
    assert.equal(formatScenario('   process    p   \n\t# note  \n'), 'process p\n# note\n');
  });

  it('keeps blank lines and CRLF line ends', () => {
    assert.equal(formatScenario('process p\r\n\r\nprocess  q\r\n'), 'process p\r\n\r\nprocess q\r\n');
  });

  it('aligns runs of the same statement only: two columns, three for one kind of expectation', () => {
    assert.equal(formatScenario('write p h[0]\nwrite longer h[1]\nread p h[0]\n'), 'write p      h[0]\nwrite longer h[1]\nread p h[0]\n');
    assert.equal(formatScenario('expect pte p h[0] present\nexpect pte longer h[1] dirty\n'), 'expect pte p      h[0] present\nexpect pte longer h[1] dirty\n');
    assert.equal(formatScenario('expect pte p h[0] present\nexpect folio f[0] dirty\n'), 'expect pte p h[0] present\nexpect folio f[0] dirty\n');
    assert.equal(formatScenario('expect faults p 1\nexpect faults longer 2\n'), 'expect faults p      1\nexpect faults longer 2\n');
  });

  it('never pads the last word of a line, nor a column past the aligned ones', () => {
    assert.equal(formatScenario('process a\nprocess bbb\n'), 'process a\nprocess bbb\n');
    assert.equal(formatScenario('write longname\nwrite p h[0]\n'), 'write longname\nwrite p h[0]\n');
    assert.equal(formatScenario('write p\nwrite longname h[0]\n'), 'write p\nwrite longname h[0]\n');
    assert.equal(formatScenario('mmap a anonymous at 0x1 pages 1 private rw as h\nmmap bb f at 0x2000 pages 1 shared r as m\n'),
      'mmap a  anonymous at 0x1 pages 1 private rw as h\nmmap bb f at 0x2000 pages 1 shared r as m\n');
  });

  it('aligns a trailing comment after the longest commented line of its paragraph only; comment lines stay at column 0', () => {
    assert.equal(formatScenario('process p # a\nprocess longname_without_comment\n'), 'process p  # a\nprocess longname_without_comment\n');
    assert.equal(formatScenario('process p # a\n   # a comment line\nwait 1ms # b\n\nprocess longer_name # c\n'),
      'process p  # a\n# a comment line\nwait 1ms   # b\n\nprocess longer_name  # c\n');
    assert.equal(formatScenario('process p # gap\n', { commentGap: 4 }), 'process p    # gap\n');
  });

  it('blanks at the end of a comment go, blanks inside it stay', () => {
    assert.equal(formatScenario('process p #  two  spaces \t \n'), 'process p  #  two  spaces\n');
  });

  it('is idempotent', () => {
    const src = [
      'kernel 6.15', 'fbdev fb0 pages 4 backing vmalloc delay 50ms', 'process xorg', 'process app',
      'mmap xorg fb0 at 0x7f0000000000 pages 4 shared rw as fb', 'mmap app  fb0 at 0x7e0000000000 pages 2 offset 2 shared rw as fb',
      'write xorg fb[1]', 'write app  fb[0]                 # fb0 page 2', 'expect defio fb0 pending 2',
      'wait 50ms                        # deferred work', 'expect pte xorg fb[1] present !write !dirty', 'expect pte app fb[0] present !write !dirty',
    ].join('\n');
    const once = formatScenario(src);
    assert.equal(formatScenario(once), once);
  });

  it('keeps the meaning of a scenario: every AST field and value (the formatter is checked against this)', () => {
    const src = 'process p\nmmap   p anon at 0x1000000 pages 2 private rw as heap # h\nwrite p heap[0]\nexpect pte  p heap[0] present write\n';
    assertSameMeaning(src);
    // and the comparison sees a change of meaning: a flag lost, a negation, a version, a value
    for (const [a, b] of [['!dirty', 'dirty'], ['kernel 6.15', 'kernel 6.14'], ['pages 2', 'pages 3'], ['as heap', 'as heaq']]) {
      const text = `kernel 6.15\nprocess p\nmmap p anon at 0x1000000 pages 2 private rw as heap\nexpect pte p heap[0] present !dirty\n`;
      assert.throws(() => assert.deepEqual(meaning(text.replace(a, b)), meaning(text)), assert.AssertionError, `${a} -> ${b}`);
    }
  });
});

describe('formatting the shared scenarios, the examples and fuzzed input keeps their meaning', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('path') as typeof import('path');
  const root = path.resolve(__dirname, '../../../..');
  const dirs = [path.join(root, 'examples'), sharedScenarios(), path.join(sharedScenarios(), 'invalid')];
  const files = dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.mms')).map((f) => path.join(d, f)));
  it('has examples and shared scenarios to format', () => {
    for (const d of dirs) assert.ok(files.some((f) => path.dirname(f) === d), `no .mms file in ${d}`);
  });
  for (const f of files) {
    it(`${path.relative(path.dirname(path.dirname(f)), f)}: the same AST (every field), comments and problems after formatting; idempotent`, () => {
      assertSameMeaning(fs.readFileSync(f, 'utf8'));
    });
  }
  it('grammar-generated scenarios', () => {
    fc.assert(fc.property(scenarioText(30), assertSameMeaning), { numRuns: 150, seed: SEED });
  });
  it('token- and byte-mutated scenarios (broken statements keep their diagnostics)', () => {
    fc.assert(fc.property(anyScenario(20), assertSameMeaning), { numRuns: 300, seed: SEED + 7 });
  });
});
