// Engine vs real kernel, rule by rule (docs/real-kernel.md, "Comparison"): what the engine
// side records of each page as pagemap / kpageflags / mincore would show it, and each rule
// of the join at the edge where it switches (a field compared or not, a verdict and its
// reason). Hand-made oracle results; the engine side is the engine's own run.

import { strict as assert } from 'assert';
import { blank as oracleBlank, type Blank } from './oracleBlank';
import { parse } from '../../../src/language/parser';
import type { OracleFolio, OracleObjPage, OraclePage } from '../../../src/oracle/results';
import type { KPte, KStep, ProbeStatus } from '../../../src/oracle/kprobes';
import { PROBE_NEEDS, PTE } from '../../../src/oracle/kprobes';
import { kernelStates } from '../../../src/oracle/kstate';
import {
  type EngineCapture, type EnginePage, captureEngine, compareScenario, formatComparison, pageCode, withFbDelay,
} from '../../../src/oracle/compare';


/** An oracle result with every step observed and empty, to be filled by the test (oracleBlank.ts). */
const blank = (text: string): Blank => oracleBlank(text, { p: 101, q: 102 }, { scenarioKernel: '6.15' });

const BASE = { m: 0x1000000, s: 0x2000000, v: 0x3000000 } as const;
/** A page as the oracle read it: a hole unless `o` says otherwise. */
function kpage(label: keyof typeof BASE, page: number, o: Partial<OraclePage> = {}, proc = 'p'): OraclePage {
  return {
    proc, mapping: label === 'm' ? 0 : label === 's' ? 1 : 2, label, page, addr: BASE[label] + page * 4096, present: false, swapped: false,
    file: false, exclusive: false, softDirty: false, uffdWp: false, pfn: 0, pfnId: null, zeroPage: false, folio: null, ...o,
  };
}
const folio = (o: Partial<OracleFolio> = {}): OracleFolio => ({ flags: 0, dirty: false, writeback: false, uptodate: true, lru: true, anon: false, referenced: false, mapcount: 1, ...o });
const acc = (label: keyof typeof BASE, page: number, write: boolean, faults: number, ms = 0, proc = 'p') => ({
  proc, mapping: 0, label, page, addr: BASE[label] + page * 4096, write, faults, minflt: faults, majflt: 0, signal: null, us: 1, ms,
});
const capture = (b: Blank, fbDelayMs?: number): EngineCapture => captureEngine(b.scenario, b.res, { kernel: '6.1.192', fbDelayMs });
/** One projection of an engine page: its code, and the fields the code does not show. */
const eview = (p: EnginePage | null) => p && { code: pageCode(p), pfn: p.pfn !== 0, fb: p.fb, pte: `${p.pte.write ? 'w' : ''}${p.pte.dirty ? 'd' : ''}${p.pte.young ? 'y' : ''}` };

// an anon mapping (m), a shared file mapping (s) and an fb mapping (v) of one process
const PAGES = `file f pages 2
fbdev fb pages 1 backing vmalloc
process p
mmap p anon at 0x1000000 pages 2 private rw as m
mmap p f at 0x2000000 pages 2 shared rw as s
mmap p fb at 0x3000000 pages 1 shared rw as v
read p m[0]
write p m[1]
write p s[1]
write p v[0]
clear_refs p softdirty
expect pte p m[1] !write
exit p
expect faults p 4
file g pages 3 cold
shmem h pages 2
sysctl fault_around_bytes 8192`;

