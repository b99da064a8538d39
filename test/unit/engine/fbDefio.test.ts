// fb_defio (kernel-model §6, T20–T25, T30–T32; kernel-findings item 5).

import { fbDefioOf } from '../../../src/engine/drivers/fbDefio';
import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { assertPte, faultCount, faultsOf, pte, run, task, visits, walksOf, BASE } from './helpers';

const A = BASE, B = 0x7e0000000000;

describe('fb_defio (drivers/video/fbdev/core/fb_defio.c)', () => {
  it('the basic cycle: first store 0x6 through ->fault + page_mkwrite, work wrprotects, next store 0x7 re-tracks (T20)', () => {
    const r = run(`kernel 6.15
      fbdev fb pages 4 delay 50ms
      process a
      mmap a fb at ${A} pages 4 shared rw as p
      write a p[0]
      write a p[0]
      write a p[1]
      expect defio fb pending 2
      wait 50ms
      expect defio fb written 0, 1
      expect pte a p[0..1] present !write !dirty young softdirty
      write a p[0]
      expect faults a 3
      expect defio fb pending 1`);
    assert.equal(r.failed, 0);
    const f = faultsOf(r);
    assert.deepEqual(f.map((x) => x.err), [0x6, 0x6, 0x7]);
    assert.ok(f[0].path.includes('fb_deferred_io_fault') && f[0].path.includes('fb_deferred_io_mkwrite'));
    assert.ok(f[2].path.includes('wp_page_shared'));
    const ws = walksOf(r);
    assert.deepEqual(ws.map((w) => [w.api, w.pgoff, w.result]), [['mapping_wrprotect_range', 0, 1], ['mapping_wrprotect_range', 1, 1]]);
  });

  it('a read maps RO clean and tracks nothing; the following store is a second fault (T21)', () => {
    const r = run(`fbdev fb pages 4
      process a
      mmap a fb at ${A} pages 4 shared rw as p
      read a p[2]
      expect defio fb pending 0
      expect pte a p[2] present !write !dirty
      write a p[2]
      expect faults a 2
      expect defio fb pending 1`);
    assert.equal(r.failed, 0);
    assert.equal(r.engine.pendingTimers().length, 1);
  });

  it('page_mkwrite does not list a page twice; the work cleans both writers and returns 2 (T22)', () => {
    const r = run(`fbdev fb pages 4
      process a
      process b
      mmap a fb at ${A} pages 4 shared rw as p
      mmap b fb at ${B} pages 4 shared rw as p
      write a p[0]
      wait 1ms
      write b p[0]
      expect defio fb pending 1
      wait 49ms
      expect walk a:p, b:p
      expect defio fb written 0`);
    assert.equal(r.failed, 0);
    assert.equal(r.recorder.lastWalk!.result, 2);
    const defio = r.steps.flatMap((s) => s.events).filter((e) => e.t === 'defio').map((e) => (e as { ev: string }).ev);
    assert.deepEqual(defio.filter((e) => e.startsWith('track') || e.startsWith('arm')), ['track', 'arm', 'track-again', 'arm-noop']);
  });

  it('a private fb store is do_cow_fault: no page_mkwrite, nothing listed; the walk skips the private VMA (T23)', () => {
    const r = run(`fbdev fb pages 2
      process a
      mmap a fb at ${A} pages 2 shared rw as s
      mmap a fb at ${B} pages 2 private rw as r
      write a r[0]
      expect defio fb pending 0
      expect pte a r[0] write dirty maps anon
      write a s[0]
      flush fb
      expect walk a:s, ~a:r
      expect result 1`);
    assert.equal(r.failed, 0);
    assert.ok(faultsOf(r)[0].path.includes('do_cow_fault'));
    assert.ok(!faultsOf(r)[0].path.includes('fb_deferred_io_mkwrite'));
  });

  it('msync(MS_SYNC) runs the pending cycle now (fb_deferred_io_fsync → flush_delayed_work) (T24)', () => {
    const r = run(`fbdev fb pages 2
      process a
      mmap a fb at ${A} pages 2 shared rw as p
      write a p[0]
      msync a p
      expect defio fb written 0
      expect pte a p[0] !write
      write a p[0]
      expect faults a 2`);
    assert.equal(r.failed, 0);
    assert.equal(r.engine.now, 0, 'no waiting');
  });

  it('schedule_delayed_work is a no-op while pending: stores at 0, 5, 11 run once at 12 in first-write order; a store at 13 arms a new cycle for 25 (T31)', () => {
    const mk = (sorted: string) => run(`fbdev fb pages 4 delay 12ms ${sorted}
      process a
      mmap a fb at ${A} pages 4 shared rw as p
      write a p[2]
      wait 5ms
      write a p[0]
      wait 6ms
      write a p[1]
      wait 1ms
      wait 1ms
      write a p[3]`);
    const r = mk('');
    const fb = fbDefioOf(r.objects.get('fb'))!;
    assert.equal(fb.workRuns, 1);
    assert.deepEqual(fb.lastWritten, [2, 0, 1]);
    assert.equal(fb.workDue, 25);
    const s = mk('sorted');
    assert.deepEqual(fbDefioOf(s.objects.get('fb'))!.lastWritten, [0, 1, 2]);
  });

  it('delay 0 becomes HZ (fb_deferred_io_init: "if (fbdefio->delay == 0) fbdefio->delay = HZ"): the work runs 1 s after the store', () => {
    const r = run(`fbdev fb pages 2 delay 0ms
      process a
      mmap a fb at ${A} pages 2 shared rw as p
      write a p[0]
      wait 999ms
      expect defio fb pending 1
      wait 1ms
      expect defio fb pending 0
      expect defio fb written 0`);
    assert.equal(r.failed, 0);
    assert.equal(fbDefioOf(r.objects.get('fb'))!.workRuns, 1);
  });

  for (const v of ['6.1.192', '6.14', '6.15']) {
    it(`${v}: the framebuffer's last mapping gone is its last file release: lastclose flushes the pending work at once; a mapping left (another process, a fork, a split piece) keeps it pending`, () => {
      const r = run(`kernel ${v}
        fbdev fb pages 4 delay 50ms
        process a
        process b
        mmap a fb at ${A} pages 4 shared rw as p
        mmap b fb at ${B} pages 4 shared rw as q
        write a p[1]
        exit a
        expect defio fb pending 1
        fork b as c
        write b q[2]
        exit b
        expect defio fb pending 2
        munmap c q[0..1]
        expect defio fb pending 2
        munmap c q[2..3]
        expect defio fb pending 0
        expect defio fb written 1, 2`);
      assert.equal(r.failed, 0, JSON.stringify(r.diagnostics));
      const fb = fbDefioOf(r.objects.get('fb'))!;
      assert.equal(fb.workRuns, 1, 'one flush, no timer run');
      assert.equal(fb.work, undefined, 'nothing queued after the flush');
      assert.equal(fb.openCount, 0);
    });
  }

  it('lastclose and page->mapping: up to 6.10 (and 6.1.y) every page; 6.11–6.14 only pagerefs that cached a page (written, not just read: pageref_get runs in page_mkwrite); 6.15 never set it; a new mapping\'s fault sets it again', () => {
    const cases: [string, string, string, string][] = [
      // kernel, page 1 (read) / page 2 (written) after lastclose, page 1 after a new fault
      ['6.1.192', 'none', 'none', 'fb index 1'],
      ['6.10', 'none', 'none', 'fb index 1'],
      ['6.14', 'fb index 1', 'none', 'fb index 1'],
      ['6.15', 'none', 'none', 'none'],
    ];
    for (const [v, read, written, again] of cases) {
      const r = run(`kernel ${v}
        fbdev fb pages 4 delay 50ms
        process a
        mmap a fb at ${A} pages 4 shared rw as p
        read a p[1]
        write a p[2]
        expect folio fb[1] mapping ${v === '6.15' ? 'none' : 'fb index 1'}
        munmap a p[0..3]
        expect defio fb written 2
        expect folio fb[1] mapping ${read}
        expect folio fb[2] mapping ${written}
        mmap a fb at ${A} pages 4 shared rw as p2
        read a p2[1]
        expect folio fb[1] mapping ${again}`);
      assert.equal(r.failed, 0, `${v}: ${JSON.stringify(r.diagnostics)}`);
    }
  });

  it('with only a private fb mapping the wrprotect walk visits nothing and returns 0 (T32)', () => {
    const r = run(`kernel 6.15
      fbdev fb pages 2
      process a
      mmap a fb at ${A} pages 2 private rw as r
      read a r[0]
      wrprotect fb[0]
      expect result 0
      expect walk ~a:r`);
    assert.equal(r.failed, 0);
  });

  it('a carveout framebuffer has no struct page: the first fault oopses in every version and kills the process', () => {
    for (const v of ['6.1', '6.14', '6.15']) {
      const r = runText(`kernel ${v}
        fbdev fb pages 2 backing carveout
        process a
        mmap a fb at ${A} pages 2 shared rw as p
        write a p[0]
        expect oops`);
      assert.equal(r.failed, 0, v);
      assert.equal(r.exitStatus, 0, `${v}: the oops is a warning`);
      assert.ok(r.diagnostics.some((d) => d.code === 'MMS802'));
      assert.equal(task(r, 'a').alive, false);
      assert.equal(task(r, 'a').killedByOops, true);
    }
  });

  it('fb_deferred_io_fault sets page->mapping/index up to 6.14 and leaves them alone from 6.15', () => {
    const body = `fbdev fb pages 4
      process a
      mmap a fb at ${A} pages 2 offset 2 shared rw as p
      read a p[1]`;
    const r14 = run(`kernel 6.14\n${body}\nexpect folio fb[3] mapping fb index 3`);
    assert.equal(r14.failed, 0);
    const r15 = run(`kernel 6.15\n${body}\nexpect folio fb[3] mapping none index 0`);
    assert.equal(r15.failed, 0);
  });

  it('≤6.14 the work uses folio_mkclean (6.1: page_mkclean) via page->mapping; 6.15 mapping_wrprotect_range', () => {
    const body = `fbdev fb pages 2
      process a
      mmap a fb at ${A} pages 2 shared rw as p
      write a p[1]
      flush fb`;
    const api = (v: string) => { const r = run(`kernel ${v}\n${body}`); const w = walksOf(r)[0]; return [w.api, w.path.includes('page_mkclean'), w.result]; };
    assert.deepEqual(api('6.1'), ['folio_mkclean', true, 1]);
    assert.deepEqual(api('6.14'), ['folio_mkclean', false, 1]);
    assert.deepEqual(api('6.15'), ['mapping_wrprotect_range', false, 1]);
  });

  it('before 6.9 page_mkwrite indexes the pageref by address - vm_start, ignoring vm_pgoff (fixed by "fbdev: fix incorrect address computation in deferred IO")', () => {
    const body = `fbdev fb pages 4
      process a
      mmap a fb at ${A} pages 2 offset 2 shared rw as p
      write a p[0]
      flush fb`;
    const r8 = run(`kernel 6.8\n${body}\nexpect defio fb written 0`);
    assert.equal(r8.failed, 0);
    // the PTE is still cleaned: folio_mkclean follows page->mapping/index set by ->fault
    assertPte(pte(r8, 'a', 'p', 0), { W: false, D: false });
    const r9 = run(`kernel 6.9\n${body}\nexpect defio fb written 2`);
    assert.equal(r9.failed, 0);
  });

  it('T30: the normal cycle is identical on 6.14 and 6.15 — visit logs, cleaned counts, PTEs, faults and written lists', () => {
    const scenario = `fbdev fb pages 4 delay 50ms
      process a
      process b
      mmap a fb at ${A} pages 4 shared rw as p
      mmap b fb at ${B} pages 4 shared rw as p
      mmap a fb at 0x7d0000000000 pages 4 private rw as r
      read a p[2]
      write a p[2]
      write b p[2]
      write a p[0]
      write a r[1]
      wait 50ms
      write b p[0]
      msync b p
      fork a as c
      write c p[3]
      write a p[3]
      wait 50ms
      read b p[1]
      write b p[1]
      wait 50ms`;
    const snapshot = (v: string) => {
      const r = run(scenario, { kernelOverride: v });
      const walks = walksOf(r).map((w) => ({ visits: visits(r, w), result: w.result, pgoff: w.pgoff }));
      const written: number[][] = [];
      for (const s of r.steps) for (const e of s.events) if (e.t === 'defio' && e.ev === 'deferred_io') written.push([e.time]);
      const ptes: Record<string, unknown> = {};
      for (const proc of ['a', 'b', 'c']) for (const lab of ['p', 'r']) {
        if (!r.labels.get(proc)?.get(lab)) continue;
        for (let i = 0; i < 4; i++) { const x = pte(r, proc, lab, i); ptes[`${proc}:${lab}[${i}]`] = x.none ? 'none' : { ...x, pfn: x.pfn }; }
      }
      const faults = Object.fromEntries(['a', 'b', 'c'].map((p) => [p, faultCount(r, p)]));
      const fb = fbDefioOf(r.objects.get('fb'))!;
      return { walks, written, ptes, faults, last: fb.lastWritten, runs: fb.workRuns };
    };
    const s14 = snapshot('6.14'), s15 = snapshot('6.15');
    assert.ok(s15.walks.length >= 5 && s15.runs === 4);
    assert.deepEqual(s14, s15);
  });
});
