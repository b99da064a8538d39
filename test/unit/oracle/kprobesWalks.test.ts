// The rmap walks of reclaim and migration on the real kernel (docs/real-kernel.md,
// "Observing the kernel from inside"): folio_referenced / try_to_unmap (MADV_PAGEOUT's
// shrink_folio_list) and try_to_migrate / remove_migration_ptes (MADV_SOFT_OFFLINE's
// migrate_pages), parsed from tracefs lines into walks, compared with the engine's walks of
// the same statement, and `expect walk [API]` answered from them. Recorded lines: one boot
// each of Debian 6.1.0-57 (6.1.192) and 6.12.118 running examples/migrate-anon-fork.mms and
// examples/pageout-file.mms (fixtures/walks-*.serial.log, the ORACLE / ORACLE-K lines).

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { translateScenario } from '../../../src/oracle/translate';
import { resultsFromLog } from '../../../src/oracle/run';
import { captureEngine, compareScenario } from '../../../src/oracle/compare';
import { compareTraceStep, type EngineTraceStep, type TraceCompareCtx } from '../../../src/oracle/compareTrace';
import { assembleTrace, missingProbes, parseTraceLine, probeStatus, type KStep, type KWalk } from '../../../src/oracle/kprobes';
import { kernelStates, kernelVisitNames } from '../../../src/oracle/kstate';
import type { OracleScenarioResult, OracleStepResult } from '../../../src/oracle/results';
import { traceChecks } from '../../../src/oracle/traceExpect';
import type { Expectation } from '../../../src/language/ast';

const ROOT = path.join(__dirname, '../../../..');
const T0 = 2; // scenario start, CLOCK_MONOTONIC seconds

// as 6.12.118 printed them (migrate-shared.mms L19: MADV_SOFT_OFFLINE of a page-cache folio a, b, c map),
// with two lines added in the same format: a ptep_clear_flush inside try_to_migrate_one (6.1
// clears with it; 6.12 passed TTU_BATCH_FLUSH, flags=0x40, and deferred the flush) and
// kswapd's folio_referenced
const MIGRATE_612 = `
ORACLE-K           oracle-175     [000] .....     3.157438: tracing_mark_write: mms st 11
ORACLE-K           oracle-177     [000] .....     3.159464: ttm: (try_to_migrate+0x4/0x110) folio=0xfffa0919c00893c0 idx=2 mapping=0xff3f503f815254d8 flags=0x40
ORACLE-K           oracle-177     [000] .....     3.159601: ttmone: (try_to_migrate_one+0x4/0xb00) folio=0xfffa0919c00893c0 start=0x7f0000000000 end=0x7f0000004000 pgoff=0 owner=176 addr=0x7f0000002000
ORACLE-K           oracle-177     [000] ...1.     3.159700: ptecf: (ptep_clear_flush+0x4/0x70) addr=0x7f0000002000 pte=0x8400000002259867 owner=176
ORACLE-K           oracle-177     [000] .....     3.160373: ttmone: (try_to_migrate_one+0x4/0xb00) folio=0xfffa0919c00893c0 start=0x7e0000000000 end=0x7e0000004000 pgoff=0 owner=177 addr=0x7e0000002000
ORACLE-K           oracle-177     [000] .....     3.160435: ttmone: (try_to_migrate_one+0x4/0xb00) folio=0xfffa0919c00893c0 start=0x7d0000000000 end=0x7d0000002000 pgoff=2 owner=178 addr=0x7d0000000000
ORACLE-K           oracle-177     [000] .....     3.160476: ttmret: (migrate_pages_batch+0x34b/0xb10 <- try_to_migrate)
ORACLE-K           oracle-177     [000] .N...     3.161100: rwalk: (rmap_walk+0x4/0x30) folio=0xfffa0919c008c140 idx=2 mapping=0xff3f503f815254d8 one=remove_migration_pte+0x0/0x650
ORACLE-K           oracle-177     [000] .....     3.161110: rmpone: (remove_migration_pte+0x4/0x650) folio=0xfffa0919c008c140 start=0x7f0000000000 end=0x7f0000004000 pgoff=0 owner=176 addr=0x7f0000002000
ORACLE-K           oracle-177     [000] .....     3.161294: rmpone: (remove_migration_pte+0x4/0x650) folio=0xfffa0919c008c140 start=0x7e0000000000 end=0x7e0000004000 pgoff=0 owner=177 addr=0x7e0000002000
ORACLE-K           oracle-177     [000] .....     3.161312: rmpone: (remove_migration_pte+0x4/0x650) folio=0xfffa0919c008c140 start=0x7d0000000000 end=0x7d0000002000 pgoff=2 owner=178 addr=0x7d0000000000
ORACLE-K       kswapd0-30      [000] .....     3.170000: fref: (folio_referenced+0x4/0x1b0) folio=0xfffa0919c0099000 idx=7 mapping=0xff3f503f815254d8
ORACLE-K           oracle-175     [000] .....     3.187784: tracing_mark_write: mms st 12`;

