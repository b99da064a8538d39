import { strict as assert } from 'assert';
import { runText } from '../../src/scenario/run';

describe('a refused mmap is reported once, not on every later use of its label', () => {
  it('an fbdev mapping past the device end (EINVAL) gives one error; the write on its label adds none; an expectation on it fails with the reason', () => {
    const r = runText([
      'fbdev fb pages 2', 'process a',
      'mmap a fb at 0x7f0000000000 pages 4 shared rw as m',
      'write a m[0]', 'expect pte a m[0] none',
    ].join('\n'));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => [d.range.start.line, d.code]), [[2, 'MMS502'], [4, 'MMS701']]);
    assert.match(errors[1].message, /the mapping m of a was refused earlier/);
    assert.equal(r.exitStatus, 2);
  });
  it('after a mapping call the kernel refuses, the rest of the file is still checked (spec): its expectations are evaluated, exit 2', () => {
    for (const refused of [
      'mmap p fb0 at 0x7f0000000000 pages 8 shared rw as fb',   // EINVAL: past the fbdev's end (MMS502, checker)
      'mmap p f at 0x7ffffffff000 pages 4 shared rw as fb',     // ENOMEM: past the 47-bit user space (MMS501, checker)
      'mmap p f at 0x7e0000000000 pages 2 shared rw as fb',     // EEXIST: overlaps m (MMS503, run)
    ]) {
      const r = runText([
        'fbdev fb0 pages 4', 'file f pages 4', 'process p',
        'mmap p f at 0x7e0000000000 pages 4 shared rw as m',
        refused,
        'write p m[0]',
        'expect faults p 1', 'expect faults p 5', 'expect pte p m[0] present write dirty',
      ].join('\n'));
      const errors = r.diagnostics.filter((d) => d.severity === 'error');
      assert.deepEqual(errors.map((d) => [d.range.start.line, d.code]).slice(1), [[7, 'MMS701']], `${refused}: ${JSON.stringify(errors)}`);
      assert.ok(['MMS501', 'MMS502', 'MMS503'].includes(errors[0].code) && errors[0].range.start.line === 4, refused);
      assert.deepEqual([r.passed, r.failed], [2, 1], refused);
      assert.equal(r.exitStatus, 2, refused);
    }
  });
  it('a language error (an unknown name) still stops expectations from being evaluated', () => {
    const r = runText(['process p', 'mmap p nosuch at 0x1000000 pages 1 shared rw as m', 'expect faults p 3'].join('\n'));
    assert.deepEqual([r.passed, r.failed], [0, 0]);
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
