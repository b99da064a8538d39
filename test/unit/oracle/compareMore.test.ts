// Engine vs real kernel: more rules of the join at their edges (after compareRules.test.ts):
// the statement text, a differing row's reason, the table's column width, the engine's
// failing expectation, page identity the other way round, object-page text of an uncached
// page, the declared process's count, a shmem's cached pages.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import { translateScenario } from '../../../src/oracle/translate';
import type { OraclePage, OracleScenarioResult, OracleStepResult } from '../../../src/oracle/results';
import { captureEngine, compareScenario, formatComparison } from '../../../src/oracle/compare';
import type { KStep } from '../../../src/oracle/kprobes';
import { kernelStates } from '../../../src/oracle/kstate';

type Blank = { res: OracleScenarioResult; lines: string[]; scenario: ReturnType<typeof parse>['scenario'] };
function blank(text: string): Blank {
  const { scenario } = parse(text);
  const t = translateScenario(scenario, { name: 't.mms' });
  const steps: OracleStepResult[] = t.steps.map((s) => ({
    index: s.index, line: s.line, kind: s.kind, observable: s.observable, reason: s.reason, taintedBy: s.taintedBy,
    status: s.observable === 'no' ? 'not-observable' : 'observed', tMs: 0, accesses: [], pages: [], vmas: [], objPages: [], ops: [], faults: {}, lastSignal: {}, errors: [],
  }));
  return { scenario, lines: text.split('\n'), res: { name: 't.mms', index: 0, status: 'ok', scenarioKernel: '6.15', steps, errors: [], calibration: [], objects: [], ms: 1,
    summary: { pass: 0, fail: 0, notObservable: 0 }, mappings: t.mappings, pids: { p: 101 }, kstates: null, release: '6.1.0-57-amd64', fbObject: null } };
}
const run = (b: Blank, withLines = true) => compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1.192' }), withLines ? { lines: b.lines } : {});
const anon = (pfn: number): OraclePage => ({ proc: 'p', mapping: 0, label: 'm', page: 1, addr: 0x1001000, present: true, swapped: false, file: false, exclusive: true,
  softDirty: true, uffdWp: false, pfn, pfnId: pfn, zeroPage: false, folio: { flags: 0, dirty: false, writeback: false, uptodate: true, lru: true, anon: true, referenced: false, mapcount: 1 } });

