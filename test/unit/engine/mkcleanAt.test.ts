// The scenario's `mkclean OBJ[I]` (src/engine/rmap.ts folioMkcleanAt): folio_mkclean()
// (mm/rmap.c) takes a folio, so with no folio at that index (not in the page cache, or a
// PFN with no struct page behind it: a pfnmap) the kernel has nothing to call it on. The
// walk is then recorded empty and the result is 0, with a warning saying which case.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { walksOf } from './helpers';

const A = 0x10000000;
const mkclean = (text: string) => {
  const r = runText(text);
  const w = walksOf(r).pop()!;
  return {
    warnings: r.diagnostics.map((d) => `${d.range.start.line + 1} ${d.code} ${d.message}`),
    walk: `${w.api} pgoff ${w.pgoff}+${w.nr} pfn ${w.pfn === 0 ? 0 : 'set'} [${w.path.join(', ')}] visits ${w.visits.length} = ${w.result}`,
    result: r.steps[r.steps.length - 1].result,
  };
};

describe('mkclean OBJ[I]: folio_mkclean() on the folio at that index, if there is one', () => {
  it('a page not in the page cache: no call, an empty walk, result 0, and a warning', () => {
    const m = mkclean(`file f pages 2 cold\nprocess a\nmmap a f at ${A} pages 2 shared rw as m\nmkclean f[1]\n`);
    assert.deepEqual(m.warnings, ['4 MMS801 no folio at f[1] (not in the page cache): folio_mkclean() not called; result 0']);
    assert.equal(m.walk, 'folio_mkclean pgoff 1+1 pfn 0 [] visits 0 = 0');
    assert.equal(m.result, 0);
  });

  it('a pfnmap page: a PFN with no struct page, so no folio either', () => {
    const m = mkclean(`pfnmap d pages 2\nprocess a\nmmap a d at ${A} pages 2 shared rw as m\nwrite a m[0]\nmkclean d[0]\n`);
    assert.equal(m.warnings.length, 1);
    assert.match(m.warnings[0], /^5 MMS801 no struct page behind d\[0\] \(pfn 0x[0-9a-f]+\): nothing for folio_mkclean\(\); result 0$/);
    assert.equal(m.walk, 'folio_mkclean pgoff 0+1 pfn 0 [] visits 0 = 0');
  });

  it('a cached page: folio_mkclean() runs on its folio, no warning', () => {
    const m = mkclean(`file f pages 2\nprocess a\nmmap a f at ${A} pages 2 shared rw as m\nwrite a m[1]\nmkclean f[1]\n`);
    assert.deepEqual(m.warnings, []);
    assert.equal(m.walk, 'folio_mkclean pgoff 1+1 pfn set [rmap_walk_file] visits 1 = 1');
    assert.equal(m.result, 1);
  });
});