const lines = (text: string) => text.trim().split('\n').map((l) => parseTraceLine(l.replace(/^ORACLE-K /, ''), T0)!).filter(Boolean);

describe('oracle kprobes: the walks of reclaim and migration', () => {
  it('parses migration\'s walks: try_to_migrate from its entry; remove_migration_ptes (inlined in migrate_pages_batch) from rmap_walk\'s rmap_one', () => {
    const evs = lines(MIGRATE_612);
    assert.equal(evs.length, 13);
    const rw = evs.find((e) => e.ev === 'rwalk')!;
    assert.equal(rw.f.one, 'remove_migration_pte+0x0/0x650');
    const t = assembleTrace(evs, new Set([175, 176, 177, 178]));
    const s = t.steps.get(11)!;
    assert.deepEqual(s.walks.map((w) => [w.api, w.idx, w.folio, w.visits.map((v) => [v.owner, v.start, v.skipped, v.cleaned])]), [
      ['try_to_migrate', 2, '0xfffa0919c00893c0', [[176, 0x7f0000000000, false, 0], [177, 0x7e0000000000, false, 0], [178, 0x7d0000000000, false, 0]]],
      ['remove_migration_ptes', 2, '0xfffa0919c008c140', [[176, 0x7f0000000000, false, 0], [177, 0x7e0000000000, false, 0], [178, 0x7d0000000000, false, 0]]],
    ], 'the ptep_clear_flush of try_to_migrate_one is not a mkclean count; kswapd\'s folio_referenced is not the scenario\'s');
    const names = kernelVisitNames(s.walks[1], (tgid) => ({ 176: 'a', 177: 'b', 178: 'c' } as Record<number, string>)[tgid], [
      { index: 0, proc: 'a', label: 'm', obj: 'f', objKey: 'f', addr: 0x7f0000000000, pages: 4, pgoff: 0, shared: true, prot: 'rw', line: 5, realised: true },
      { index: 1, proc: 'b', label: 'm', obj: 'f', objKey: 'f', addr: 0x7e0000000000, pages: 4, pgoff: 0, shared: true, prot: 'r', line: 6, realised: true },
      { index: 2, proc: 'c', label: 'm', obj: 'f', objKey: 'f', addr: 0x7d0000000000, pages: 2, pgoff: 2, shared: false, prot: 'r', line: 7, realised: true },
    ]);
    assert.deepEqual(names, ['a:m', 'b:m', 'c:m']);
  });

  it('rmap_walk right after its API\'s own entry (same folio, no VMA yet) is the same walk; invalid_vma returning true is a skipped VMA', () => {
    const ev = (ms: number, e: string, f: Record<string, string>) => ({ task: 'oracle', pid: 5, ms, ev: e, f });
    const t = assembleTrace([
      { task: 'oracle', pid: 5, ms: 0, ev: 'tracing_mark_write', f: {}, marker: 'mms st 3' },
      ev(1, 'fref', { folio: '0xf1', idx: '9', mapping: '0xa1' }),
      ev(1, 'rwalk', { folio: '0xf1', idx: '9', mapping: '0xa1', one: 'folio_referenced_one+0x0/0x2a0' }),
      ev(2, 'frefinv', { start: '0x7f0000000000', pgoff: '0', owner: '5' }), ev(2, 'frefinvret', { skip: '1' }),
      ev(3, 'frefinv', { start: '0x7e0000000000', pgoff: '0', owner: '6' }), ev(3, 'frefinvret', { skip: '0' }),
      ev(3, 'frefone', { folio: '0xf1', start: '0x7e0000000000', pgoff: '0', owner: '6', addr: '0x7e0000000000' }),
      ev(4, 'frefret', { ret: '1' }),
      ev(5, 'ttu', { folio: '0xf1', idx: '9', mapping: '0xa1', flags: '0x0' }),
      ev(5, 'ttuone', { folio: '0xf1', start: '0x7e0000000000', pgoff: '0', owner: '6', addr: '0x7e0000000000' }),
      ev(6, 'tturet', {}),
      // a callback of another API while none of its walks is open is nobody's visit
      ev(7, 'ttmone', { folio: '0xf1', start: '0x7e0000000000', pgoff: '0', owner: '6', addr: '0x7e0000000000' }),
      // an rmap_walk of a callback the oracle does not name (page_idle, KSM) begins nothing
      ev(8, 'rwalk', { folio: '0xf2', idx: '1', mapping: '0xa1', one: 'page_idle_clear_pte_refs_one+0x0/0x100' }),
    ], new Set([5, 6]));
    const w = t.steps.get(3)!.walks;
    assert.deepEqual(w.map((x) => [x.api, x.ret, x.visits.map((v) => [v.owner, v.skipped])]), [
      ['folio_referenced', 1, [[5, true], [6, false]]],
      ['try_to_unmap', null, [[6, false]]],
    ]);
    const ks = kernelStates([undefined, undefined, undefined, t.steps.get(3), undefined]);
    assert.equal(ks[4].lastWalk?.walk.api, 'try_to_unmap');
    assert.equal(ks[4].lastWalkOf.folio_referenced?.walk, w[0]);
    assert.equal(ks[3].lastWalkOf.folio_referenced, undefined, 'before the step: no walk yet');
  });

  it('reclaim and migration walks need their own probes; a kernel without them says which', () => {
    const recs = ['fref', 'frefret', 'frefinv', 'frefinvret', 'frefone', 'ttu', 'tturet', 'ttuone']
      .map((ev) => ({ t: 'probe', ev, ok: 1 } as Record<string, unknown>));
    recs.push({ t: 'probe', ev: 'ttmone', ok: 0, fn: 'try_to_migrate_one', why: 'trace_kprobe: Could not probe notrace function' });
    recs.push({ t: 'probesym', ev: 'ttmone', fn: 'try_to_migrate_one', kallsyms: 0, clones: 0 });
    const p = probeStatus(recs);
    assert.equal(missingProbes(p, 'reclaimWalk'), null);
    const m = missingProbes(p, 'migrateWalk')!;
    assert.match(m, /ttmone: try_to_migrate_one: trace_kprobe: Could not probe notrace function; no symbol try_to_migrate_one in kallsyms/);
    assert.match(m, /rmp: not defined for this kernel/);
  });
});

