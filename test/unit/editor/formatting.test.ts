import { strict as assert } from 'assert';
import { formatScenario } from '../../../src/language/formatting';
import { parse } from '../../../src/language';

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

  it('does not change what the scenario means (same statements, same comments)', () => {
    const src = 'process p\nmmap   p anon at 0x1000000 pages 2 private rw as heap # h\nwrite p heap[0]\nexpect pte  p heap[0] present write\n';
    const a = parse(src).scenario, b = parse(formatScenario(src)).scenario;
    assert.deepEqual(b.statements.map((s) => s.kind), a.statements.map((s) => s.kind));
    assert.deepEqual(b.comments.map((c) => c.text), a.comments.map((c) => c.text));
  });
});

describe('formatting the shared scenarios and the examples', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fs = require('fs') as typeof import('fs');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const path = require('path') as typeof import('path');
  const root = path.resolve(__dirname, '../../../..');
  const dirs = [path.join(root, 'examples'), path.resolve(root, '../shared/scenarios')].filter((d) => fs.existsSync(d));
  const files = dirs.flatMap((d) => fs.readdirSync(d).filter((f) => f.endsWith('.mms')).map((f) => path.join(d, f)));
  for (const f of files) {
    it(`${path.basename(f)}: idempotent, and the same statements and problems after formatting`, () => {
      const src = fs.readFileSync(f, 'utf8');
      const once = formatScenario(src);
      assert.equal(formatScenario(once), once);
      const a = parse(src), b = parse(once);
      assert.deepEqual(b.scenario.statements.map((s) => s.kind), a.scenario.statements.map((s) => s.kind));
      assert.deepEqual(b.diagnostics.map((d) => d.code), a.diagnostics.map((d) => d.code));
    });
  }
});
