import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { buildStepDetail, StateAtStep } from '../../../src/views/stepDetail';
import { buildRun, compareRuns } from '../../../src/views/timeline';
import { PteIndex } from './pteIndex';
import { validateFromWebview, Msg } from '../../../src/shared/protocol';

const FBDEFIO = `kernel 6.15
fbdev fb pages 4 backing vmalloc delay 50ms
process x
process y
mmap x fb at 0x7f0000000000 pages 4 shared rw as m
mmap y fb at 0x7e0000000000 pages 4 shared rw as m
read x m[2]
write x m[2]
write y m[2]
write x m[0]
wait 50ms
expect walk x:m, y:m
`;

const MKCLEAN = `file f pages 4
process a
process b
process c
mmap a f at 0x10000000 pages 4 shared rw as m
mmap b f at 0x20000000 pages 4 shared rw as m
mmap c f at 0x30000000 pages 4 private rw as m
read c m[0]
write a m[0]
write b m[0]
mkclean f[0]
`;

const stepOf = (text: string, src: string) => text.split('\n').indexOf(src);

describe('inspector model', () => {
  it('timeline: a write to a read-only fb_defio PTE reads as #PF 0x7 → do_wp_page → wp_page_shared → fb_deferred_io_mkwrite: page 2 listed', () => {
    const r = runText(FBDEFIO);
    const rows = buildRun(r, FBDEFIO).rows;
    assert.equal(rows.length, r.steps.length);
    const w = rows[stepOf(FBDEFIO, 'write x m[2]')];
    assert.equal(w.source, 'write x m[2]');
    assert.ok(w.text[0].startsWith('x: #PF 0x7 → do_wp_page → wp_page_shared → fb_deferred_io_mkwrite: page 2 listed'), w.text[0]);
    assert.ok(rows[stepOf(FBDEFIO, 'write y m[2]')].text[0].includes('page 2 already listed'));
    const work = rows[stepOf(FBDEFIO, 'wait 50ms')].text.join(' ');
    assert.ok(work.includes('mapping_wrprotect_range(fb[2]) → x:m, y:m = 2') && work.includes('deferred_io(2, 0)'), work);
    assert.equal(rows[stepOf(FBDEFIO, 'expect walk x:m, y:m')].status, 'pass');
  });

  it('step detail is the state after that step: PTE cells, changed marks, the pagereflist and when the work is due', () => {
    const r = runText(FBDEFIO);
    const st = new StateAtStep(r);
    const s = stepOf(FBDEFIO, 'write x m[0]');
    const d = buildStepDetail(r, FBDEFIO, s, st.engineAt(s));
    const x = d.procs.find((p) => p.name === 'x')!;
    assert.equal(x.vmas[0].cells, 'dndn');
    assert.deepEqual(x.vmas[0].changed, [0]);
    assert.equal(x.vmas[0].flags.split(' ').slice(0, 3).join(' '), 'rd wr sh');
    const fb = d.objects.find((o) => o.name === 'fb')!;
    assert.deepEqual(fb.defio!.pending, [2, 0]);
    assert.equal(fb.defio!.due, 50);
    assert.deepEqual(fb.iMmap.map((v) => `${v.proc}:${v.label}`), ['x:m', 'y:m']);
    // the last step's state is the run's own engine, earlier ones are replays
    const end = buildStepDetail(r, FBDEFIO, r.steps.length - 1, st.engineAt(r.steps.length - 1));
    assert.deepEqual(end.objects[0].defio!.pending, []);
  });

  it('folio_mkclean walk: a:m and b:m in i_mmap order, c:m skipped by invalid_mkclean_vma, PTE path and before → after', () => {
    const r = runText(MKCLEAN);
    const s = stepOf(MKCLEAN, 'mkclean f[0]');
    const d = buildStepDetail(r, MKCLEAN, s, new StateAtStep(r).engineAt(s));
    assert.equal(d.walks.length, 1);
    const w = d.walks[0];
    assert.equal(w.api, 'folio_mkclean');
    assert.deepEqual(w.visits.map((v) => `${v.skipped ? '~' : ''}${v.proc}:${v.label}`), ['a:m', 'b:m', '~c:m']);
    assert.match(w.visits[2].reason ?? '', /invalid_mkclean_vma/);
    const p = w.visits[0].ptes[0];
    assert.deepEqual(p.indices, [0, 0, 128, 0]);
    assert.equal(p.before, 'P RW U A D SD');
    assert.equal(p.after, 'P RO U A SD');
    assert.equal(p.counted, true);
    assert.equal(w.result, 2);
  });

  it('PTE index pages every PTE, filters by process, object and changed-at-step, and says what each maps', () => {
    const r = runText(MKCLEAN);
    const last = r.steps.length - 1;
    const ix = new PteIndex(new StateAtStep(r).engineAt(last), r, r.steps[last]);
    // c's read faulted around all four cached pages
    assert.equal(ix.total, 6);
    const rows = ix.rows({}, 0, 4);
    assert.deepEqual(rows.map((x) => `${x.proc} ${x.addr} ${x.maps}`), ['a 0x10000000 f[0]', 'b 0x20000000 f[0]', 'c 0x30000000 f[0]', 'c 0x30001000 f[1]']);
    assert.equal(ix.count({ proc: 'c' }), 4);
    assert.equal(ix.count({ object: 'f' }), 6);
    assert.equal(ix.count({ object: 'anon' }), 0);
    assert.equal(ix.count({ changed: true }), 2);
    assert.deepEqual(ix.rows({ desc: true }, 0, 1).map((x) => x.addr), ['0x30003000']);
    assert.equal(ix.rows({}, 4, 10).length, 2);
  });

  it('compare: fb_defio on 6.14 walks with folio_mkclean, 6.15 with mapping_wrprotect_range', () => {
    const a = runText(FBDEFIO), b = runText(FBDEFIO, { kernelOverride: '6.14' });
    const rows = compareRuns(a, b, FBDEFIO);
    const w = rows[stepOf(FBDEFIO, 'wait 50ms')];
    assert.ok(w.differs);
    assert.ok(w.base.includes('mapping_wrprotect_range') && w.other.includes('folio_mkclean'), `${w.base} | ${w.other}`);
    assert.ok(!rows[stepOf(FBDEFIO, 'process x')].differs);
  });

  it('messages from the webview are validated before use', () => {
    assert.deepEqual(validateFromWebview({ type: Msg.SelectStep, step: 3 }), { type: Msg.SelectStep, step: 3 });
    assert.equal(validateFromWebview({ type: Msg.SelectStep, step: -1 }), undefined);
    assert.equal(validateFromWebview({ type: Msg.SelectStep, step: '3' }), undefined);
    assert.equal(validateFromWebview({ type: 'eval', code: 'x' }), undefined);
    assert.equal(validateFromWebview(null), undefined);
    assert.equal(validateFromWebview({ type: Msg.RequestPtes, requestId: 1, step: 0, offset: 0, count: 1e6, filter: {} }), undefined);
    assert.equal(validateFromWebview({ type: Msg.RequestPtes, requestId: 1, step: 0, offset: 0, count: 10, filter: { sort: 'evil' } }), undefined);
    const ok = validateFromWebview({ type: Msg.RequestPtes, requestId: 1, step: 0, offset: 0, count: 10, filter: { proc: 'x', extra: 1 } });
    assert.deepEqual(ok && ok.type === Msg.RequestPtes && ok.filter, { proc: 'x', object: undefined, changed: undefined, sort: undefined, desc: undefined });
    assert.equal(validateFromWebview({ type: Msg.RequestCompare, kernel: '6.14; rm' }), undefined);
    assert.deepEqual(validateFromWebview({ type: Msg.RequestCompare, kernel: '6.14' }), { type: Msg.RequestCompare, kernel: '6.14' });
  });
});
