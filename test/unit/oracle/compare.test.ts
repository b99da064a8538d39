// Engine vs real kernel: the join of the engine's per-statement state with hand-made
// oracle results, and the verdicts (agree / differ / not observable, with reasons).

import { strict as assert } from 'assert';
import { blank as oracleBlank, type Blank } from './oracleBlank';
import { parse } from '../../../src/language/parser';
import type { OraclePage } from '../../../src/oracle/results';
import { captureEngine, compareScenario, formatComparison, pageCode, stepVerdicts, summaryLine, withFbDelay } from '../../../src/oracle/compare';

const FORK = `process p
mmap p anon at 0x1000000 pages 2 private rw as heap
write p heap[0]
fork p as c
write c heap[0]
expect faults c 1
read p heap[1]
`;

function page(proc: string, page: number, o: Partial<OraclePage> = {}): OraclePage {
  return {
    proc, mapping: 0, label: 'heap', page, addr: 0x1000000 + page * 4096, present: false, swapped: false, file: false,
    exclusive: false, softDirty: true, uffdWp: false, pfn: 0, pfnId: null, zeroPage: false, folio: null, ...o,
  };
}
const anon = (pfn: number, mapcount: number, o: Partial<OraclePage> = {}): Partial<OraclePage> => ({
  present: true, pfn, pfnId: pfn, exclusive: mapcount === 1,
  folio: { flags: 0, dirty: false, writeback: false, uptodate: true, lru: true, anon: true, referenced: false, mapcount }, ...o,
});

/** An oracle result with every step observed and empty, to be filled by the test (oracleBlank.ts). */
const blank = (text: string): Blank => oracleBlank(text, {}, { scenarioKernel: '6.15' });
const acc = (proc: string, pageIdx: number, write: boolean, faults: number, ms = 0) => ({
  proc, mapping: 0, label: 'heap', page: pageIdx, addr: 0x1000000 + pageIdx * 4096, write, faults, minflt: faults, majflt: 0, signal: null, us: 1, ms,
});

/** The fork scenario as the real kernel showed it (pfn 100: p's page, 200: c's copy, 7: zero page). */
function forkRecorded(over: { cWriteFaults?: number; cPfn?: number } = {}) {
  const b = blank(FORK);
  const s = b.res.steps;
  s[2].accesses = [acc('p', 0, true, 1)];
  s[2].faults = { p: 1 }; s[2].lastSignal = { p: null };
  s[2].pages = [page('p', 0, anon(100, 1)), page('p', 1)];
  s[3].faults = { p: 1, c: 0 }; s[3].lastSignal = { p: null, c: null };
  s[3].pages = [page('p', 0, anon(100, 2)), page('p', 1), page('c', 0, anon(100, 2)), page('c', 1)];
  const cw = over.cWriteFaults ?? 1, cp = over.cPfn ?? 200;
  s[4].accesses = [acc('c', 0, true, cw)];
  s[4].faults = { p: 1, c: cw }; s[4].lastSignal = { p: null, c: null };
  s[4].pages = [page('p', 0, anon(100, cp === 100 ? 2 : 1)), page('p', 1), page('c', 0, anon(cp, cp === 100 ? 2 : 1)), page('c', 1)];
  s[5].faults = s[4].faults; s[5].lastSignal = s[4].lastSignal;
  s[5].expectation = { verdict: cw === 1 ? 'pass' : 'fail', checks: [{ subject: 'c', flag: 'faults 1', verdict: cw === 1 ? 'pass' : 'fail', observed: String(cw) }] };
  s[6].accesses = [acc('p', 1, false, 1)];
  s[6].faults = { p: 2, c: cw }; s[6].lastSignal = { p: null, c: null };
  s[6].pages = [page('p', 0, anon(100, 1)), page('p', 1, { present: true, pfn: 7, pfnId: 7, zeroPage: true, folio: null }), page('c', 0, anon(cp, 1)), page('c', 1)];
  return b;
}

