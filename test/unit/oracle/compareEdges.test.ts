// Engine vs real kernel: rules of the join at edges the other compare tests do not reach
// (docs/real-kernel.md, "Comparison"): a directive's reason, the process a declaration
// adds, processes one side lacks, a row's own reason, dirty taint of several pages, pages
// of an unlabelled mapping.

import { strict as assert } from 'assert';
import { formatComparison } from '../../../src/oracle/compare';
import { PROBE_NEEDS, type KStep } from '../../../src/oracle/kprobes';
import { kernelStates } from '../../../src/oracle/kstate';
import { blank, compared, kanon, kfolio, kpage } from './oracleBlank';

const show = (c: ReturnType<typeof compared>, i: number) =>
  c.steps[i].values.map((v) => `${v.field} ${v.subject} | ${v.engine} | ${v.kernel} | ${v.verdict}${v.reason ? ` | ${v.reason}` : ''}`);

describe('oracle comparison: more edges of the join', () => {
  it('a kernel line is a directive with the translation\'s reason; without one, "picks the model"', () => {
    const b = blank('kernel 6.1\nprocess p\n');
    assert.equal(compared(b).steps[0].reason, 'directive: the scenario asks for 6.1; the engine is compared at the release the oracle boots');
    b.res.steps[0].reason = undefined;
    const c = compared(b);
    assert.deepEqual([c.steps[0].reason, c.steps[0].directive, c.steps[0].values], ['directive: picks the model', true, []]);
  });

  it('a process line: the faults of the process that the step before did not have, wherever the record lists it', () => {
    const b = blank('process p\nprocess q\nprocess r\n');
    // the kernel's record after `process q` lists q first; the engine's step after it has p, q and r
    b.res.steps[1].faults = { q: 2, p: 0 };
    assert.deepEqual(show(compared(b), 1), ['faults q | 0 | 2 | differ']);
  });

  it('a process line whose process the engine does not have: its count is "?"', () => {
    const b = blank('process p\n');
    b.res.steps[0].faults = { z: 0 };
    assert.deepEqual(show(compared(b), 0), ['faults z | ? | 0 | differ']);
  });

  it('an access by a process the engine does not have: no signal on either side agrees, the faults differ', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 1 private rw as m\nwrite p m[0]\n');
    b.res.steps[2].accesses = [{ proc: 'z', mapping: 0, label: 'm', page: 0, addr: 0x1000000, write: true, faults: 1, minflt: 1, majflt: 0, signal: null, us: 1, ms: 0 }];
    b.res.steps[2].faults = { z: 1 };
    assert.deepEqual(show(compared(b), 2), ['faults z | +0 (=?) | +1 (=1) | differ', 'signal z | none | none | agree']);
  });

  it('a differing row has no reason of its own, even when its values have reasons', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 1 private rw as m\nwrite p m[0]\n');
    b.res.steps[2].pages = [{ ...kanon('p', 'm', 0, 0, 0x1000000, 50), exclusive: false }];
    const c = compared(b);
    assert.deepEqual([c.steps[2].verdict, c.steps[2].reason], ['differ', undefined]);
    assert.equal(c.steps[2].values.find((v) => v.field === 'pages')!.reason, '[0] exclusive: engine 1, kernel 0');
  });

  it('pages of a mapping without a label: grouped and named with "?"', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 1 private rw as m\nwrite p m[0]\nread p m[0]\n');
    b.res.steps[2].pages = [{ ...kanon('p', 'm', 0, 0, 0x1000000, 50), label: null }];
    b.res.steps[3].pages = [{ ...kanon('p', 'm', 0, 0, 0x1000000, 51), label: null }];
    const c = compared(b);
    assert.deepEqual(show(c, 2), ['pages p ?[0] | Axsm1 | Axsm1 | agree']);
    assert.deepEqual(show(c, 3), ['pages p ?[0] | Axsm1 | Axsm1 | differ | [0] page identity: engine same page as L3 p ?[0], kernel a new page']);
  });

  it('dirty taint naming several object pages: each named page is not compared for dirty and writeback', () => {
    const text = 'file f pages 2\nprocess p\nmmap p f at 0x2000000 pages 2 shared rw as s\nwrite p s[1]\n';
    const b = blank(text);
    // the kernel wrote f[1] back (a stood-in mkclean): clean, under writeback; the engine keeps it dirty
    const clean = kfolio({ dirty: false, writeback: true });
    b.res.steps[3].pages = [kpage('p', 's', 0, 1, 0x2001000, { present: true, file: true, exclusive: true, softDirty: true, pfn: 60, pfnId: 60, folio: clean })];
    b.res.steps[3].objPages = [{ obj: 'f', index: 1, resident: true, pfn: 60, pfnId: 60, folio: clean }];
    b.res.steps[3].dirtyTaint = [{ obj: 'f', index: 0, line: 2 }, { obj: 'f', index: 1, line: 2 }];
    assert.deepEqual(show(compared(b), 3).slice(-2), ['pages p s[1] | FxsDm1 | FxsWm1 | agree', 'folio f[1] | cached Dm1 | cached Wm1 | agree']);
  });

  it('the table: a row with no values shows its reason', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 1 private rw as m\n');
    assert.match(formatComparison(compared(b))[2], / not-observable \(nothing user space can see changes at this statement\)$/);
  });

  it('a tainted step with the kprobe events: a walk that differs is not observable, a result that agrees still agrees', () => {
    const b = blank('file f pages 1\nprocess p\nmmap p f at 0x2000000 pages 1 shared rw as s\nwrite p s[0]\nwriteback f\n');
    const kstep = (o: Partial<KStep> = {}): KStep => ({ walks: [], written: 0, workRuns: [], mkwrites: [], faults: [], ptes: [], ...o });
    b.res.steps.forEach((x) => { x.kernel = kstep(); });
    // the kernel wrote the one dirty folio back, with no folio_mkclean walk recorded
    b.res.steps[4].kernel = kstep({ written: 1 });
    b.res.steps[4].taintedBy = [1];
    b.res.kstates = kernelStates(b.res.steps.map((x) => x.kernel));
    const probes = [...new Set(Object.values(PROBE_NEEDS).flat())].map((ev) => ({ ev, ok: true }));
    assert.deepEqual(show(compared(b, { probes }), 4), [
      'walks rmap | [0] p:s* =1 | none | not-observable | tainted: L2 did not run on the real kernel (the rmap walks differ)',
      'result op | 1 | 1 | agree',
    ]);
  });

  it('an access in an fb timing window is one of the accessing process\'s fb pages: another process\'s anon page at the same address is compared', () => {
    const b = blank('fbdev fb pages 1 backing vmalloc\nprocess x\nprocess y\nmmap x fb at 0x3000000 pages 1 shared rw as v\nmmap y anon at 0x3000000 pages 1 private rw as w\nwrite x v[0]\nwrite y w[0]\n', { x: 11, y: 12 });
    const access = (proc: string, label: string, ms: number) => ({ proc, mapping: 0, label, page: 0, addr: 0x3000000, write: true, faults: 1, minflt: 1, majflt: 0, signal: null, us: 1, ms });
    const fb = kpage('x', 'v', 0, 0, 0x3000000, { present: true, file: true, exclusive: true, softDirty: true, pfn: 9, pfnId: 9 });
    // x's write at 10 ms faulted: it may have armed the deferred work; y writes 50 ms later
    b.res.steps[5].accesses = [access('x', 'v', 10)];
    b.res.steps[5].pages = [fb];
    b.res.steps[6].accesses = [access('y', 'w', 60)];
    b.res.steps[6].pages = [fb, kanon('y', 'w', 1, 0, 0x3000000, 10)];
    b.res.steps[6].faults = { x: 1, y: 1 };
    assert.deepEqual(show(compared(b), 6).filter((v) => v.startsWith('faults')), ['faults y | +1 (=1) | +1 (=1) | agree']);
    // x's own fb access 50 ms after its arming write is in the window
    b.res.steps[6].accesses = [{ ...access('x', 'v', 60), faults: 0, minflt: 0 }];
    assert.match(show(compared(b), 6).find((v) => v.startsWith('faults'))!, /^faults x \| .* \| not-observable \| timing window: 50 ms after an arming write/);
  });

  it('a stood-in mkclean\'s dirty taint names object and index: the same index of another object is compared', () => {
    const b = blank('file f pages 2\nfile g pages 2\nprocess p\nmmap p f at 0x2000000 pages 2 shared rw as s\nwrite p s[1]\n');
    const clean = kfolio({ dirty: false, writeback: true });
    b.res.steps[4].objPages = [{ obj: 'f', index: 1, resident: true, pfn: 60, pfnId: 60, folio: clean }];
    b.res.steps[4].dirtyTaint = [{ obj: 'g', index: 1, line: 2 }];
    assert.deepEqual(show(compared(b), 4).filter((v) => v.startsWith('folio')), ['folio f[1] | cached Dm1 | cached Wm1 | differ | dirty: engine 1, kernel 0; writeback: engine 0, kernel 1']);
  });
});