describe('oracle capture: the engine page as pagemap, kpageflags and kpagecount show it', () => {
  // computed in each test, not when the suite is defined: Stryker's per-test coverage then
  // sees which test runs which line (code run outside a test is a 'static' mutant: every test runs for it)
  const captured = (): EngineCapture => {
    const b = blank(PAGES);
    const all = [kpage('m', 0), kpage('m', 1), kpage('s', 0), kpage('s', 1), kpage('v', 0)];
    b.res.steps[9].pages = all;
    b.res.steps[10].pages = all;
    b.res.steps[11].pages = [kpage('m', 1)];
    b.res.steps[12].pages = [kpage('m', 1)];
    const objs = (o: [string, number][]): OracleObjPage[] => o.map(([obj, index]) => ({ obj, index, resident: null, pfn: 0, pfnId: null, folio: null }));
    b.res.steps[9].objPages = objs([['f', 0], ['f', 1], ['fb', 0], ['nope', 0]]);
    b.res.steps[14].objPages = objs([['g', 0]]);
    return capture(b);
  };

  it('every page of a new VMA is soft-dirty (VM_SOFTDIRTY), holes included; a zero page is special: no file, no exclusive, no folio', () => {
    const e = captured();
    assert.deepEqual(e.steps[9].pages.map(eview), [
      // read of anon: the zero page (vm_normal_page() is NULL for it: not file, not exclusive)
      { code: 'Zs', pfn: true, fb: false, pte: 'y' },
      // write of anon: a new exclusive anon folio, the PTE writable, dirty and young
      { code: 'Axsm1', pfn: true, fb: false, pte: 'wdy' },
      // never touched: a hole, PFN 0, no PTE bits; soft-dirty because the VMA is new
      { code: '-s', pfn: false, fb: false, pte: '' },
      // write of a shared file page: page cache (file), dirtied by the write fault
      { code: 'FxsDm1', pfn: true, fb: false, pte: 'wdy' },
      // the fb page is file (the shadow page is not anon) and lies in an fbdev mapping
      { code: 'FxsDm1', pfn: true, fb: true, pte: 'wdy' },
    ]);
  });

  it('clear_refs softdirty clears VM_SOFTDIRTY and every PTE soft-dirty bit, and write-protects the PTEs', () => {
    const e = captured();
    assert.deepEqual(e.steps[10].pages.map((p) => p && pageCode(p)), ['Z', 'Axm1', '-', 'FxDm1', 'FxDm1']);
    assert.equal(e.steps[10].pages[1]!.pte.write, false);
    assert.equal(e.steps[10].pages[1]!.pte.dirty, true, 'clear_refs keeps the dirty bit');
  });

  it('an expectation sees the state of the statement before it, with no faults of its own', () => {
    const e = captured();
    assert.deepEqual([e.steps[11].captured, e.steps[11].delta, e.steps[11].faults], [true, {}, { p: 4 }]);
    assert.deepEqual(e.steps[11].pages.map((p) => p && pageCode(p)), ['Axm1']);
    assert.deepEqual(e.steps[11].expect, { ok: true, message: 'PTE flags hold' });
  });

  it('faults of a statement: only the processes whose count changed; an exited process has no page and no count', () => {
    const e = captured();
    assert.deepEqual(e.steps.slice(6, 10).map((s) => s.delta), [{ p: 1 }, { p: 1 }, { p: 1 }, { p: 1 }]);
    assert.deepEqual([e.steps[5].delta, e.steps[10].delta], [{}, {}]);
    assert.deepEqual([e.steps[12].pages, e.steps[12].faults, e.steps[12].lastSignal], [[null], {}, {}]);
    // what the process took stays defined for `expect faults` (wait4 rusage)
    assert.deepEqual(e.steps[13].expect, { ok: true, message: 'p took 4 faults' });
  });

  it('a line the checker refuses is not run: it sees the state before it, is marked skipped, and stops the expectations (exit status 2)', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 1 private rw as m\nwrite p m[0]\nwrite p nosuch[0]\nexpect faults p 1\nwrite p m[0]\n');
    const e = capture(b);
    assert.deepEqual(e.steps.map((s) => [s.captured, s.faults, s.delta, s.skipped ?? false]), [
      [true, { p: 0 }, {}, false], [true, { p: 0 }, {}, false], [true, { p: 1 }, { p: 1 }, false],
      [true, { p: 1 }, {}, true], [true, { p: 1 }, {}, true], [true, { p: 1 }, {}, false],
    ]);
    assert.equal(e.exitStatus, 2);
    const f = capture(blank('process p\nexpect faults p 1\n'));
    assert.deepEqual([f.exitStatus, f.steps[1].expect], [1, { ok: false, message: 'expected p to have taken 1 page faults, found 0' }]);
  });

  it('object pages: a created file is cached (written and fsynced), a cold one is not; an object the engine lacks is null', () => {
    const e = captured();
    const o = e.steps[9].objPages!;
    assert.deepEqual(o.map((x) => x && [x.obj, x.index, x.fb, x.resident, x.pfn !== 0, x.folio && `${x.folio.dirty ? 'D' : ''}m${x.folio.mapcount}`]), [
      ['f', 0, false, true, true, 'm0'],
      ['f', 1, false, true, true, 'Dm1'],
      ['fb', 0, true, true, true, 'Dm1'],
      null,
    ]);
    assert.deepEqual(e.steps[14].objPages, [{ obj: 'g', index: 0, fb: false, resident: false, pfn: 0, folio: null }]);
  });

  it('declarations: the pages a file or shmem has in the page cache; fault_around_bytes as set', () => {
    const e = captured();
    assert.deepEqual([e.steps[0].cached, e.steps[14].cached, e.steps[15].cached], [{ obj: 'f', pages: 2 }, { obj: 'g', pages: 0 }, { obj: 'h', pages: 0 }]);
    assert.equal(e.steps[1].cached, undefined, 'an fbdev has no page cache');
    assert.deepEqual([e.steps[15].faultAroundBytes, e.steps[16].faultAroundBytes], [65536, 8192]);
  });

  it('the fb delay: default 50 ms, changed (with a note) only where it differs from the kernel\'s', () => {
    assert.deepEqual(withFbDelay(parse('fbdev a pages 1\nfbdev b pages 1 delay 48ms\nfile f pages 1\n').scenario, 48).changed, [{ line: 0, from: 50 }]);
    const same = parse('fbdev a pages 1 delay 48ms\n').scenario;
    assert.equal(withFbDelay(same, 48).scenario.statements[0], same.statements[0]);
    const fb = blank('fbdev a pages 1\n');
    assert.deepEqual(capture(fb, 50).notes, []);
    assert.deepEqual(capture(fb, 48).notes, ["L1: fbdev delay 50 ms in the scenario; the engine ran with the real kernel's 48 ms"]);
    assert.equal(capture(fb).fbDelayMs, null);
  });
});