describe('oracle comparison (engine vs real kernel)', () => {
  it('page codes are short and stable', () => {
    assert.equal(pageCode(page('p', 0)), '-s');
    assert.equal(pageCode(page('p', 0, anon(1, 1))), 'Axsm1');
    assert.equal(pageCode(page('p', 0, { present: true, zeroPage: true, softDirty: false })), 'Z');
  });

  it('a kernel that behaves like the engine: every observable step agrees', () => {
    const b = forkRecorded();
    const eng = captureEngine(b.scenario, b.res, { kernel: '6.1.192' });
    assert.equal(eng.kernel, '6.1.192', 'the engine runs at the release the oracle booted');
    const c = compareScenario(b.res, eng, { lines: b.lines });
    const by = (line: number) => c.steps.find((r) => r.line === line)!;
    assert.equal(c.summary.differ, 0, formatComparison(c).join('\n'));
    assert.equal(by(3).verdict, 'agree');
    assert.deepEqual(by(3).values.find((v) => v.field === 'faults'), { subject: 'p', field: 'faults', engine: '+1 (=1)', kernel: '+1 (=1)', verdict: 'agree', reason: undefined });
    assert.equal(by(5).values.find((v) => v.subject === 'c heap[0..1]')!.engine, 'Axsm1 -s');
    assert.equal(by(6).values[0].field, 'faults');
    assert.equal(by(6).verdict, 'agree');
    // a statement with nothing to see
    assert.equal(by(1).verdict, 'not-observable');
    assert.match(by(1).reason!, /nothing user space can see/);
  });

  it('a different fault count and a shared PFN where the engine copied: differ, with both values', () => {
    const b = forkRecorded({ cWriteFaults: 0, cPfn: 100 });
    const c = compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1.192' }), { lines: b.lines });
    const row = c.steps.find((r) => r.line === 5)!;
    assert.equal(row.verdict, 'differ');
    const f = row.values.find((v) => v.field === 'faults')!;
    assert.deepEqual([f.engine, f.kernel, f.verdict], ['+1 (=1)', '+0 (=0)', 'differ']);
    const pg = row.values.find((v) => v.subject === 'c heap[0..1]')!;
    assert.equal(pg.verdict, 'differ');
    assert.match(pg.reason!, /page identity: engine a new page, kernel same page as L3 p heap\[0\]/);
    assert.match(pg.reason!, /mapcount: engine 1, kernel 2/);
    const ex = c.steps.find((r) => r.line === 6)!;
    assert.equal(ex.verdict, 'differ');
    assert.equal(c.summary.differ >= 2, true);
  });

  it('a tainted step is not observable, whatever the values', () => {
    const b = forkRecorded({ cWriteFaults: 0 });
    b.res.steps[4].taintedBy = [1];
    const row = compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1.192' })).steps[4];
    assert.equal(row.verdict, 'not-observable');
    assert.match(row.values[0].reason!, /tainted: L2 did not run on the real kernel/);
  });

  it('a statement with no user-space trigger is not observable, with the reason', () => {
    const text = 'file f pages 1\nprocess p\nmmap p f at 0x1000000 pages 1 shared rw as m\nwrite p m[0]\nwrprotect f[0..0]\n';
    const b = blank(text);
    const row = compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1.192' })).steps[4];
    assert.equal(row.verdict, 'not-observable');
    assert.match(row.reason!, /no user-space trigger/);
  });

  it('fb_defio: the engine runs with the kernel delay; accesses 30-100 ms after an arming write are not compared', () => {
    const text = 'fbdev fb pages 2 backing vmalloc delay 50ms\nprocess x\nmmap x fb at 0x7f0000000000 pages 2 shared rw as m\n' +
      'write x m[0]\nwait 49ms\nwrite x m[0]\nwait 200ms\nwrite x m[0]\n';
    const b = blank(text);
    const fbpage = (o: Partial<OraclePage>): OraclePage => ({ ...page('x', 0), label: 'm', addr: 0x7f0000000000, ...o });
    const fbacc = (faults: number, ms: number) => ({ ...acc('x', 0, true, faults, ms), label: 'm', addr: 0x7f0000000000 });
    const present = { present: true, file: true, exclusive: true, pfn: 9, pfnId: 1,
      folio: { flags: 0, dirty: true, writeback: false, uptodate: true, lru: false, anon: false, referenced: false, mapcount: 1 } };
    b.res.steps[3].accesses = [fbacc(1, 10)]; b.res.steps[3].faults = { x: 1 }; b.res.steps[3].pages = [fbpage(present)];
    // the kernel's work had not run yet at 62 ms (it does in the engine at 48 ms): no verdict
    b.res.steps[5].accesses = [fbacc(0, 62)]; b.res.steps[5].faults = { x: 1 }; b.res.steps[5].pages = [fbpage(present)];
    b.res.steps[7].accesses = [fbacc(1, 280)]; b.res.steps[7].faults = { x: 2 }; b.res.steps[7].pages = [fbpage(present)];
    const eng = captureEngine(b.scenario, b.res, { kernel: '6.1.192', fbDelayMs: 48 });
    assert.match(eng.notes[0], /delay 50 ms in the scenario; the engine ran with the real kernel's 48 ms/);
    const c = compareScenario(b.res, eng);
    assert.equal(c.steps[3].verdict, 'agree');
    const mid = c.steps[5].values.find((v) => v.field === 'faults')!;
    assert.equal(mid.verdict, 'not-observable');
    assert.match(mid.reason!, /timing window: 52 ms after an arming write/);
    assert.equal(c.steps[7].values.find((v) => v.field === 'faults')!.verdict, 'agree');
  });

  it('object pages (expect folio): residency and folio flags are compared', () => {
    const text = 'file f pages 2\nprocess p\nmmap p f at 0x1000000 pages 2 shared rw as m\nwrite p m[0]\nexpect folio f[0] dirty\n';
    const b = blank(text);
    const folio = (dirty: boolean) => ({ flags: 0, dirty, writeback: false, uptodate: true, lru: true, anon: false, referenced: false, mapcount: 1 });
    b.res.steps[4].objPages = [{ obj: 'f', index: 0, resident: true, pfn: 5, pfnId: 1, folio: folio(false) }];
    b.res.steps[4].expectation = { verdict: 'fail', checks: [{ subject: 'f[0]', flag: 'dirty', verdict: 'fail', observed: '0' }] };
    const row = compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1.192' })).steps[4];
    const f = row.values.find((v) => v.subject === 'f[0]')!;
    assert.deepEqual([f.engine, f.kernel, f.verdict], ['cached Dm1', 'cached m1', 'differ']);
    assert.match(f.reason!, /dirty: engine 1, kernel 0/);
    assert.equal(row.values.find((v) => v.subject === 'expect')!.verdict, 'differ');
  });

  it('withFbDelay leaves the original scenario alone', () => {
    const { scenario } = parse('fbdev fb pages 2 backing vmalloc delay 20ms\n');
    const w = withFbDelay(scenario, 48);
    assert.deepEqual(w.changed.map((c) => c.from), [20]);
    assert.equal((scenario.statements[0] as { delay?: { ms: number } }).delay!.ms, 20);
    assert.equal((w.scenario.statements[0] as { delay?: { ms: number } }).delay!.ms, 48);
  });
});

describe('the comparison table and summary (docs/real-kernel.md, "Comparison")', () => {
  // the rows up to the fork, the same for both kernels below
  const UNTIL_FORK = [
    'line  statement                          value              engine                   kernel                   verdict',
    'L1    process p                                                                                               not-observable (nothing user space can see changes at this statement)',
    'L2    mmap p anon at 0x1000000 pages 2 …                                                                      not-observable (nothing user space can see changes at this statement)',
    'L3    write p heap[0]                    faults p           +1 (=1)                  +1 (=1)                  agree',
    '                                         signal p           none                     none                     agree',
    '                                         p heap[0..1]       Axsm1 -s                 Axsm1 -s                 agree',
    'L4    fork p as c                        p heap[0..1]       Asm2 -s                  Asm2 -s                  agree',
    '                                         c heap[0..1]       Asm2 -s                  Asm2 -s                  agree',
  ];
  const table = (over: Parameters<typeof forkRecorded>[0]) => {
    const b = forkRecorded(over);
    const c = compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1' }), { lines: b.lines });
    return { c, lines: formatComparison(c), summary: summaryLine(c) };
  };
  it('a kernel that behaves like the engine: every row, value and verdict of the table', () => {
    const t = table({});
    assert.deepEqual(t.lines, [
      ...UNTIL_FORK,
      'L5    write c heap[0]                    faults c           +1 (=1)                  +1 (=1)                  agree',
      '                                         signal c           none                     none                     agree',
      '                                         p heap[0..1]       Axsm1 -s                 Axsm1 -s                 agree',
      '                                         c heap[0..1]       Axsm1 -s                 Axsm1 -s                 agree',
      'L6    expect faults c 1                  faults expect      pass                     pass faults 1:ok         agree',
      'L7    read p heap[1]                     faults p           +1 (=2)                  +1 (=2)                  agree',
      '                                         signal p           none                     none                     agree',
      '                                         p heap[0..1]       Axsm1 Zs                 Axsm1 Zs                 agree',
      '                                         c heap[0..1]       Axsm1 -s                 Axsm1 -s                 agree',
    ]);
    assert.equal(t.summary, 't.mms: 5 agree, 0 differ, 2 not observable (engine as 6.1)');
  });
  it('a kernel that did not copy on write: the differing fields of each page, the identity of its page, the failed expectation', () => {
    const t = table({ cWriteFaults: 0, cPfn: 100 });
    assert.deepEqual(t.lines, [
      ...UNTIL_FORK,
      'L5    write c heap[0]                    faults c           +1 (=1)                  +0 (=0)                  differ',
      '                                         signal c           none                     none                     agree',
      '                                         p heap[0..1]       Axsm1 -s                 Asm2 -s                  differ ([0] exclusive: engine 1, kernel 0; [0] mapcount: engine 1, kernel 2)',
      '                                         c heap[0..1]       Axsm1 -s                 Asm2 -s                  differ ([0] exclusive: engine 1, kernel 0; [0] mapcount: engine 1, kernel 2; [0] page identity: engine a new page, kernel same page as L3 p heap[0])',
      'L6    expect faults c 1                  faults expect      pass                     fail faults 1:FAIL(0)    differ',
      'L7    read p heap[1]                     faults p           +1 (=2)                  +1 (=2)                  agree',
      '                                         signal p           none                     none                     agree',
      '                                         p heap[0..1]       Axsm1 Zs                 Axsm1 Zs                 agree',
      '                                         c heap[0..1]       Axsm1 -s                 Axsm1 -s                 differ ([0] page identity: engine same page as L5 c heap[0], kernel same page as L3 p heap[0])',
    ]);
    assert.equal(t.summary, 't.mms: 2 agree, 3 differ, 2 not observable (engine as 6.1)');
    const v = stepVerdicts(t.c);
    assert.deepEqual([...v.keys()], [0, 1, 2, 3, 4, 5, 6]);
    assert.deepEqual([v.get(4)!.verdict, v.get(4)!.values.map((x) => `${x.field} ${x.subject}: ${x.verdict}`)],
      ['differ', ['faults c: differ', 'signal c: agree', 'pages p heap[0..1]: differ', 'pages c heap[0..1]: differ']]);
    assert.deepEqual([v.get(0)!.verdict, v.get(0)!.reason], ['not-observable', 'nothing user space can see changes at this statement']);
  });
  it('engine fb delay in the summary; a signal the engine did not raise differs', () => {
    const b = forkRecorded({});
    b.res.steps[6].lastSignal = { p: 'SIGSEGV', c: null };
    const eng = captureEngine(b.scenario, b.res, { kernel: '6.1', fbDelayMs: 48 });
    const c = compareScenario(b.res, eng, { lines: b.lines });
    const sig = c.steps[6].values.find((x) => x.field === 'signal')!;
    assert.deepEqual([sig.engine, sig.kernel, sig.verdict], ['none', 'SIGSEGV', 'differ']);
    assert.equal(summaryLine(c), 't.mms: 4 agree, 1 differ, 2 not observable (engine as 6.1, fb delay 48 ms)');
  });
});

describe('the comparison rules at their edges (docs/real-kernel.md, "Comparison")', () => {
  const compare = (b: ReturnType<typeof blank>, fbDelayMs?: number) =>
    compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1', fbDelayMs }), { lines: b.lines });

  it('a step the real kernel did not run, one the engine did not capture, one without a trigger: not observable, each with its reason', () => {
    const b = forkRecorded({});
    b.res.steps[2].status = 'not-run';
    b.res.steps[1].observable = 'no'; b.res.steps[1].reason = undefined;
    const eng = captureEngine(b.scenario, b.res, { kernel: '6.1' });
    eng.steps[6].captured = false;
    const c = compareScenario(b.res, eng, { lines: b.lines });
    assert.deepEqual([1, 2, 6].map((i) => [c.steps[i].verdict, c.steps[i].reason, c.steps[i].values.length]), [
      ['not-observable', 'no user-space trigger: not observable', 0],
      ['not-observable', 'not run on the real kernel', 0],
      ['not-observable', 'the engine did not run this statement', 0],
    ]);
  });

  it('an expectation the kernel could not observe: not observable, with the reasons of its flags', () => {
    const b = forkRecorded({});
    b.res.steps[5].expectation = { verdict: 'not-observable', checks: [
      { subject: 'c', flag: 'faults 1', verdict: 'not-observable', reason: 'first reason' },
      { subject: 'c', flag: 'faults 1', verdict: 'not-observable', reason: 'second reason' }] };
    const v = compare(b).steps[5].values.find((x) => x.subject === 'expect')!;
    assert.deepEqual(v, { subject: 'expect', field: 'faults', engine: 'pass', kernel: 'not-observable faults 1:n/o faults 1:n/o', verdict: 'not-observable', reason: 'first reason; second reason' });
  });

  it('fb_defio: an access is compared below 30 ms and from 100 ms after an arming write, not in between', () => {
    const text = 'fbdev fb pages 2 backing vmalloc delay 50ms\nprocess x\nmmap x fb at 0x7f0000000000 pages 2 shared rw as m\nwrite x m[0]\nwait 1ms\nread x m[0]\n';
    const verdictAt = (ms: number) => {
      const b = blank(text);
      const fbacc = (write: boolean, faults: number, at: number) => ({ ...acc('x', 0, write, faults, at), label: 'm', addr: 0x7f0000000000 });
      const pg = { ...page('x', 0), label: 'm', addr: 0x7f0000000000, present: true, file: true, exclusive: true, pfn: 9, pfnId: 1 };
      b.res.steps[3].accesses = [fbacc(true, 1, 10)]; b.res.steps[3].faults = { x: 1 }; b.res.steps[3].pages = [pg];
      b.res.steps[5].accesses = [fbacc(false, 0, 10 + ms)]; b.res.steps[5].faults = { x: 1 }; b.res.steps[5].pages = [pg];
      const f = compare(b, 48).steps[5].values.find((x) => x.field === 'faults')!;
      return `${f.verdict}${f.reason ? `: ${f.reason}` : ''}`;
    };
    assert.equal(verdictAt(29), 'agree');
    assert.equal(verdictAt(30), 'not-observable: timing window: 30 ms after an arming write (the 48 ms deferred work may or may not have run; compared only below 30 ms or from 100 ms)');
    assert.equal(verdictAt(99), 'not-observable: timing window: 99 ms after an arming write (the 48 ms deferred work may or may not have run; compared only below 30 ms or from 100 ms)');
    assert.equal(verdictAt(100), 'agree');
  });
});

describe('mmscope run --json --kernel-oracle', () => {
  it('carries each step\'s kernel verdict as steps[].kernel', () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const { main } = require('../../../src/cli') as typeof import('../../../src/cli');
    const fs = require('fs') as typeof import('fs'), os = require('os') as typeof import('os'), path = require('path') as typeof import('path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mms-ko-'));
    const mms = path.join(dir, 'fork.mms');
    fs.writeFileSync(mms, FORK);
    const b = forkRecorded();
    const c = compareScenario(b.res, captureEngine(b.scenario, b.res, { kernel: '6.1.192' }), { lines: b.lines });
    const report = path.join(dir, 'k.json');
    fs.writeFileSync(report, JSON.stringify({ format: 'mmscope-kernel-comparison', version: 1, kernel: { release: '6.1.0-56-amd64' }, files: [{ ...c, file: 'elsewhere/fork.mms' }] }));
    let out = '';
    assert.equal(main(['run', mms, '--json', '--kernel-oracle', report], (s) => { out += s; }, () => undefined), 0);
    const j = JSON.parse(out) as { steps: { line: number; kernel?: { verdict: string; release: string } }[] };
    assert.deepEqual(j.steps.find((s) => s.line === 3)!.kernel!.verdict, 'agree');
    assert.equal(j.steps.find((s) => s.line === 3)!.kernel!.release, '6.1.0-56-amd64');
    let err = '';
    assert.equal(main(['run', mms, '--json', '--kernel-oracle', path.join(dir, 'nope.json')], () => undefined, (s) => { err += s; }), 2);
    assert.match(err, /cannot read/);
  });
});
