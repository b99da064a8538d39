import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import type { PteFilter } from '../../../src/shared/inspectorView';
import { StateAtStep } from '../../../src/views/stepDetail';
import { PteIndex } from './pteIndex';
import { InspectorSession } from '../../../src/views/inspectorService';
import { handleRequest } from '../../../src/service/worker';

const MKCLEAN = `file f pages 4
process a
process b
process c
mmap a f at 0x10000000 pages 4 shared rw as m
mmap b f at 0x20000000 pages 4 shared rw as m
mmap c f at 0x30000000 pages 4 private rw as m
read c m[0]
write a m[0..3]
write b m[0]
write c m[1]
mkclean f[0]
munmap b m
`;

const FILTERS: PteFilter[] = [
  {}, { desc: true }, { proc: 'a' }, { proc: 'c', desc: true }, { object: 'f' }, { object: 'anon' },
  { changed: true }, { sort: 'pfn' }, { sort: 'pfn', desc: true }, { sort: 'proc' }, { proc: 'nobody' },
];

describe('inspector queries answered next to the run (worker side)', () => {
  it('the worker protocol answers run / step / ptes / compare for the text it ran, and reports errors', () => {
    const opts = {};
    const run = handleRequest({ type: 'inspect', id: 1, text: MKCLEAN, opts, query: { q: 'run' } });
    assert.ok('inspect' in run && run.inspect.q === 'run');
    const rows = run.inspect.q === 'run' ? run.inspect.run.rows : [];
    assert.equal(rows.length, MKCLEAN.trim().split('\n').length);
    // a run request for the same text is served from the same RunResult
    const sum = handleRequest({ type: 'run', id: 2, text: MKCLEAN, opts });
    assert.ok('summary' in sum && sum.summary.exitStatus === 0);
    const step = handleRequest({ type: 'inspect', id: 3, text: MKCLEAN, opts, query: { q: 'step', step: 9 } });
    assert.ok('inspect' in step && step.inspect.q === 'step');
    if (step.inspect.q === 'step') assert.equal(step.inspect.detail.step, 9);
    const ptes = handleRequest({ type: 'inspect', id: 4, text: MKCLEAN, opts, query: { q: 'ptes', step: 8, filter: {}, offset: 0, count: 2 } });
    assert.ok('inspect' in ptes && ptes.inspect.q === 'ptes');
    if (ptes.inspect.q === 'ptes') { assert.equal(ptes.inspect.rows.length, 2); assert.ok(ptes.inspect.total >= 5); }
    const none = handleRequest({ type: 'inspect', id: 5, text: MKCLEAN, opts, query: { q: 'step', step: 999 } });
    assert.ok('inspect' in none && none.inspect.q === 'none');
    const cmp = handleRequest({ type: 'inspect', id: 6, text: MKCLEAN, opts, query: { q: 'compare', kernel: '6.1' } });
    assert.ok('inspect' in cmp && cmp.inspect.q === 'compare');
    if (cmp.inspect.q === 'compare') { assert.equal(cmp.inspect.kernel, '6.1'); assert.equal(cmp.inspect.rows.length, rows.length); }
    // replies cross a worker boundary: structured-clone safe
    for (const r of [run, step, ptes, cmp]) assert.doesNotThrow(() => structuredClone(r));
  });

  it('PTE pages from the TraceIndex equal the replayed PteIndex at every step, for every filter and sort', () => {
    const r = runText(MKCLEAN);
    const st = new StateAtStep(r, {}, 1);
    const s = new InspectorSession(r, MKCLEAN);
    for (let i = 0; i < r.steps.length; i++) {
      const ix = new PteIndex(st.engineAt(i), r, r.steps[i]);
      for (const f of FILTERS) {
        for (const [off, n] of [[0, 500], [1, 2], [3, 10]]) {
          const a = s.answer({ q: 'ptes', step: i, filter: f, offset: off, count: n });
          assert.ok(a.q === 'ptes');
          assert.equal(a.total, ix.count(f), `step ${i} ${JSON.stringify(f)} total`);
          assert.deepEqual(a.rows, ix.rows(f, off, n), `step ${i} ${JSON.stringify(f)} rows ${off}+${n}`);
        }
      }
    }
  });

  it('a big run describes a step from the TraceIndex: cells, PTE counts, folios and mapcount (from the PTEs) match the replay', () => {
    const r = runText(MKCLEAN);
    const replay = new InspectorSession(r, MKCLEAN, {}, Infinity);
    const trace = new InspectorSession(r, MKCLEAN, {}, 0);
    assert.ok(replay.replays && !trace.replays);
    for (let i = 0; i < r.steps.length; i++) {
      const a = replay.answer({ q: 'step', step: i }), b = trace.answer({ q: 'step', step: i });
      assert.ok(a.q === 'step' && b.q === 'step');
      assert.equal(a.source, 'replay');
      assert.equal(b.source, i === r.steps.length - 1 ? 'trace' : 'trace');
      const da = a.detail, db = b.detail;
      assert.equal(db.pteCount, da.pteCount, `step ${i} pteCount`);
      assert.deepEqual(db.text, da.text);
      const procs = (d: typeof da) => d.procs.filter((p) => p.vmas.length).map((p) => ({ name: p.name, minFlt: p.minFlt, majFlt: p.majFlt, vmas: p.vmas }));
      assert.deepEqual(procs(db), procs(da), `step ${i} procs`);
      const fol = (d: typeof da) => d.objects.map((o) => ({ name: o.name, folios: o.folios.map((f) => ({ index: f.index, pfn: f.pfn, mapcount: f.mapcount, mapping: f.mapping })) }));
      assert.deepEqual(fol(db), fol(da), `step ${i} folios`);
      const imm = (d: typeof da) => d.objects.map((o) => o.iMmap.map((v) => `${v.proc}:${v.first}-${v.last}`).sort());
      assert.deepEqual(imm(db), imm(da), `step ${i} i_mmap`);
      assert.deepEqual(db.walks, da.walks, `step ${i} walks`);
    }
  });
});
