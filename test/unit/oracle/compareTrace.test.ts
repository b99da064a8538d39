// Engine vs kernel for what the kprobes show: the walks of a statement, the deferred-work
// runs compared by their number, and the fb_defio timing rules (docs/real-kernel.md,
// "fb_defio timing"). Synthetic kernel traces; the engine side is the engine's own run.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { compareRuns, compareTraceStep, fbTiming, type EngineTraceStep, type TraceCompareCtx } from '../../../src/oracle/compareTrace';
import type { KStep, KWalk } from '../../../src/oracle/kprobes';
import { kernelStates } from '../../../src/oracle/kstate';
import type { OracleScenarioResult, OracleStepResult } from '../../../src/oracle/results';
import { translateScenario } from '../../../src/oracle/translate';

const kstep = (over: Partial<KStep> = {}): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [], ...over });
const walk = (idx: number, visits: [number, number, boolean, number][], ret: number, byWork = false, ms = 0): KWalk => ({
  api: 'folio_mkclean', idx, mapping: '0x1', ms, byWork, ret,
  visits: visits.map(([owner, start, skipped, cleaned]) => ({ owner, start, pgoff: 0, skipped, cleaned })),
});

function scenario(text: string, kernel: (KStep | undefined)[], pids: Record<string, number> = { a: 11, b: 12, c: 13 }): OracleScenarioResult {
  const t = translateScenario(parse(text).scenario, { name: 't.mms' });
  const steps: OracleStepResult[] = t.steps.map((s, i) => ({
    index: s.index, line: s.line, kind: s.kind, observable: s.observable, reason: s.reason, taintedBy: s.taintedBy,
    status: 'observed', tMs: i * 10, accesses: [], pages: [], vmas: [], objPages: [], ops: [], faults: {}, lastSignal: {}, errors: [],
    kernel: kernel[i] ?? kstep(),
  }));
  return {
    name: 't.mms', index: 0, status: 'ok', scenarioKernel: '6.1', steps, errors: [], calibration: [], objects: [], ms: 1000,
    summary: { pass: 0, fail: 0, notObservable: 0 }, mappings: t.mappings, pids,
    kstates: kernelStates(steps.map((s) => s.kernel)), release: '6.1.0-57-amd64',
    fbObject: t.objects.find((o) => o.kind === 'fbdev')?.name ?? null,
  };
}
const ctxOf = (o: OracleScenarioResult): TraceCompareCtx => ({ oracle: o, mappings: o.mappings, noWalk: null, noResult: null, noDefio: null, quiet: 30, again: 100 });

const THREE = `file f pages 1
process a
process b
process c
mmap a f at 0x7f0000000000 pages 1 shared rw as m
mmap b f at 0x7e0000000000 pages 1 shared rw as m
mmap c f at 0x7d0000000000 pages 1 private rw as m
writeback f`;

