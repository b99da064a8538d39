// The table of kernel functions the traces name (engine/kernelFunctions.ts): every call a run
// records names a function of the table, and a function's file follows the release.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { functionOfCall, sourceFileOf } from '../../../src/engine/kernelFunctions';
import { runText } from '../../../src/scenario/run';
import { kernelSourceUrl } from '../../../src/views/kernelSource';

const EXAMPLES = path.resolve(__dirname, '../../../../examples');

describe('kernel functions: one table the traces and the hover links read', () => {
  it('dup_mmap lives in kernel/fork.c until 6.15 and in mm/mmap.c from 6.16 ("mm: move dup_mmap() to mm")', () => {
    assert.equal(sourceFileOf('dup_mmap', { major: 6, minor: 1 }), 'kernel/fork.c');
    assert.equal(sourceFileOf('dup_mmap', { major: 6, minor: 15 }), 'kernel/fork.c');
    assert.equal(sourceFileOf('dup_mmap', { major: 6, minor: 16 }), 'mm/mmap.c');
    assert.equal(kernelSourceUrl('dup_mmap', '6.16'), 'https://elixir.bootlin.com/linux/v6.16/source/mm/mmap.c');
    assert.equal(kernelSourceUrl('dup_mmap', '6.1.192'), 'https://elixir.bootlin.com/linux/v6.1.192/source/kernel/fork.c');
  });

  it('a function the table places nowhere, or the model\'s own stand-in, is linked by name or not at all', () => {
    assert.equal(kernelSourceUrl('fb_release', '6.1'), 'https://elixir.bootlin.com/linux/v6.1/A/ident/fb_release');
    assert.equal(sourceFileOf('pfnmap_fault', { major: 6, minor: 15 }), undefined);
    assert.equal(functionOfCall('page->mapping = NULL'), undefined);
    assert.equal(functionOfCall('fb_deferred_io_lastclose: page->mapping = NULL'), 'fb_deferred_io_lastclose');
  });

  it('every call recorded by every example, at 6.1, 6.14, 6.15 and 6.16, names a function of the table', () => {
    let calls = 0;
    const unknown = new Set<string>();
    for (const f of fs.readdirSync(EXAMPLES).filter((n) => n.endsWith('.mms'))) {
      const text = fs.readFileSync(path.join(EXAMPLES, f), 'utf8');
      for (const kernel of ['6.1', '6.14', '6.15', '6.16']) {
        const r = runText(text, { kernelOverride: kernel });
        for (const s of r.steps) {
          for (const e of s.events) {
            const entries = e.t === 'call' ? [e.fn] : e.t === 'fault' || e.t === 'walk' ? e.path : [];
            for (const x of entries) { calls++; if (!functionOfCall(x)) unknown.add(x); }
          }
        }
      }
    }
    assert.ok(calls > 500, `${calls} calls seen`);
    assert.deepEqual([...unknown], []);
  });
});