describe('oracle comparison: each rule where it switches', () => {
  const run = (b: Blank, opts: Parameters<typeof compareScenario>[2] = {}, fbDelayMs?: number) =>
    compareScenario(b.res, capture(b, fbDelayMs), { lines: b.lines, ...opts });
  const val = (c: ReturnType<typeof compareScenario>, i: number, field: string) => {
    const v = c.steps[i].values.filter((x) => x.field === field);
    assert.equal(v.length, 1, `one ${field} value at step ${i}: ${formatComparison(c).join('\n')}`);
    return `${v[0].subject} | ${v[0].engine} | ${v[0].kernel} | ${v[0].verdict}${v[0].reason ? ` | ${v[0].reason}` : ''}`;
  };

  it('a new process starts with no faults: compared for the process the line declares, not for those before it', () => {
    const b = blank('process p\nprocess q\nfork q as c\n');
    b.res.steps[0].faults = { p: 0 };
    b.res.steps[1].faults = { p: 0, q: 3 };
    b.res.steps[2].faults = { p: 0, q: 0, c: 0 };
    const c = run(b);
    assert.equal(val(c, 0, 'faults'), 'p | 0 | 0 | agree');
    assert.equal(val(c, 1, 'faults'), 'q | 0 | 3 | differ');
    assert.deepEqual(c.steps[2].values, [], 'fork is not a declaration with an outcome');
    assert.deepEqual(c.summary, { agree: 1, differ: 1, notObservable: 1, directives: 0 });
  });

  it('a file\'s cached pages after creation are compared when the kernel counted them', () => {
    const b = blank('file f pages 2\nfile g pages 3 cold\nshmem h pages 1\n');
    b.res.objects = [{ name: 'f', kind: 'file', pages: 2, resident: 2 }, { name: 'g', kind: 'file', pages: 3, resident: 1 }, { name: 'h', kind: 'shmem', pages: 1, resident: -1 }];
    const c = run(b);
    assert.equal(val(c, 0, 'cached'), 'f | 2 pages | 2 pages | agree');
    assert.equal(val(c, 1, 'cached'), 'g | 0 pages | 1 pages | differ');
    assert.deepEqual([c.steps[2].values, c.steps[2].reason], [[], 'nothing user space can see changes at this statement'], 'resident -1: not counted');
    b.res.objects = [];
    assert.deepEqual(run(b).steps[0].values, [], 'an object the kernel did not report');
    b.res.objects = [{ name: 'f', kind: 'file', pages: 2, resident: 0 }];
    assert.equal(val(run(b), 0, 'cached'), 'f | 2 pages | 0 pages | differ', 'resident 0 is a count');
  });

  it('sysctl fault_around_bytes: the value the kernel read back', () => {
    const b = blank('sysctl fault_around_bytes 8192\n');
    b.res.steps[0].ops = [{ proc: null, op: 'other', ret: 1, errno: 0, us: 1 }, { proc: null, op: 'fault_around_bytes', ret: 8192, errno: 0, us: 1 }];
    assert.equal(val(run(b), 0, 'sysctl'), 'fault_around_bytes | 8192 | 8192 | agree');
    b.res.steps[0].ops[1].ret = 4096;
    assert.equal(val(run(b), 0, 'sysctl'), 'fault_around_bytes | 8192 | 4096 | differ');
    b.res.steps[0].ops = [];
    assert.deepEqual(run(b).steps[0].values, []);
  });

  it('faults of an access: the sum over its accesses; a signal compared per process', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 2 private rw as m\nwrite p m[0..1]\n');
    b.res.steps[2].accesses = [acc('m', 0, true, 1), acc('m', 1, true, 1)];
    b.res.steps[2].faults = { p: 2 };
    b.res.steps[2].lastSignal = { p: 'SIGBUS' };
    const c = run(b);
    assert.equal(val(c, 2, 'faults'), 'p | +2 (=2) | +2 (=2) | agree');
    assert.equal(val(c, 2, 'signal'), 'p | none | SIGBUS | differ');
    b.res.steps[2].faults = {};
    b.res.steps[2].accesses[1].faults = 0;
    assert.equal(val(run(b), 2, 'faults'), 'p | +2 (=2) | +1 (=?) | differ');
  });

  /** The PAGES scenario with the oracle's pages at the writes (step 9) set to what `pages` says. */
  function pagesAt9(pages: OraclePage[], over: (b: Blank) => void = () => undefined): Blank {
    const b = blank(PAGES);
    b.res.steps[9].pages = pages;
    over(b);
    return b;
  }
  const ANON = kpage('m', 1, { present: true, exclusive: true, softDirty: true, pfn: 50, pfnId: 50, folio: folio({ anon: true }) });
  const ZERO = kpage('m', 0, { present: true, softDirty: true, pfn: 7, pfnId: 7, zeroPage: true });
  const FILE = kpage('s', 1, { present: true, file: true, exclusive: true, softDirty: true, pfn: 60, pfnId: 60, folio: folio({ dirty: true }) });
  const FB = kpage('v', 0, { present: true, file: true, exclusive: true, softDirty: true, pfn: 70, pfnId: 70, folio: folio({ dirty: true }) });

  it('pages that agree; a page group is named PROC LABEL[FIRST..LAST], one page LABEL[I]', () => {
    const c = run(pagesAt9([ZERO, ANON, kpage('s', 0, { softDirty: true }), FILE, FB]));
    assert.deepEqual(c.steps[9].values.filter((v) => v.field === 'pages').map((v) => `${v.subject} ${v.kernel} ${v.verdict}`),
      ['p m[0..1] Zs Axsm1 agree', 'p s[0..1] -s FxsDm1 agree', 'p v[0] FxsDm1 agree']);
  });

  it('zero page, file and exclusive are compared only where both sides have the page present', () => {
    const diff = (p: OraclePage) => run(pagesAt9([p])).steps[9].values.find((v) => v.field === 'pages')!.reason;
    assert.equal(diff({ ...ZERO, zeroPage: false }), '[0] zero page: engine 1, kernel 0');
    assert.equal(diff({ ...ANON, file: true }), '[1] file: engine 0, kernel 1');
    assert.equal(diff({ ...ANON, exclusive: false }), '[1] exclusive: engine 1, kernel 0');
    assert.equal(diff({ ...ANON, softDirty: false }), '[1] softdirty: engine 1, kernel 0');
    // a hole on the kernel: only present (and soft-dirty) differ, not the fields of a page
    assert.equal(diff(kpage('m', 1, { softDirty: true })), '[1] present: engine 1, kernel 0');
    assert.equal(diff(kpage('s', 0, { present: true, softDirty: true, pfn: 61, pfnId: 61 })), '[0] present: engine 0, kernel 1');
  });

  it('the folio (dirty, writeback, mapcount) is compared when both sides have one, never for the zero page', () => {
    const diff = (p: OraclePage) => run(pagesAt9([p])).steps[9].values.find((v) => v.field === 'pages')!;
    assert.equal(diff({ ...FILE, folio: folio({ dirty: false }) }).reason, '[1] folio dirty: engine 1, kernel 0');
    assert.equal(diff({ ...FILE, folio: folio({ dirty: true, writeback: true }) }).reason, '[1] folio writeback: engine 0, kernel 1');
    assert.equal(diff({ ...FILE, folio: folio({ dirty: true, mapcount: 3 }) }).reason, '[1] mapcount: engine 1, kernel 3');
    assert.equal(diff({ ...FILE, folio: folio({ dirty: true, writeback: true }) }).kernel, 'FxsDWm1');
    assert.deepEqual([diff({ ...FILE, folio: null }).verdict, diff({ ...FILE, folio: null }).kernel], ['agree', 'Fxs']);
    assert.equal(diff({ ...ZERO, folio: folio({ dirty: true, mapcount: 9 }) }).verdict, 'agree', 'the zero page has no folio to compare');
  });

  it('PG_dirty of an fb page is not compared (noop_dirty_folio sets it, nothing clears it), its writeback and mapcount are', () => {
    const diff = (p: OraclePage) => run(pagesAt9([p])).steps[9].values.find((v) => v.field === 'pages')!;
    assert.equal(diff({ ...FB, folio: folio({ dirty: false }) }).verdict, 'agree');
    assert.equal(diff({ ...FB, folio: folio({ dirty: true, writeback: true }) }).reason, '[0] folio writeback: engine 0, kernel 1');
    assert.equal(diff({ ...FB, folio: folio({ dirty: true, mapcount: 2 }) }).reason, '[0] mapcount: engine 1, kernel 2');
  });

  it('a file page a stood-in mkclean wrote back: its dirty and writeback are not compared; another page of the object is', () => {
    const tainted = (obj: string, index: number) => (b: Blank) => { b.res.steps[9].dirtyTaint = [{ obj, index, line: 3 }]; };
    const diff = (p: OraclePage, over: (b: Blank) => void) => run(pagesAt9([p], over)).steps[9].values.find((v) => v.field === 'pages')!;
    const clean = { ...FILE, folio: folio({ dirty: false, writeback: true }) };
    assert.equal(diff(clean, tainted('f', 1)).verdict, 'agree');
    assert.equal(diff(clean, tainted('f', 0)).reason, '[1] folio dirty: engine 1, kernel 0; [1] folio writeback: engine 0, kernel 1');
    assert.equal(diff(clean, tainted('g', 1)).verdict, 'differ');
    assert.equal(diff({ ...FILE, folio: folio({ dirty: true, mapcount: 2 }) }, tainted('f', 1)).reason, '[1] mapcount: engine 1, kernel 2');
  });

  it('a page the engine does not have: "no engine page"', () => {
    const b = blank(PAGES);
    b.res.steps[12].pages = [kpage('m', 1, ANON)];
    const v = run(b).steps[12].values.find((x) => x.field === 'pages')!;
    assert.deepEqual([v.engine, v.kernel, v.verdict, v.reason], ['?', 'Axsm1', 'differ', '[1] no engine page']);
  });

  it('PTE write / dirty / young: compared with the vnp probe\'s PTE of the same process and address, and only with the probe placed', () => {
    const bits = (...b: number[]) => b.reduce((v, x) => v | (1n << BigInt(x)), 0n);
    const pte = (owner: number, addr: number, v: bigint): KPte => ({ owner, addr, pte: v, page: null, mapping: null, index: null });
    const kstep = (ptes: KPte[]): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes });
    const probes: ProbeStatus[] = [{ ev: 'vnp', ok: true }];
    const diff = (ptes: KPte[], pr: ProbeStatus[] | null = probes) =>
      run(pagesAt9([ANON], (b) => { b.res.steps[9].kernel = kstep(ptes); }), { probes: pr }).steps[9].values.find((v) => v.field === 'pages')!;
    const wdy = bits(PTE.PRESENT, PTE.RW, PTE.DIRTY, PTE.ACCESSED);
    assert.equal(diff([pte(101, ANON.addr, wdy)]).verdict, 'agree');
    assert.equal(diff([pte(101, ANON.addr, bits(PTE.PRESENT, PTE.DIRTY, PTE.ACCESSED))]).reason, '[1] pte write: engine 1, kernel 0');
    assert.equal(diff([pte(101, ANON.addr, bits(PTE.PRESENT, PTE.RW, PTE.ACCESSED))]).reason, '[1] pte dirty: engine 1, kernel 0');
    assert.equal(diff([pte(101, ANON.addr, bits(PTE.PRESENT, PTE.RW, PTE.DIRTY))]).reason, '[1] pte young: engine 1, kernel 0');
    // another process's PTE, another address, or no vnp probe: nothing to compare
    assert.equal(diff([pte(102, ANON.addr, 0n)]).verdict, 'agree');
    assert.equal(diff([pte(101, ANON.addr + 4096, 0n)]).verdict, 'agree');
    assert.equal(diff([pte(101, ANON.addr, 0n)], [{ ev: 'vnp', ok: false, why: 'x' }]).verdict, 'agree');
    assert.equal(diff([pte(101, ANON.addr, 0n)], null).verdict, 'agree');
  });

  it('object pages: residency and folio as text; the folio only of a resident page; an object the engine lacks is not observable', () => {
    const b = blank(PAGES);
    b.res.steps[9].objPages = [
      { obj: 'f', index: 1, resident: true, pfn: 60, pfnId: 60, folio: folio({ dirty: true }) },
      { obj: 'f', index: 0, resident: false, pfn: 0, pfnId: null, folio: null },
      { obj: 'fb', index: 0, resident: null, pfn: 70, pfnId: 70, folio: folio({ dirty: false, writeback: true, mapcount: 2 }) },
      { obj: 'nope', index: 0, resident: true, pfn: 1, pfnId: 1, folio: folio() },
    ];
    const c = run(b);
    const rows = c.steps[9].values.filter((v) => v.field === 'folio').map((v) => `${v.subject} | ${v.engine} | ${v.kernel} | ${v.verdict}${v.reason ? ` | ${v.reason}` : ''}`);
    assert.deepEqual(rows, [
      'f[1] | cached Dm1 | cached Dm1 | agree',
      'f[0] | cached m0 | not cached | differ | cached: engine 1, kernel 0',
      // /dev/fb0 has no page cache (resident null): only the folio; its PG_dirty is not compared
      'fb[0] | Dm1 | Wm2 | differ | writeback: engine 0, kernel 1; mapcount: engine 1, kernel 2',
      'nope[0] | ? | cached m1 | not-observable | no such object in the engine',
    ]);
    // a page the kernel has not cached: its folio is not compared
    b.res.steps[9].objPages = [{ obj: 'f', index: 1, resident: false, pfn: 0, pfnId: null, folio: folio({ mapcount: 5 }) }];
    assert.equal(run(b).steps[9].values.find((v) => v.field === 'folio')!.reason, 'cached: engine 1, kernel 0');
    // a tainted object page: dirty and writeback are not compared
    b.res.steps[9].objPages = [{ obj: 'f', index: 1, resident: true, pfn: 60, pfnId: 60, folio: folio({ dirty: false, writeback: true }) }];
    b.res.steps[9].dirtyTaint = [{ obj: 'f', index: 1, line: 2 }];
    assert.equal(run(b).steps[9].values.find((v) => v.field === 'folio')!.verdict, 'agree');
    b.res.steps[9].dirtyTaint = [{ obj: 'f', index: 0, line: 2 }];
    assert.equal(run(b).steps[9].values.find((v) => v.field === 'folio')!.reason, 'dirty: engine 1, kernel 0; writeback: engine 0, kernel 1');
  });

  it('a tainted step: pages and object pages not observable, with the differences in the reason', () => {
    const b = blank(PAGES);
    b.res.steps[9].taintedBy = [3];
    b.res.steps[9].pages = [{ ...ANON, exclusive: false }, FB];
    b.res.steps[9].objPages = [{ obj: 'f', index: 1, resident: false, pfn: 0, pfnId: null, folio: null }, { obj: 'fb', index: 0, resident: null, pfn: 70, pfnId: 70, folio: folio({ dirty: true }) }];
    const c = run(b);
    assert.deepEqual(c.steps[9].values.map((v) => `${v.subject}: ${v.verdict} ${v.reason}`), [
      'p m[1]: not-observable tainted: L4 did not run on the real kernel ([1] exclusive: engine 1, kernel 0)',
      'p v[0]: not-observable tainted: L4 did not run on the real kernel',
      'f[1]: not-observable tainted: L4 did not run on the real kernel (cached: engine 1, kernel 0)',
      'fb[0]: not-observable tainted: L4 did not run on the real kernel',
    ]);
    assert.deepEqual([c.steps[9].verdict, c.steps[9].reason], ['not-observable', 'tainted: L4 did not run on the real kernel ([1] exclusive: engine 1, kernel 0)']);
  });

  it('a partly observable step with nothing to compare keeps the translation\'s reason', () => {
    const b = blank(PAGES);
    b.res.steps[3].observable = 'partial'; b.res.steps[3].reason = 'why partial';
    b.res.steps[4].observable = 'partial'; b.res.steps[4].reason = undefined;
    const c = run(b);
    assert.deepEqual([c.steps[3].reason, c.steps[4].reason], ['why partial', 'nothing user space can see changes at this statement']);
  });

  it('an expectation: agree when both pass or both fail, differ otherwise', () => {
    const b = blank(PAGES);
    const at = (v: 'pass' | 'fail') => { b.res.steps[11].expectation = { verdict: v, checks: [{ subject: 'p', flag: '!write', verdict: v, observed: v === 'fail' ? '1' : undefined }] }; return run(b); };
    assert.equal(val(at('pass'), 11, 'pte'), 'expect | pass | pass !write:ok | agree');
    assert.equal(val(at('fail'), 11, 'pte'), 'expect | pass | fail !write:FAIL(1) | differ');
    b.res.steps[11].expectation = { verdict: 'fail', checks: [{ subject: 'p', flag: '!write', verdict: 'fail' }] };
    assert.equal(val(run(b), 11, 'pte'), 'expect | pass | fail !write:FAIL() | differ');
    b.res.steps[11].expectation = { verdict: 'not-observable', checks: [{ subject: 'p', flag: '!write', verdict: 'not-observable' }] };
    assert.equal(val(run(b), 11, 'pte'), 'expect | pass | not-observable !write:n/o | not-observable | not observable');
  });

  it('a tainted expectation: a different verdict is not observable (a statement the kernel did not run changed it); the same verdict agrees', () => {
    const b = blank(PAGES);
    b.res.steps[11].taintedBy = [3];
    const at = (v: 'pass' | 'fail') => { b.res.steps[11].expectation = { verdict: v, checks: [{ subject: 'p', flag: '!write', verdict: v }] }; return run(b); };
    assert.equal(val(at('fail'), 11, 'pte'), 'expect | pass | fail !write:FAIL() | not-observable | tainted: L4 did not run on the real kernel');
    assert.equal(val(at('pass'), 11, 'pte'), 'expect | pass | pass !write:ok | agree');
  });

  it('fb_defio: the expect faults of a process that went through a timing window is not compared; of another process it is', () => {
    const text = 'fbdev fb pages 1 backing vmalloc\nprocess p\nprocess q\nmmap p fb at 0x3000000 pages 1 shared rw as v\n' +
      'write p v[0]\nwait 1ms\nread p v[0]\nexpect faults p 1\nexpect faults q 0\n';
    const b = blank(text);
    const pg = kpage('v', 0, FB);
    b.res.steps[4].accesses = [acc('v', 0, true, 1, 10)]; b.res.steps[4].pages = [pg];
    b.res.steps[6].accesses = [acc('v', 0, false, 0, 60)]; b.res.steps[6].pages = [pg];
    b.res.steps[7].expectation = { verdict: 'pass', checks: [{ subject: 'p', flag: 'faults 1', verdict: 'pass' }] };
    b.res.steps[8].expectation = { verdict: 'pass', checks: [{ subject: 'q', flag: 'faults 0', verdict: 'pass' }] };
    const c = run(b, {}, 48);
    assert.match(val(c, 6, 'faults'), /^p \| \+\d \(=\d\) \| \+0 \(=\?\) \| not-observable \| timing window: 50 ms after an arming write \(the 48 ms deferred work/);
    assert.equal(val(c, 7, 'faults'), 'expect | pass | pass faults 1:ok | not-observable | timing window: an earlier fb access of this process was not comparable, so its cumulative count is not either');
    assert.equal(val(c, 8, 'faults'), 'expect | pass | pass faults 0:ok | agree');
    // a read that faulted does not arm the deferred work; nor does a write that did not fault
    b.res.steps[4].accesses = [acc('v', 0, false, 1, 10)];
    assert.equal(run(b, {}, 48).steps[6].values.find((v) => v.field === 'faults')!.reason, undefined);
    b.res.steps[4].accesses = [acc('v', 0, true, 0, 10)];
    assert.equal(run(b, {}, 48).steps[6].values.find((v) => v.field === 'faults')!.reason, undefined);
    // an anon access in the window is not an fb access
    b.res.steps[4].accesses = [acc('v', 0, true, 1, 10)];
    b.res.steps[6].accesses = [{ ...acc('v', 0, false, 0, 60), addr: 0x5000000 }];
    assert.equal(run(b, {}, 48).steps[6].values.find((v) => v.field === 'faults')!.reason, undefined);
    // without the engine's fb delay the reason names the kernel's 48 ms at HZ=250
    b.res.steps[6].accesses = [acc('v', 0, false, 0, 60)];
    assert.match(run(b).steps[6].values.find((v) => v.field === 'faults')!.reason!, /the 48 ms deferred work may or may not have run; compared only below 30 ms or from 100 ms/);
    // the window's edges are options
    assert.equal(run(b, { fbQuietMs: 60 }, 48).steps[6].values.find((v) => v.field === 'faults')!.reason, undefined);
    assert.equal(run(b, { fbAgainMs: 50 }, 48).steps[6].values.find((v) => v.field === 'faults')!.reason, undefined);
    assert.match(run(b, { fbQuietMs: 50, fbAgainMs: 51 }, 48).steps[6].values.find((v) => v.field === 'faults')!.reason!, /compared only below 50 ms or from 51 ms/);
  });

  it('a tainted access: faults and signal not observable, with the taint as the reason', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 2 private rw as m\nwrite p m[0]\n');
    b.res.steps[2].taintedBy = [0, 1];
    b.res.steps[2].accesses = [acc('m', 0, true, 5)];
    const c = run(b);
    assert.equal(val(c, 2, 'faults'), 'p | +1 (=1) | +5 (=?) | not-observable | tainted: L1, L2 did not run on the real kernel');
    assert.equal(val(c, 2, 'signal'), 'p | none | none | not-observable | tainted: L1, L2 did not run on the real kernel');
  });

  it('the table: statement text without its comment, long cells cut with …, a reason after a verdict that is not agree', () => {
    const b = blank('process p # the process\nmmap p anon at 0x1000000 pages 2 private rw as averyveryverylonglabelname\n');
    b.res.steps[0].faults = { p: 1 };
    const t = formatComparison(run(b));
    assert.equal(t[1], 'L1    process p                          faults p           0                        1                        differ');
    assert.equal(t[2].slice(0, 41), 'L2    mmap p anon at 0x1000000 pages 2 … ');
  });
});

