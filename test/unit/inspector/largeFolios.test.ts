// The inspector's step detail for large folios: a page of a large folio says head or
// tail and the order (as /proc/kpageflags does), its mapcount is kpagecount's, folio
// flags are the head's; a PMD leaf's PTEs carry `PMD` in their flags; the huge zero
// page is shown as such.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { buildStepDetail, StateAtStep, mapsOf } from '../../../src/views/stepDetail';
import { formatPteFlags } from '../../../src/engine/pte';
import { namesOf } from '../../../src/views/names';
import { InspectorSession } from '../../../src/views/inspectorService';
import { buildStepDetailFromTrace } from '../../../src/views/stepDetailFromTrace';
import { stripText } from '../../../webview/cells';
import { TraceIndex } from '../../../src/scenario/timeTravel';

const SHMEM = `kernel 6.12
shmem s pages 512 huge always
process a
mmap a s at 0x7f0000000000 pages 512 shared rw as m
write a m[3]
`;

describe('inspector: large folios', () => {
  it('folio rows: head/tail with the order, kpagecount, the head\'s flags; PTE rows of a PMD say PMD', () => {
    const r = runText(SHMEM);
    assert.equal(r.exitStatus, 0);
    const s = r.steps.length - 1;
    const d = buildStepDetail(r, SHMEM, s, new StateAtStep(r).engineAt(s));
    const obj = d.objects.find((o) => o.name === 's')!;
    const f0 = obj.folios.find((f) => f.index === 0)!, f3 = obj.folios.find((f) => f.index === 3)!;
    assert.ok(f0.flags.includes('head, order 9'), f0.flags.join(','));
    assert.ok(f3.flags.some((x) => x.startsWith('tail 3 of ')), f3.flags.join(','));
    assert.ok(f3.flags.includes('uptodate'), 'folio flags are the head\'s');
    assert.equal(f3.mapcount, 1, 'kpagecount: the PMD mapping counts for every page');
    const mm = r.engine.tasks.get(r.pids.get('a')!)!.mm;
    assert.match(formatPteFlags(mm.pteFlags(0x7f0000005000), mm.ptePfn(0x7f0000005000)), / PMD$/);
  });

  it('the huge zero page is `huge zero` in the maps column', () => {
    const text = 'kernel 6.12\nsysctl thp enabled always\nprocess p\nmmap p anon at 0x7f0000000000 pages 512 private rw as v\nread p v[0]\n';
    const r = runText(text);
    const mm = r.engine.tasks.get(r.pids.get('p')!)!.mm;
    assert.equal(mapsOf(r.engine, mm.vma_lookup(0x7f0000001000), 0x7f0000001000, mm.ptePfn(0x7f0000001000), namesOf(r)), 'huge zero');
  });

  it('the PTE table lists a PMD mapping as one row covering 512 pages; after a split, 512 rows', () => {
    const text = 'kernel 6.12\nsysctl thp enabled always\nprocess p\nmmap p anon at 0x7f0000000000 pages 1024 private rw as v\nwrite p v[0]\nwrite p v[600]\nsplit p v[3]\n';
    const r = runText(text);
    assert.equal(r.exitStatus, 0);
    const s = new InspectorSession(r, text);
    const before = s.answer({ q: 'ptes', step: 5, filter: { proc: 'p' }, offset: 0, count: 100 });
    assert.ok(before.q === 'ptes');
    assert.equal(before.total, 2);
    assert.deepEqual(before.rows.map((x) => [x.addr, x.idx, /PMD$/.test(x.text), x.maps]), [
      ['0x7f0000000000', '254/0/0', true, 'anon, PMD: 512 pages to 0x7f00001ff000'],
      ['0x7f0000200000', '254/0/1', true, 'anon, PMD: 512 pages to 0x7f00003ff000'],
    ]);
    const after = s.answer({ q: 'ptes', step: 6, filter: { proc: 'p' }, offset: 0, count: 2 });
    assert.ok(after.q === 'ptes');
    assert.equal(after.total, 513);
    assert.equal(after.rows[0].maps, 'anon');
  });

  it('the walk diagram shows a PMD visit as one entry whose flags say PMD, before and after folio_mkclean', () => {
    const text = `${SHMEM}process b\nmmap b s at 0x7e0000000000 pages 512 shared rw as m\nread b m[0]\nmkclean s[9]\n`;
    const r = runText(text);
    assert.equal(r.exitStatus, 0);
    const s = r.steps.length - 1;
    const d = buildStepDetail(r, text, s, new StateAtStep(r).engineAt(s));
    assert.equal(d.walks.length, 1);
    const w = d.walks[0];
    assert.deepEqual([w.pgoffFirst, w.pgoffLast, w.result], [0, 511, 2]);
    for (const v of w.visits) {
      assert.equal(v.ptes.length, 1, `${v.proc}: one PMD entry`);
      assert.match(v.ptes[0].before, /^P RW .*PMD$/);
      assert.match(v.ptes[0].after, /^P RO .*PMD$/);
      assert.ok(v.ptes[0].counted);
    }
  });

  it('the PTE strip groups a PMD entry as one (512 pages) and a PTE-mapped large folio with its order; the text alternative says so', () => {
    const text = `kernel 6.12
sysctl thp enabled always
sysctl thp anon 64K always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as buf
write p buf[0]
mprotect p buf[0..3] r
mmap p anon at 0x7e0000000000 pages 32 private rw as small
write p small[0]
`;
    const r = runText(text);
    assert.equal(r.exitStatus, 0, r.diagnostics.map((d) => d.message).join('; '));
    const at = (line: string) => r.steps.findIndex((x) => text.split('\n')[x.line] === line);
    const vmasAt = (s: number) => buildStepDetail(r, text, s, new StateAtStep(r).engineAt(s)).procs[0].vmas;
    // one PMD: the write's THP, a single group of 512 pages
    const big = vmasAt(at('write p buf[0]'))[0];
    assert.deepEqual(big.groups, [{ first: 0, count: 512, kind: 'pmd', order: 9 }]);
    assert.equal(stripText(big, 'p'), 'PTEs of p buf, 512 pages: [0..511] one PMD entry, present, dirty, changed at this step');
    // mprotect split the PMD: the order-9 folio is now PTE-mapped across two VMAs
    const split = vmasAt(at('mprotect p buf[0..3] r'));
    assert.deepEqual(split.map((v) => v.groups), [[{ first: 0, count: 4, kind: 'folio', order: 9 }], [{ first: 0, count: 508, kind: 'folio', order: 9 }]]);
    assert.match(stripText(split[0], 'p'), /^PTEs of p buf, 4 pages: large folio of order 9, pages \[0\.\.3\]; \[0\] present, dirty, changed at this step; /);
    // a 64K anon mTHP: 16 pages of one order-4 folio, the rest of the VMA none
    const small = vmasAt(at('write p small[0]')).find((v) => v.label === 'small')!;
    assert.deepEqual(small.groups, [{ first: 0, count: 16, kind: 'folio', order: 4 }]);
    // PMD entries count as one cell each toward the strip's MAX_CELLS: two PMDs of a 1024-page VMA are both drawn
    const two = 'kernel 6.12\nsysctl thp enabled always\nprocess p\nmmap p anon at 0x7f0000000000 pages 1536 private rw as b\nread p b[0]\nwrite p b[512]\n';
    const r2 = runText(two);
    const v2 = buildStepDetail(r2, two, r2.steps.length - 1, new StateAtStep(r2).engineAt(r2.steps.length - 1)).procs[0].vmas[0];
    // two PMD cells and 510 page cells: 512 drawn cells, 1534 pages
    assert.deepEqual([v2.cells.length, v2.groups], [1534, [{ first: 0, count: 512, kind: 'pmd', order: 9 }, { first: 512, count: 512, kind: 'pmd', order: 9 }]]);
    // the step detail built from the trace knows PMD entries (the trace has no folio order)
    const fromTrace = buildStepDetailFromTrace(r, text, at('write p buf[0]'), new TraceIndex(r));
    assert.deepEqual(fromTrace.procs[0].vmas[0].groups, [{ first: 0, count: 512, kind: 'pmd', order: 9 }]);
  });
});
