import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import type { PteFilter } from '../../../src/shared/inspectorView';
import { StateAtStep } from '../../../src/views/stepDetail';
import { PteIndex } from './pteIndex';
import { InspectorSession } from '../../../src/views/inspectorService';
import { ScenarioService } from '../../../src/service/scenarioService';

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
  it('the service protocol answers run / step / ptes / compare / hover about the run it holds, answers none for a step that does not exist, and says stale for another run id', () => {
    const opts = {};
    const svc = new ScenarioService();
    const sum = svc.handle({ type: 'run', id: 1, runId: 7, text: MKCLEAN, opts });
    assert.ok(sum.type === 'run' && sum.summary.exitStatus === 0 && sum.runId === 7);
    const run = svc.handle({ type: 'inspect', id: 2, runId: 7, query: { q: 'run' } });
    assert.ok(run.type === 'inspect' && run.answer.q === 'run');
    const rows = run.type === 'inspect' && run.answer.q === 'run' ? run.answer.run.rows : [];
    assert.equal(rows.length, MKCLEAN.trim().split('\n').length);
    const step = svc.handle({ type: 'inspect', id: 3, runId: 7, query: { q: 'step', step: 9 } });
    assert.ok(step.type === 'inspect' && step.answer.q === 'step');
    if (step.type === 'inspect' && step.answer.q === 'step') assert.equal(step.answer.detail.step, 9);
    const ptes = svc.handle({ type: 'inspect', id: 4, runId: 7, query: { q: 'ptes', step: 8, filter: {}, offset: 0, count: 2 } });
    assert.ok(ptes.type === 'inspect' && ptes.answer.q === 'ptes');
    if (ptes.type === 'inspect' && ptes.answer.q === 'ptes') { assert.equal(ptes.answer.rows.length, 2); assert.ok(ptes.answer.total >= 5); }
    const none = svc.handle({ type: 'inspect', id: 5, runId: 7, query: { q: 'step', step: 999 } });
    assert.ok(none.type === 'inspect' && none.answer.q === 'none');
    const cmp = svc.handle({ type: 'inspect', id: 6, runId: 7, query: { q: 'compare', kernel: '6.1' } });
    assert.ok(cmp.type === 'inspect' && cmp.answer.q === 'compare');
    if (cmp.type === 'inspect' && cmp.answer.q === 'compare') { assert.equal(cmp.answer.kernel, '6.1'); assert.equal(cmp.answer.rows.length, rows.length); }
    const hover = svc.handle({ type: 'hover', id: 7, runId: 7, line: 11, character: 0 });
    assert.ok(hover.type === 'hover' && /rmap walk/.test(hover.markdown ?? ''), 'a hover on the mkclean line names its walk');
    // a question about another run is not answered from this one (and runs nothing)
    assert.deepEqual(svc.handle({ type: 'inspect', id: 8, runId: 6, query: { q: 'run' } }), { type: 'stale', id: 8 });
    assert.deepEqual(svc.handle({ type: 'hover', id: 9, runId: 8, line: 0, character: 0 }), { type: 'stale', id: 9 });
    // replies cross a worker boundary: structured-clone safe
    for (const r of [sum, run, step, ptes, cmp, hover]) assert.doesNotThrow(() => structuredClone(r));
  });

  it('answers the timeline with the selected step\'s detail in one question, the step clamped to the run, equal to asking both apart', () => {
    const svc = new ScenarioService();
    svc.handle({ type: 'run', id: 1, runId: 3, text: MKCLEAN, opts: {} });
    const apart = svc.handle({ type: 'inspect', id: 2, runId: 3, query: { q: 'step', step: 9 } });
    const both = svc.handle({ type: 'inspect', id: 3, runId: 3, query: { q: 'run', step: 9 } });
    assert.ok(apart.type === 'inspect' && apart.answer.q === 'step' && both.type === 'inspect' && both.answer.q === 'run');
    assert.deepEqual(both.answer.detail, apart.answer.detail);
    const last = MKCLEAN.trim().split('\n').length - 1;
    const past = svc.handle({ type: 'inspect', id: 4, runId: 3, query: { q: 'run', step: 999 } });
    assert.ok(past.type === 'inspect' && past.answer.q === 'run');
    assert.equal(past.answer.detail?.step, last, 'a step past the end is the last step');
    const plain = svc.handle({ type: 'inspect', id: 5, runId: 3, query: { q: 'run' } });
    assert.ok(plain.type === 'inspect' && plain.answer.q === 'run' && plain.answer.detail === undefined, 'no step asked, no detail');
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