describe('oracle comparison: with the kprobe events, an fb timing window at an expectation', () => {
  const TEXT = `fbdev fb pages 2 backing vmalloc
process x
mmap x fb at 0x3000000 pages 2 shared rw as v
mmap x anon at 0x1000000 pages 1 private rw as m
write x m[0]
write x v[0]
expect defio fb pending 1
expect pte x v[0] dirty
expect pte x m[0] dirty`;
  const kstep = (o: Partial<KStep> = {}): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [], ...o });
  const probes: ProbeStatus[] = [...new Set(Object.values(PROBE_NEEDS).flat())].map((ev) => ({ ev, ok: true }));
  /** The kernel tracked the write of fb page 0 at 51 ms; with `ran`, its deferred work ran at 99 ms (the engine's clock never reached its 48 ms). */
  function compared(ran: boolean, taintedBy: number[] = []) {
    const b = blank(TEXT);
    const s = b.res.steps;
    s.forEach((x) => { x.kernel = kstep(); x.tMs = x.index * 10; });
    // a walk the engine does not make, at the anon write
    s[4].kernel = kstep({ walks: [{ api: 'folio_mkclean', idx: 0, mapping: '0x1', ms: 0, byWork: false, ret: 1, visits: [{ owner: 101, start: BASE.m, pgoff: 0, skipped: false, cleaned: 1 }] }] });
    s[4].taintedBy = taintedBy;
    s[5].kernel = kstep({ mkwrites: [{ pgoff: 0, ms: 51 }], workRuns: ran ? [{ startMs: 99, endMs: 100, pages: [0] }] : [] });
    s[6].expectation = { verdict: ran ? 'fail' : 'pass', checks: [{ subject: 'fb', flag: 'pending 1', verdict: ran ? 'fail' : 'pass' }] };
    // the kernel's PTEs read without write and dirty: the expectations fail there
    const fbPage = kpage('v', 0, { mapping: 0, present: true, file: true, exclusive: true, softDirty: true, pfn: 9, pfnId: 9 }, 'x');
    s[7].pages = [fbPage];
    s[7].kernel = kstep({ ptes: [{ owner: 101, addr: BASE.v, pte: (1n << BigInt(PTE.PRESENT)) | (1n << BigInt(PTE.ACCESSED)), page: null, mapping: null, index: null }] });
    s[8].pages = [kpage('m', 0, { mapping: 1, present: true, exclusive: true, softDirty: true, pfn: 10, pfnId: 10 }, 'x')];
    for (const i of [7, 8]) s[i].expectation = { verdict: 'fail', checks: [{ subject: 'x', flag: 'dirty', verdict: 'fail' }] };
    b.res.pids = { x: 101 }; b.res.fbObject = 'fb'; b.res.ms = 200;
    b.res.kstates = kernelStates(s.map((x) => x.kernel));
    const c = compareScenario(b.res, capture(b, 48), { lines: b.lines, probes });
    return (i: number) => c.steps[i].values.map((v) => `${v.field} ${v.subject}: ${v.verdict}${v.reason ? ` (${v.reason})` : ''}`);
  }
  const RAN = "timing window: the kernel's deferred work has run 1 time(s), the engine's 0 (the kernel fires HZ/20 after the first tracked write in real time; the oracle's statements take real time)";

  it('no run on either side: the defio expectation, the fb page\'s PTE bits and the expectations on them are compared', () => {
    const v = compared(false);
    assert.deepEqual(v(6), ['defio_pending expect: agree']);
    assert.deepEqual(v(7), ['pte expect: differ', 'pages x v[0]: differ ([0] pte write: engine 1, kernel 0; [0] pte dirty: engine 1, kernel 0)']);
    assert.deepEqual(v(8), ['pte expect: differ', 'pages x m[0]: agree']);
  });

  it('the kernel\'s work ran and the engine\'s did not: what depends on the runs is not observable, an anon page\'s expectation still is', () => {
    const v = compared(true);
    assert.deepEqual(v(6), [`defio_pending expect: not-observable (${RAN})`]);
    // the fb page's PTE (cleaned by the kernel's run) is not compared either
    assert.deepEqual(v(7), [`pte expect: not-observable (${RAN})`, 'pages x v[0]: agree']);
    assert.deepEqual(v(8), ['pte expect: differ', 'pages x m[0]: agree']);
  });

  it('a walk only the kernel made differs; in a tainted step it is not observable, with the taint before the difference', () => {
    assert.deepEqual(compared(false)(4), ['walks rmap: differ (the rmap walks differ)']);
    assert.deepEqual(compared(false, [3])(4), ['walks rmap: not-observable (tainted: L4 did not run on the real kernel (the rmap walks differ))']);
  });
});

describe('oracle comparison: page codes (docs/real-kernel.md)', () => {
  it('every letter: -, -s, S, Ss, Z, F, A, x, s, D, W, mN; the zero page shows no folio', () => {
    const p = (o: Partial<EnginePage>) => ({ present: true, swapped: false, zeroPage: false, file: false, exclusive: false, softDirty: false, folio: null, ...o });
    assert.deepEqual([
      p({ present: false }), p({ present: false, softDirty: true }), p({ present: false, swapped: true }), p({ present: false, swapped: true, softDirty: true }), p({ zeroPage: true, folio: { dirty: true, writeback: true, mapcount: 3 } }),
      p({ file: true }), p({}), p({ exclusive: true }), p({ softDirty: true }), p({ file: true, folio: { dirty: true, writeback: false, mapcount: 2 } }),
      p({ file: true, exclusive: true, softDirty: true, folio: { dirty: false, writeback: true, mapcount: 1 } }), p({ zeroPage: true, file: true }),
    ].map(pageCode), ['-', '-s', 'S', 'Ss', 'Z', 'F', 'A', 'Ax', 'As', 'FDm2', 'FxsWm1', 'Z']);
  });
});