// ------------------------------------------------------------------ comparison

const kstep = (walks: KWalk[]): KStep => ({ walks, written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [] });
const kwalk = (api: KWalk['api'], visits: [number, number, boolean][]): KWalk => ({
  api, idx: 0, mapping: '0x1', ms: 0, byWork: false, ret: null,
  visits: visits.map(([owner, start, skipped]) => ({ owner, start, pgoff: 0, skipped, cleaned: 0 })),
});
const TEXT = `sysctl swap pages 16
process p
mmap p anon at 0x7f0000000000 pages 2 private rw as h
write p h[0..1]
fork p as c
migrate p h[0]`;

function oracleOf(kernel: KStep): OracleScenarioResult {
  const t = translateScenario(parse(TEXT).scenario, { name: 't.mms' });
  const steps: OracleStepResult[] = t.steps.map((s, i) => ({
    index: s.index, line: s.line, kind: s.kind, observable: s.observable, reason: s.reason, taintedBy: s.taintedBy,
    status: 'observed', tMs: i * 10, accesses: [], pages: [], vmas: [], objPages: [], ops: [], faults: {}, lastSignal: {}, errors: [],
    kernel: i === 5 ? kernel : kstep([]),
  }));
  return {
    name: 't.mms', index: 0, status: 'ok', scenarioKernel: '6.1', steps, errors: [], calibration: [], objects: [], ms: 1000,
    summary: { pass: 0, fail: 0, notObservable: 0 }, mappings: t.mappings, pids: { p: 11, c: 12 },
    kstates: kernelStates(steps.map((s) => s.kernel)), release: '6.1.0-57-amd64', fbObject: null,
  };
}
const ctxOf = (o: OracleScenarioResult, noRmWalk: string | null = null): TraceCompareCtx =>
  ({ oracle: o, mappings: o.mappings, noWalk: null, noRmWalk, noResult: null, noDefio: null, quiet: 30, again: 100 });
