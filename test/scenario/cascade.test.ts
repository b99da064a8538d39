import { strict as assert } from 'assert';
import { runText } from '../../src/scenario/run';

describe('a refused mmap is reported once, not on every later use of its label', () => {
  it('an fbdev mapping past the device end (EINVAL) gives one error; the write and expect on its label add none', () => {
    const r = runText([
      'fbdev fb pages 2', 'process a',
      'mmap a fb at 0x7f0000000000 pages 4 shared rw as m',
      'write a m[0]', 'expect pte a m[0] none',
    ].join('\n'));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => [d.range.start.line, d.code]), [[2, 'MMS502']]);
    assert.equal(r.exitStatus, 2);
  });
  it('an mmap overlapping an existing one (refused at run time) is reported once; an expectation on it fails with the reason', () => {
    const r = runText([
      'process a',
      'mmap a anon at 0x1000000 pages 4 private rw as h',
      'mmap a anon at 0x1002000 pages 4 private rw as g',
      'write a g[0]', 'expect pte a h[0] none',
    ].join('\n'));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => [d.range.start.line, d.code]), [[2, 'MMS503']]);
  });
});