describe('oracle: walks, results and deferred-work runs against the engine', () => {
  it('migrate: MADV_SOFT_OFFLINE\'s errno against the engine\'s; not observable where the guest found no folio to offline', () => {
    // the v2 fuzz (seed 11): `migrate` of a page never touched was EIO on the kernel (its
    // madvise_inject_error() read-faulted the zero page, which get_any_page() refuses) and
    // ENOENT in the engine (no folio); the guest now skips MADV_SOFT_OFFLINE there
    const text = 'process a\nmmap a anon at 0x7f0000000000 pages 2 private rw as m\nmigrate a m[1]';
    const es: EngineTraceStep = { walks: [], fb: null, result: 2 };
    const skipped = scenario(text, []);
    skipped.steps[2].ops.push({ proc: 'a', op: 'soft_offline_skipped', ret: 0, errno: 0, us: 0 });
    const v = compareTraceStep(skipped.steps[2], es, ctxOf(skipped), 0).find((x) => x.field === 'result')!;
    assert.deepEqual([v.engine, v.kernel, v.verdict], ['2', '-', 'not-observable']);
    assert.match(v.reason!, /no folio mapped at the page on the kernel/);
    const ran = scenario(text, []);
    ran.steps[2].ops.push({ proc: 'a', op: 'madvise', ret: -1, errno: 16, us: 5 });
    assert.equal(compareTraceStep(ran.steps[2], es, ctxOf(ran), 0).find((x) => x.field === 'result')!.verdict, 'differ');
    assert.equal(compareTraceStep(ran.steps[2], { ...es, result: 16 }, ctxOf(ran), 0).find((x) => x.field === 'result')!.verdict, 'agree');
  });

  it('a statement\'s walks agree when the same VMAs are visited in the same order, skipped and cleaned alike, with the same result', () => {
    const w = walk(0, [[11, 0x7f0000000000, false, 1], [12, 0x7e0000000000, false, 1], [13, 0x7d0000000000, true, 0]], 2);
    const o = scenario(THREE, [undefined, undefined, undefined, undefined, undefined, undefined, undefined, kstep({ walks: [w], written: 1 })]);
    const es: EngineTraceStep = { walks: [{ api: 'folio_mkclean', idx: 0, visits: ['a:m*', 'b:m*', '~c:m'], result: 2, fb: false }], fb: null, result: 1 };
    const v = compareTraceStep(o.steps[7], es, ctxOf(o), 0);
    assert.deepEqual(v.map((x) => [x.field, x.engine, x.kernel, x.verdict]), [
      ['walks', '[0] a:m*, b:m*, ~c:m =2', '[0] a:m*, b:m*, ~c:m =2', 'agree'],
      ['result', '1', '1', 'agree'],
    ]);
    // the order of visits is the finding: b before a differs
    const swapped: EngineTraceStep = { ...es, walks: [{ ...es.walks[0], visits: ['b:m*', 'a:m*', '~c:m'] }] };
    assert.equal(compareTraceStep(o.steps[7], swapped, ctxOf(o), 0)[0].verdict, 'differ');
    // without the probes: not observable, with the reason
    const nv = compareTraceStep(o.steps[7], es, { ...ctxOf(o), noWalk: 'probe not placed on this kernel (mkone: …)' }, 0);
    assert.equal(nv[0].verdict, 'not-observable');
    assert.match(nv[0].reason!, /probe not placed/);
  });

  it('fb timing: equal run counts compare; the kernel ahead because its work fired on time is a timing window; a run the kernel never makes differs', () => {
    const st = { runs: 1, pending: [], lastWritten: [2], arms: [5] };
    assert.equal(fbTiming(st, 1, 200, { again: 100 }), null);
    assert.match(fbTiming(st, 0, 60, { again: 100 }) as string, /timing window: the kernel's deferred work has run 1 time/);
    assert.match(fbTiming({ runs: 0, pending: [2], lastWritten: null, arms: [5] }, 1, 40, { again: 100 }) as string, /not due yet/);
    assert.equal(fbTiming({ runs: 0, pending: [2], lastWritten: null, arms: [5] }, 1, 400, { again: 100 }), 'differ');
  });

  it('deferred-work runs are compared by number; a write near the work makes a split run a timing window, and the runs after it too', () => {
    const text = `fbdev fb pages 4 backing vmalloc
process x
mmap x fb at 0x7f0000000000 pages 4 shared rw as m
write x m[2]
write x m[0]
wait 50ms
read x m[1]`;
    // kernel: the work fired between the two writes (run 1: page 2), then again for page 0
    const r1 = { startMs: 49, endMs: 50, pages: [2] }, r2 = { startMs: 100, endMs: 101, pages: [0] };
    const o = scenario(text, [undefined, undefined, undefined,
      kstep({ mkwrites: [{ pgoff: 2, ms: 1 }] }),
      kstep({ mkwrites: [{ pgoff: 0, ms: 52 }], workRuns: [r1], walks: [walk(2, [[11, 0x7f0000000000, false, 1]], 1, true, 49)] }),
      kstep({ workRuns: [r2], walks: [walk(0, [[11, 0x7f0000000000, false, 1]], 1, true, 100)] }),
      undefined], { x: 11 });
    const fbw = (pages: number[], runs: number): EngineTraceStep => ({ walks: [], fb: { runs, pending: runs ? [] : pages, lastWritten: runs ? pages : null } });
    const esteps: EngineTraceStep[] = [fbw([], 0), fbw([], 0), fbw([], 0), fbw([2], 0), fbw([2, 0], 0),
      { walks: [{ api: 'folio_mkclean', idx: 2, visits: ['x:m*'], result: 1, fb: true }, { api: 'folio_mkclean', idx: 0, visits: ['x:m*'], result: 1, fb: true }], fb: { runs: 1, pending: [], lastWritten: [2, 0] } },
      fbw([2, 0], 1)];
    // the write of page 0 at 52 ms: 51 ms after the cycle's first write, inside 30-100 ms
    const runs = compareRuns(o, esteps, ctxOf(o), [1, 52]);
    const at5 = runs.get(5)!;
    assert.deepEqual(at5.map((v) => [v.subject, v.engine, v.kernel, v.verdict]), [
      ['work run 1', '2,0: [2] x:m* =1; [0] x:m* =1', '2: [2] x:m* =1', 'not-observable'],
      ['work run 2', 'no run', '0: [0] x:m* =1', 'not-observable'],
    ]);
    assert.match(at5[0].reason!, /timing window: a write fell 30-100 ms after the cycle's first write/);
    assert.match(at5[1].reason!, /scenario's clock did not reach|numbered differently/);
    // without the window, the same split is still timing: the kernel's run is the engine's cut
    // short, and page 0 was tracked after the kernel's work began (real time ran ahead)
    const late = compareRuns(o, esteps, ctxOf(o), [1, 300]).get(5)!;
    assert.equal(late[0].verdict, 'not-observable');
    assert.match(late[0].reason!, /fired 48 ms after the cycle's first write, before the writes of page 0/);
    // other pages, or another order, are a finding
    const other = { ...o, steps: o.steps.map((st) => st.index === 4 ? { ...st, kernel: { ...st.kernel!, workRuns: [{ ...r1, pages: [1] }] } } : st) };
    assert.equal(compareRuns(other, esteps, ctxOf(other), [1, 300]).get(5)![0].verdict, 'differ');
  });

  it('a run the kernel made on its timer during an earlier statement than the engine\'s (which saw another state) is a timing window; at the same statement it differs', () => {
    const text = `fbdev fb pages 4 backing vmalloc
process x
process y
mmap x fb at 0x7f0000000000 pages 4 shared rw as m
mmap y fb at 0x7f0000000000 pages 4 shared rw as m
write y m[0]
exit y
flush fb`;
    // kernel: the work fired 60 ms after y's write, while y was exiting (step 6), and walked
    // x and y; the engine ran it at the flush (step 7), after y had gone: folio not mapped
    const o = scenario(text, [undefined, undefined, undefined, undefined, undefined,
      kstep({ mkwrites: [{ pgoff: 0, ms: 1 }] }),
      kstep({ workRuns: [{ startMs: 61, endMs: 62, pages: [0] }], walks: [walk(0, [[11, 0x7f0000000000, false, 0], [12, 0x7f0000000000, false, 1]], 1, true, 61)] }),
      undefined], { x: 11, y: 12 });
    const fbw = (pages: number[], runs: number): EngineTraceStep => ({ walks: [], fb: { runs, pending: runs ? [] : pages, lastWritten: runs ? pages : null } });
    const esteps: EngineTraceStep[] = [fbw([], 0), fbw([], 0), fbw([], 0), fbw([], 0), fbw([], 0), fbw([0], 0), fbw([0], 0),
      { walks: [{ api: 'folio_mkclean', idx: 0, visits: [], result: 0, fb: true }], fb: { runs: 1, pending: [], lastWritten: [0] } }];
    const v = compareRuns(o, esteps, ctxOf(o), [1]).get(7)!;
    assert.equal(v[0].verdict, 'not-observable');
    assert.match(v[0].reason!, /fired on its timer 60 ms after the cycle's first write, in L7; the engine's clock reached it only at L8/);
    // the same difference with the kernel's run at the flush too is a finding
    const same = scenario(text, [undefined, undefined, undefined, undefined, undefined,
      kstep({ mkwrites: [{ pgoff: 0, ms: 1 }] }), undefined,
      kstep({ workRuns: [{ startMs: 61, endMs: 62, pages: [0] }], walks: [walk(0, [[11, 0x7f0000000000, false, 0], [12, 0x7f0000000000, false, 1]], 1, true, 61)] })],
    { x: 11, y: 12 });
    assert.equal(compareRuns(same, esteps, ctxOf(same), [1]).get(7)![0].verdict, 'differ');
  });
});