const engineMigrate = (order: string[]): EngineTraceStep => ({
  walks: [
    { api: 'try_to_migrate', idx: 0, visits: order.map((v) => `${v}*`), result: 0, fb: false },
    { api: 'remove_migration_ptes', idx: 0, visits: order.map((v) => `${v}*`), result: 2, fb: false },
  ],
  fb: null,
});

describe('oracle: reclaim and migration walks against the engine', () => {
  const parentThenChild = kstep([
    kwalk('try_to_migrate', [[11, 0x7f0000000000, false], [12, 0x7f0000000000, false]]),
    kwalk('remove_migration_ptes', [[11, 0x7f0000000000, false], [12, 0x7f0000000000, false]]),
  ]);

  it('agree: the same walks, in the same order, visiting the same VMAs in the same order', () => {
    const o = oracleOf(parentThenChild);
    const v = compareTraceStep(o.steps[5], engineMigrate(['p:h', 'c:h']), ctxOf(o), 0);
    assert.deepEqual(v.map((x) => [x.field, x.engine, x.kernel, x.verdict]), [
      ['reclaim/migration walks', 'try_to_migrate: p:h, c:h; remove_migration_ptes: p:h, c:h', 'try_to_migrate: p:h, c:h; remove_migration_ptes: p:h, c:h', 'agree'],
    ]);
  });

  it('differ: another VMA order, a walk the engine does not make, a VMA the kernel skipped', () => {
    const o = oracleOf(parentThenChild);
    const swapped = compareTraceStep(o.steps[5], engineMigrate(['c:h', 'p:h']), ctxOf(o), 0)[0];
    assert.equal(swapped.verdict, 'differ');
    assert.equal(swapped.reason, 'the rmap walks differ');
    const one: EngineTraceStep = { ...engineMigrate(['p:h', 'c:h']), walks: engineMigrate(['p:h', 'c:h']).walks.slice(0, 1) };
    assert.equal(compareTraceStep(o.steps[5], one, ctxOf(o), 0)[0].verdict, 'differ');
    const skipped = oracleOf(kstep([
      kwalk('try_to_migrate', [[11, 0x7f0000000000, false], [12, 0x7f0000000000, true]]),
      kwalk('remove_migration_ptes', [[11, 0x7f0000000000, false], [12, 0x7f0000000000, false]]),
    ]));
    const d = compareTraceStep(skipped.steps[5], engineMigrate(['p:h', 'c:h']), ctxOf(skipped), 0)[0];
    assert.equal(d.verdict, 'differ');
    assert.equal(d.kernel, 'try_to_migrate: p:h, ~c:h; remove_migration_ptes: p:h, c:h');
  });

  it('the result of migrate: move_pages\' errno for the page (0 on success; a recording\'s MADV_SOFT_OFFLINE alike) against the engine\'s', () => {
    const o = oracleOf(parentThenChild);
    const at = (errno: number, op = 'migrate') => ({ ...o.steps[5], ops: [{ proc: 'p', op, ret: errno ? -1 : 0, errno, us: 1 }] });
    const res = (errno: number, engine: number) => compareTraceStep(at(errno), { ...engineMigrate(['p:h', 'c:h']), result: engine }, ctxOf(o), 0)
      .filter((v) => v.field === 'result').map((v) => [v.engine, v.kernel, v.verdict]);
    assert.deepEqual(res(0, 0), [['0', '0', 'agree']]);
    assert.deepEqual(res(16, 0), [['0', '16', 'differ']]);
    assert.deepEqual(compareTraceStep(at(16, 'madvise'), { ...engineMigrate(['p:h', 'c:h']), result: 16 }, ctxOf(o), 0)
      .filter((v) => v.field === 'result').map((v) => [v.kernel, v.verdict]), [['16', 'agree']], 'a recording made with MADV_SOFT_OFFLINE');
    assert.deepEqual(compareTraceStep(o.steps[5], { ...engineMigrate(['p:h', 'c:h']), result: 0 }, ctxOf(o), 0)
      .filter((v) => v.field === 'result').map((v) => v.verdict), ['not-observable'], 'no madvise recorded');
  });

  it('not observable without the probes; nothing to compare when neither side walked', () => {
    const o = oracleOf(parentThenChild);
    const n = compareTraceStep(o.steps[5], engineMigrate(['p:h', 'c:h']), ctxOf(o, 'probe not placed on this kernel (ttmone: …)'), 0)[0];
    assert.equal(n.verdict, 'not-observable');
    assert.match(n.reason!, /probe not placed/);
    const none = oracleOf(kstep([]));
    assert.deepEqual(compareTraceStep(none.steps[5], { walks: [], fb: null }, ctxOf(none), 0), []);
    // folio_mkclean's comparison does not take reclaim / migration walks
    const mk = compareTraceStep(o.steps[5], { walks: [{ api: 'folio_mkclean', idx: 0, visits: ['p:h*'], result: 1, fb: false }], fb: null }, ctxOf(o), 0);
    assert.deepEqual(mk.map((x) => [x.field, x.kernel, x.verdict]), [['walks', 'none', 'differ'], ['reclaim/migration walks', 'try_to_migrate: p:h, c:h; remove_migration_ptes: p:h, c:h', 'differ']]);
  });
});

