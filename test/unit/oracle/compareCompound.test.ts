// Engine vs real kernel for large folios (docs/real-kernel.md, "Comparison"): kpageflags
// COMPOUND_HEAD (15) / COMPOUND_TAIL (16) of each present page against the engine's folio
// order, and kpageflags' PG_dirty of a tail page, which is the folio's only from 6.9
// (fs/proc/page.c stable_page_flags(), "proc: rewrite stable_page_flags()").

import { strict as assert } from 'assert';
import { type EngineCapture, captureEngine, compareScenario, pageCode } from '../../../src/oracle/compare';
import type { OraclePage } from '../../../src/oracle/results';
import { blank, kfolio, kpage } from './oracleBlank';

// a PMD THP at buf[512..1023], written (dirty), then split by an mprotect of part of it
const THP = `sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 1024 private rw as buf
write p buf[0]
write p buf[512]
mprotect p buf[512..515] r
`;
const BUF = 0x7f0000000000;
const WATCH = [512, 600];
const watched = (text: string) => {
  const b = blank(text, { p: 101 });
  for (const s of b.res.steps) s.pages = WATCH.map((i) => kpage('p', 'buf', 0, i, BUF + i * 4096));
  return b;
};

describe('oracle capture: compound pages and a tail page\'s PG_dirty', () => {
  it('a large folio\'s first page is its head, the others tails; an order-0 page neither', () => {
    const b = blank(THP, { p: 101 });
    for (const s of b.res.steps) s.pages = [0, 511, 512, 600].map((i) => kpage('p', 'buf', 0, i, BUF + i * 4096));
    const e = captureEngine(b.scenario, b.res, { kernel: '6.12.118' });
    assert.deepEqual(e.steps[4].pages.map((p) => p!.folio!.compound), ['head', 'tail', 'head', 'tail']);
    const small = blank('process p\nmmap p anon at 0x1000000 pages 1 private rw as one\nwrite p one[0]\n', { p: 101 });
    small.res.steps[2].pages = [kpage('p', 'one', 0, 0, 0x1000000)];
    assert.equal(captureEngine(small.scenario, small.res, { kernel: '6.12.118' }).steps[2].pages[0]!.folio!.compound, null);
  });

  it('the split folio is dirty: a tail page shows PG_dirty from 6.9 on (the folio\'s flags), not before (its own page->flags)', () => {
    const at = (kernel: string) => pageCode(captureEngine(watched(THP).scenario, watched(THP).res, { kernel }).steps[5].pages[1]!);
    assert.deepEqual([at('5.15.0'), at('6.8.12'), at('6.9.0'), at('6.9.12'), at('7.0.0')], ['Axsm1', 'Axsm1', 'AxsDm1', 'AxsDm1', 'AxsDm1']);
  });
});

describe('oracle comparison: compound head/tail against the engine\'s folio order', () => {
  /** The kernel's record of the engine's own page, with kpageflags `flags`: only the compound bits can differ. */
  const same = (e: EngineCapture, i: number, j: number, flags: number): OraclePage => {
    const p = e.steps[i].pages[j]!;
    return kpage('p', 'buf', 0, WATCH[j], BUF + WATCH[j] * 4096, { present: true, file: p.file, exclusive: p.exclusive, softDirty: p.softDirty, pfn: 900 + j, pfnId: 900 + j,
      folio: kfolio({ flags, dirty: p.folio!.dirty, writeback: p.folio!.writeback, mapcount: p.folio!.mapcount, anon: true }) });
  };
  const pagesAt4 = (flags: [number, number]) => {
    const b = watched(THP);
    const e = captureEngine(b.scenario, b.res, { kernel: '6.12.118' });
    b.res.steps[4].pages = [same(e, 4, 0, flags[0]), same(e, 4, 1, flags[1])];
    const v = compareScenario(b.res, e).steps[4].values.find((x) => x.field === 'pages')!;
    return `${v.verdict}${v.reason ? `: ${v.reason}` : ''}`;
  };
  const HEAD = 1 << 15, TAIL = 1 << 16;

  it('the same head and tail on both sides agree', () => {
    assert.equal(pagesAt4([HEAD, TAIL]), 'agree');
  });

  it('a kernel page of no large folio, or the other place in one, differs with both values', () => {
    assert.equal(pagesAt4([0, TAIL]), 'differ: [512] compound: engine head, kernel none');
    assert.equal(pagesAt4([HEAD, HEAD]), 'differ: [600] compound: engine tail, kernel head');
  });
});