describe('oracle comparison: more rules at their edges', () => {
  it('a row\'s text is its line without the comment and blanks; without lines it is empty', () => {
    const b = blank('process p   # the process\n');
    assert.equal(run(b).steps[0].text, 'process p');
    assert.equal(run(b, false).steps[0].text, '');
  });

  it('a differing or agreeing row has no reason of its own (its values carry them)', () => {
    const b = blank('process p\nprocess q\n');
    b.res.steps[0].faults = { p: 1 };
    b.res.steps[1].faults = { q: 0, p: 0 };
    const c = run(b);
    assert.deepEqual([c.steps[0].verdict, c.steps[0].reason, c.steps[1].verdict, c.steps[1].reason], ['differ', undefined, 'agree', undefined]);
    // the declared process is the one the previous step did not have, wherever it is in the record
    assert.equal(c.steps[1].values[0].subject, 'q');
  });

  it('the table: a statement exactly as wide as its column is printed whole', () => {
    const b = blank('process abcdefghijklmnopqrstuvwxyz\n');
    assert.equal(formatComparison(run(b))[1].slice(0, 41), 'L1    process abcdefghijklmnopqrstuvwxyz ');
  });

  it('an expectation the engine fails: its message; a kernel verdict without checks', () => {
    const b = blank('process p\nexpect faults p 1\n');
    b.res.steps[1].expectation = { verdict: 'pass', checks: [] };
    const v = run(b).steps[1].values.find((x) => x.subject === 'expect')!;
    assert.deepEqual([v.engine, v.kernel, v.verdict], ['fail: expected p to have taken 1 page faults, found 0', 'pass', 'differ']);
    b.res.steps[1].expectation = { verdict: 'not-observable', checks: [{ subject: 'p', flag: 'faults 1', verdict: 'not-observable', reason: 'why' }, { subject: 'p', flag: 'faults 1', verdict: 'not-observable' }] };
    assert.equal(run(b).steps[1].values.find((x) => x.subject === 'expect')!.reason, 'why');
  });

  it('sysctl swap pages N [sync]: the slots /proc/swaps lists (si->pages, without the header page) and the kind of device', () => {
    const swapRow = (text: string, op?: { op: string; ret: number }) => {
      const b = blank(text);
      if (op) b.res.steps[0].ops = [{ proc: null, op: op.op, ret: op.ret, errno: 0, us: 0 }];
      return run(b).steps[0].values.find((v) => v.subject === 'swap');
    };
    const v = swapRow('sysctl swap pages 16\n', { op: 'swap_pages_file', ret: 15 })!;
    assert.deepEqual([v.field, v.engine, v.kernel, v.verdict], ['sysctl', '15 slots on file', '15 slots on file', 'agree']);
    // a swap file on a filesystem whose extents are not page-aligned loses a page per extent
    assert.deepEqual([swapRow('sysctl swap pages 16\n', { op: 'swap_pages_file', ret: 14 })!.kernel, swapRow('sysctl swap pages 16\n', { op: 'swap_pages_file', ret: 14 })!.verdict], ['14 slots on file', 'differ']);
    assert.equal(swapRow('sysctl swap pages 16 sync\n', { op: 'swap_pages_zram', ret: 15 })!.verdict, 'agree');
    assert.deepEqual([swapRow('sysctl swap pages 16\n', { op: 'swap_pages_zram', ret: 15 })!.verdict, swapRow('sysctl swap pages 16\n', { op: 'swap_pages_file', ret: -1 })!.kernel], ['differ', 'not listed']);
    assert.equal(swapRow('sysctl swap pages 16\n'), undefined, 'nothing recorded: nothing compared');
  });

  it('page identity after a statement that freed pages in the engine: a PFN the kernel hands out again is a new page on both sides', () => {
    // MADV_DONTNEED frees the folio (zap_pte_range -> free_pages_and_swap_cache); the next
    // write fault's alloc_anon_folio may get the same PFN back from the per-CPU free list
    const b = blank('process p\nmmap p anon at 0x1000000 pages 2 private rw as m\nwrite p m[1]\nmadvise p m[1] dontneed\nwrite p m[1]\n');
    b.res.steps[2].pages = [anon(50)];
    b.res.steps[4].pages = [anon(50)];
    const e = captureEngine(b.scenario, b.res, { kernel: '6.1.192' });
    assert.deepEqual(e.steps.map((s) => !!s.freed), [false, false, false, true, false]);
    const v = run(b).steps[4].values.find((x) => x.field === 'pages')!;
    assert.equal(v.verdict, 'agree');
    // without a free in between (a read instead) identity still holds: the engine kept its
    // page, so a kernel PFN seen for the first time is a difference
    const c = blank('process p\nmmap p anon at 0x1000000 pages 2 private rw as m\nwrite p m[1]\nread p m[0]\nwrite p m[1]\n');
    c.res.steps[2].pages = [anon(50)];
    c.res.steps[4].pages = [anon(51)];
    assert.equal(run(c).steps[4].values.find((x) => x.field === 'pages')!.verdict, 'differ');
    c.res.steps[4].pages = [anon(50)];
    assert.equal(run(c).steps[4].values.find((x) => x.field === 'pages')!.verdict, 'agree');
  });

  it('page identity the other way round: the engine kept the page, the kernel has a new one', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 2 private rw as m\nwrite p m[1]\nread p m[1]\n');
    b.res.steps[2].pages = [anon(50)];
    b.res.steps[3].pages = [anon(51)];
    const v = run(b).steps[3].values.find((x) => x.field === 'pages')!;
    assert.equal(v.reason, '[1] page identity: engine same page as L3 p m[1], kernel a new page');
  });

  it('an object page neither side has cached', () => {
    const b = blank('file g pages 2 cold\n');
    b.res.steps[0].objPages = [{ obj: 'g', index: 0, resident: false, pfn: 0, pfnId: null, folio: null }];
    const v = run(b).steps[0].values.find((x) => x.field === 'folio')!;
    assert.deepEqual([v.engine, v.kernel, v.verdict], ['not cached', 'not cached', 'agree']);
  });

  it('a shmem\'s cached pages are compared as a file\'s are', () => {
    const b = blank('shmem h pages 2\n');
    b.res.objects = [{ name: 'h', kind: 'shmem', pages: 2, resident: 2 }];
    const v = run(b).steps[0].values;
    assert.deepEqual(v.map((x) => `${x.subject} ${x.field} ${x.engine} ${x.kernel} ${x.verdict}`), ['h cached 0 pages 2 pages differ']);
  });

  it('an observed step with nothing to compare: the reason is that nothing changed, not the translation\'s note', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 1 private rw as m\n');
    b.res.steps[1].reason = 'a note';
    assert.equal(b.res.steps[1].observable === 'partial', false);
    assert.equal(run(b).steps[1].reason, 'nothing user space can see changes at this statement');
  });

  it('the kernel\'s deferred work ran, the engine\'s not: every expectation that depends on the runs is not observable (defio written, walk, result, pte of an fb page); pte of anon pages and faults still are', () => {
    const text = 'fbdev fb pages 2 backing vmalloc\nprocess x\nmmap x fb at 0x3000000 pages 2 shared rw as v\nmmap x anon at 0x1000000 pages 1 private rw as m\n' +
      'write x m[0]\nwrite x v[0]\nexpect defio fb written 0\nexpect walk none\nexpect result 0\nexpect pte x m[0] present\nexpect faults x 2\n';
    const b = blank(text);
    const kstep = (o: Partial<KStep> = {}): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [], ...o });
    b.res.steps.forEach((x) => { x.kernel = kstep(); x.tMs = x.index * 10; });
    b.res.steps[5].kernel = kstep({ mkwrites: [{ pgoff: 0, ms: 51 }], workRuns: [{ startMs: 99, endMs: 100, pages: [0] }] });
    const m0: OraclePage = { ...anon(10), proc: 'x', mapping: 1, page: 0, addr: 0x1000000 };
    b.res.steps[9].pages = [m0, { ...m0, addr: 0x1000000 }];
    for (const i of [6, 7, 8, 9, 10]) b.res.steps[i].expectation = { verdict: 'fail', checks: [{ subject: 'x', flag: 'f', verdict: 'fail' }] };
    b.res.pids = { x: 101 }; b.res.fbObject = 'fb'; b.res.ms = 200;
    b.res.kstates = kernelStates(b.res.steps.map((x) => x.kernel));
    const c = compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1.192', fbDelayMs: 48 }), { lines: b.lines });
    const ex = (i: number) => c.steps[i].values.find((v) => v.subject === 'expect')!.verdict;
    assert.deepEqual([6, 7, 8, 9, 10].map(ex), ['not-observable', 'not-observable', 'not-observable', 'differ', 'differ']);
  });
});