describe('oracle: expect walk [API] answered from the reclaim and migration walks', () => {
  const text = `${TEXT}
expect walk try_to_migrate p:h, c:h
expect walk remove_migration_ptes c:h
expect walk p:h, c:h
expect walk rmap_walk_anon p:h
expect walk p:h[0]`;
  const placed = probeStatus(['fmk', 'fmkret', 'inval', 'invalret', 'mkone', 'ptecf',
    'fref', 'frefret', 'frefinv', 'frefinvret', 'frefone', 'ttu', 'tturet', 'ttuone',
    'ttm', 'ttmret', 'ttminv', 'ttminvret', 'ttmone', 'rmp', 'rmpret', 'rmpone', 'rwalk', 'rwalkl'].map((ev) => ({ t: 'probe', ev, ok: 1 })));
  function checks(probes = placed) {
    const scn = parse(text).scenario;
    const t = translateScenario(scn, { name: 't.mms' });
    const kernel = kstep([
      kwalk('try_to_migrate', [[11, 0x7f0000000000, false], [12, 0x7f0000000000, false]]),
      kwalk('remove_migration_ptes', [[11, 0x7f0000000000, false], [12, 0x7f0000000000, false]]),
    ]);
    const steps: OracleStepResult[] = t.steps.map((st, i) => ({
      index: st.index, line: st.line, kind: st.kind, observable: st.observable, reason: st.reason, taintedBy: st.taintedBy,
      status: 'observed', tMs: i * 10, accesses: [], pages: [], vmas: [], objPages: [], ops: [], faults: {}, lastSignal: {}, errors: [],
      kernel: i === 5 ? kernel : kstep([]),
    }));
    const res: OracleScenarioResult = {
      name: 't.mms', index: 0, status: 'ok', scenarioKernel: '6.1', steps, errors: [], calibration: [], objects: [], ms: 1000,
      summary: { pass: 0, fail: 0, notObservable: 0 }, mappings: t.mappings, pids: { p: 11, c: 12 },
      kstates: kernelStates(steps.map((x) => x.kernel)), release: '6.1.0-57-amd64', fbObject: null,
    };
    return [6, 7, 8, 9, 10].map((i) => traceChecks(scn.statements[i] as Expectation, steps[i], { res, t, scn, probes })[0]);
  }

  it('the last walk of that API, or the last walk of any; pass or fail with what the kernel walked', () => {
    const [ttm, rmp, last] = checks();
    assert.deepEqual([ttm.verdict, ttm.observed], ['pass', 'p:h, c:h']);
    assert.deepEqual([rmp.flag, rmp.verdict, rmp.observed], ['remove_migration_ptes c:h', 'fail', 'p:h, c:h']);
    assert.deepEqual([last.verdict, last.observed], ['pass', 'p:h, c:h']);
  });

  it('not observable: an API no event sees, a VMA index, the migration probes not placed', () => {
    const [, , , anon, idx] = checks();
    assert.equal(anon.verdict, 'not-observable');
    assert.match(anon.reason!, /rmap_walk_anon: no kprobe event observes this walk/);
    assert.equal(idx.verdict, 'not-observable');
    assert.match(idx.reason!, /VMA index/);
    const noMig = checks(placed.map((p) => (p.ev === 'rmpone' ? { ev: 'rmpone', ok: false, why: 'remove_migration_pte: refused' } : p)));
    // migration's events are one set: a migration walk, or any walk after a migrate, needs them all
    assert.deepEqual(noMig.slice(0, 3).map((c) => c.verdict), ['not-observable', 'not-observable', 'not-observable']);
    assert.match(noMig[1].reason!, /rmpone: remove_migration_pte: refused/);
  });
});

// ------------------------------------------------------------------ recorded boots

const FILES = ['examples/migrate-anon-fork.mms', 'examples/pageout-file.mms'];

function recorded(kernel: '6.1' | '6.12') {
  const texts = FILES.map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'));
  const scenarios = texts.map((t) => parse(t).scenario);
  const ts = scenarios.map((s, i) => translateScenario(s, { name: path.basename(FILES[i]), index: i, invalid: check(s).invalid }));
  const log = fs.readFileSync(path.join(ROOT, 'test/unit/oracle/fixtures', `walks-${kernel}.serial.log`), 'utf8');
  const r = resultsFromLog(log, ts, scenarios);
  const cmp = (i: number) => compareScenario(r.scenarios[i], captureEngine(scenarios[i], r.scenarios[i], { kernel, fbDelayMs: 48 }),
    { lines: texts[i].split('\n'), probes: r.run?.probes ?? null });
  return { r, cmp };
}

for (const kernel of ['6.1', '6.12'] as const) {
  describe(`oracle: reclaim and migration walks on a recorded ${kernel} boot`, () => {
    it('all 32 probes were placed, the walk entry points and rmap_one callbacks included', () => {
      const { r } = recorded(kernel);
      assert.equal(r.run?.probes?.length, 32);
      assert.deepEqual(r.run?.probes?.filter((p) => !p.ok), []);
      assert.deepEqual(r.scenarios.map((s) => s.status), ['ok', 'ok']);
    });

    it('migrate of a folio parent and child map: try_to_migrate and remove_migration_ptes visit p then c, as the engine; `expect walk API` passes', () => {
      const { r, cmp } = recorded(kernel);
      const s = r.scenarios[0];
      const mig = s.steps.find((x) => x.kind === 'migrate')!;
      const procOf = (tgid: number) => Object.entries(s.pids).find(([, p]) => p === tgid)?.[0];
      assert.deepEqual(mig.kernel!.walks.map((w) => `${w.api}: ${kernelVisitNames(w, procOf, s.mappings).join(', ')}`),
        ['try_to_migrate: p:h, c:h', 'remove_migration_ptes: p:h, c:h']);
      assert.deepEqual(s.steps.filter((x) => x.kind === 'expect_result').map((x) => [x.line + 1, x.expectation?.verdict]), [[15, 'pass']],
        'MADV_SOFT_OFFLINE returned 0 (the recording predates move_pages)');
      const walks = s.steps.filter((x) => x.kind === 'expect_walk');
      assert.deepEqual(walks.map((w) => [w.line + 1, w.expectation?.verdict]), [[16, 'pass'], [17, 'pass'], [24, 'pass'], [25, 'pass'], [26, 'pass']]);
      const c = cmp(0);
      const v = c.steps.flatMap((x) => x.values.filter((y) => y.field === 'reclaim/migration walks').map((y) => [x.line, y.engine, y.verdict]));
      const reclaim = kernel === '6.1' ? 'folio_referenced: p:h; try_to_unmap: p:h' : 'try_to_unmap: p:h';
      assert.deepEqual(v, [
        [14, 'try_to_migrate: p:h, c:h; remove_migration_ptes: p:h, c:h', 'agree'],
        [21, reclaim, 'agree'],
      ], kernel === '6.1' ? '6.1 checks references (shrink_folio_list(..., false))' : 'from 6.9 MADV_PAGEOUT ignores references: no folio_referenced');
      assert.equal(c.steps.filter((x) => x.verdict === 'differ').length, 0);
    });

    it('pageout of a file mapping: one folio_referenced (up to 6.8) and try_to_unmap per folio a alone maps; f[3], mapped by b too, is not isolated', () => {
      const { cmp } = recorded(kernel);
      const c = cmp(1);
      const v = c.steps.flatMap((x) => x.values.filter((y) => y.field === 'reclaim/migration walks').map((y) => [y.kernel, y.verdict]));
      const one = kernel === '6.1' ? 'folio_referenced: a:m; try_to_unmap: a:m' : 'try_to_unmap: a:m';
      assert.deepEqual(v, [[`${one}; ${one}`, 'agree']]);
      assert.equal(c.steps.filter((x) => x.verdict === 'differ').length, 0);
    });
  });
}
