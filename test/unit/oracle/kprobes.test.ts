// The kprobe trace of the real-kernel oracle: parsing tracefs lines, grouping them into
// rmap walks / writeback / fb_defio runs / PTE values per step, the per-kernel report of
// probes that could not be placed, and the PTE bits as each release defines them.
// Lines are as Debian 6.1.0-57 and 6.12.118 printed them (see kprobes-*.serial.log).

import { strict as assert } from 'assert';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  assembleTrace, missingProbes, parseTraceLine, probeStatus, pteBits, pteText, savedDirtyBit, type KEvent,
} from '../../../src/oracle/kprobes';
import { inFbWindow, kernelStates, kernelVisitNames } from '../../../src/oracle/kstate';
import { upstreamRelease } from '../../../src/oracle/run';
import { probeLine } from '../../../src/oracle/kernelCommand';

const T0 = 10; // scenario start, CLOCK_MONOTONIC seconds

describe('oracle kprobe trace', () => {
  it('parses task, pid, time (ms since the scenario started), event and fields of probe, kretprobe and marker lines', () => {
    const p = parseTraceLine('           oracle-154     [000] .....    10.537350: fmk: (folio_mkclean+0x0/0xe0) idx=3 mapping=0xff32c02581da0bf0', T0)!;
    assert.equal(p.task, 'oracle');
    assert.equal(p.pid, 154);
    assert.equal(p.ev, 'fmk');
    assert.ok(Math.abs(p.ms - 537.35) < 1e-6);
    assert.deepEqual(p.f, { idx: '3', mapping: '0xff32c02581da0bf0' });
    const r = parseTraceLine('     kworker/0:1-10      [000] .....    10.601801: fmkret: (fb_deferred_io_work+0x44/0x120 <- folio_mkclean) ret=1', T0)!;
    assert.equal(r.task, 'kworker/0:1');
    assert.equal(r.pid, 10);
    assert.deepEqual(r.f, { ret: '1' });
    const m = parseTraceLine('          oracle-154     [000] .....    10.500000: tracing_mark_write: mms st 7', T0)!;
    assert.equal(m.marker, 'mms st 7');
    assert.equal(parseTraceLine('random console noise', T0), null);
  });

  const ev = (pid: number, ms: number, e: string, f: Record<string, string> = {}, task = 'oracle'): KEvent => ({ task, pid, ms, ev: e, f });
  const mark = (ms: number, text: string): KEvent => ({ task: 'oracle', pid: 1, ms, ev: 'tracing_mark_write', f: {}, marker: text });

  it('groups a folio_mkclean walk: VMAs in visit order, the one invalid_mkclean_vma skipped, PTEs cleaned, the result', () => {
    const t = assembleTrace([
      mark(0, 'mms st 4'),
      ev(1, 1, 'fcdio', { idx: '0' }),
      ev(1, 1, 'fmk', { idx: '0', mapping: '0xffff1' }),
      ev(1, 2, 'inval', { owner: '11', start: '0x7f0000000000', pgoff: '0' }), ev(1, 2, 'invalret', { skip: '0' }),
      ev(1, 2, 'mkone', { owner: '11', start: '0x7f0000000000', pgoff: '0', addr: '0x7f0000000000' }),
      ev(1, 3, 'ptecf', { addr: '0x7f0000000000', pte: '0x8000000002d0a867', owner: '11' }),
      ev(1, 3, 'inval', { owner: '13', start: '0x7d0000000000', pgoff: '0' }), ev(1, 3, 'invalret', { skip: '1' }),
      ev(1, 4, 'fmkret', { ret: '1' }),
      ev(1, 4, 'fcdioret', { ret: '1' }),
      // a PTE cleared outside any walk (a COW) is not a walk's
      ev(11, 5, 'ptecf', { addr: '0x1000', pte: '0x1', owner: '11' }),
      // another task's walk (ext4 metadata, jbd2) is not the scenario's
      ev(99, 6, 'fmk', { idx: '9' }, 'jbd2/vda-8'),
      mark(7, 'mms teardown'),
      ev(1, 8, 'fcdioret', { ret: '1' }),
    ], new Set([1, 11, 13]));
    const s = t.steps.get(4)!;
    assert.equal(s.walks.length, 1);
    assert.deepEqual(s.walks[0].visits, [
      { owner: 11, start: 0x7f0000000000, pgoff: 0, skipped: false, cleaned: 1 },
      { owner: 13, start: 0x7d0000000000, pgoff: 0, skipped: true, cleaned: 0 },
    ]);
    assert.equal(s.walks[0].ret, 1);
    assert.equal(s.written, 1, 'what the teardown made the kernel do counts for no step');
    const names = kernelVisitNames(s.walks[0], (tgid) => ({ 11: 'a', 13: 'c' } as Record<number, string>)[tgid], [
      { index: 0, proc: 'a', label: 'm', obj: 'f', objKey: 'f', addr: 0x7f0000000000, pages: 4, pgoff: 0, shared: true, prot: 'rw', line: 5, realised: true },
      { index: 1, proc: 'c', label: 'm', obj: 'f', objKey: 'f', addr: 0x7d0000000000, pages: 4, pgoff: 0, shared: false, prot: 'rw', line: 6, realised: true },
    ], true);
    assert.deepEqual(names, ['a:m*', '~c:m']);
  });

  it('fb_defio: the deferred work (a kworker) takes the pages in list order; pending is the pages tracked since; cycles are armed by the first page_mkwrite', () => {
    const t = assembleTrace([
      mark(0, 'mms st 1'), ev(11, 1, 'dmkw', { pgoff: '2' }), ev(12, 2, 'dmkw', { pgoff: '2' }),
      mark(10, 'mms st 2'), ev(11, 11, 'dmkw', { pgoff: '0' }),
      mark(40, 'mms st 3'),
      ev(7, 49, 'dwork', {}, 'kworker/0:1'),
      ev(7, 49, 'fmk', { idx: '2' }, 'kworker/0:1'), ev(7, 49, 'fmkret', { ret: '2' }, 'kworker/0:1'),
      ev(7, 50, 'fmk', { idx: '0' }, 'kworker/0:1'), ev(7, 50, 'fmkret', { ret: '1' }, 'kworker/0:1'),
      ev(7, 50, 'dworkret', {}, 'kworker/0:1'),
      ev(11, 60, 'dmkw', { pgoff: '2' }),
    ], new Set([1, 11, 12]));
    const ks = kernelStates([undefined, t.steps.get(1), t.steps.get(2), t.steps.get(3), undefined]);
    assert.deepEqual(ks[2].before.pending, [2], 'a page is listed once');
    assert.deepEqual(ks[3].before.pending, [2, 0]);
    assert.equal(ks[3].before.runs, 0);
    assert.deepEqual(ks[4].before, { runs: 1, pending: [2], lastWritten: [2, 0], arms: [1, 60] });
    assert.equal(t.steps.get(3)!.walks.every((w) => w.byWork), true);
    assert.equal(ks[4].lastWalk?.walk.idx, 0, 'the last walk is the work\'s last page');
    assert.equal(inFbWindow(ks[4].before, 45, 30, 100), 44, '45 ms is in the window of the cycle armed at 1 ms');
    assert.equal(inFbWindow(ks[4].before, 20, 30, 100), null);
  });

  it('pairs each PTE value the pagemap read saw with the struct page vm_normal_page returned', () => {
    const t = assembleTrace([
      mark(0, 'mms st 2'),
      ev(1, 1, 'vnp', { addr: '0x7f0000001000', pte: '0x8000000012e07867', owner: '11' }),
      ev(1, 1, 'vnpret', { page: '0xffe4773d401af2c0', mapping: '0xff110e4c4153a288', idx: '1' }),
      ev(1, 2, 'vnp', { addr: '0x1000000', pte: '0x8000000000001025', owner: '11' }),
      ev(1, 2, 'vnpret', { page: '0x0', mapping: '0x0', idx: '0' }),
    ], new Set([1, 11]));
    const [fbPte, zero] = t.steps.get(2)!.ptes;
    assert.deepEqual({ ...fbPte, pte: String(fbPte.pte) }, { owner: 11, addr: 0x7f0000001000, pte: String(0x8000000012e07867n), page: '0xffe4773d401af2c0', mapping: '0xff110e4c4153a288', index: 1 });
    assert.equal(zero.page, null, 'the zero page: vm_normal_page returns NULL');
  });

  it('decodes PTE bits as each release defines pte_dirty: from 6.6 a write-protected dirty PTE keeps its dirt in SavedDirty (bit 58)', () => {
    // 6.12 after fork: the parent's anon PTE, write-protected by copy_present_pte
    const v = 0x8400000007723825n;
    assert.deepEqual(pteBits(v, savedDirtyBit('6.12.118+deb12-amd64')), { present: true, write: false, dirty: true, young: true, softDirty: true });
    assert.equal(pteBits(v, savedDirtyBit('6.1.0-57-amd64')).dirty, false, 'before 6.6 bit 58 is _PAGE_BIT_DEVMAP');
    assert.equal(savedDirtyBit('6.6.0'), 58);
    assert.equal(savedDirtyBit('6.5.13'), null);
    assert.equal(pteText(0x8000000002d0a867n, null), 'P|W|U|A|D|SD');
  });

  it('reports per kernel each probe that could not be placed, with the reason, and what it leaves unobservable', () => {
    const probes = probeStatus([
      { t: 'probe', ev: 'fmk', ok: 1 },
      { t: 'probe', ev: 'mkone', ok: 0, fn: 'page_mkclean_one', why: 'trace_kprobe: error: Failed to find symbol' },
      { t: 'probe', ev: 'dfault', ok: 0, why: 'no offset in the BTF for vm_fault.pgoff' },
      { t: 'probesym', ev: 'mkone', fn: 'page_mkclean_one', kallsyms: 0, clones: 0 },
    ]);
    assert.equal(probes.length, 3);
    assert.match(probes[1].why!, /page_mkclean_one: .*Failed to find symbol; no symbol page_mkclean_one in kallsyms \(inlined or renamed/);
    assert.match(missingProbes(probes, 'walk')!, /mkone: page_mkclean_one/);
    assert.match(missingProbes(probes, 'walk')!, /inval: not defined for this kernel/);
    assert.equal(missingProbes([{ ev: 'vnp', ok: true }], 'pte'), null);
    assert.match(missingProbes(null, 'pte')!, /without the kprobe events/);
    assert.match(probeLine(probes), /^kprobe events: 1 of 3 placed; mkone not placed: .*; dfault not placed: no offset in the BTF/);
  });

  it('names the upstream release a Debian package is built from', () => {
    assert.equal(upstreamRelease('6.12.118-1~deb12u1'), '6.12.118');
    assert.equal(upstreamRelease('6.1.192-3'), '6.1.192');
    assert.equal(upstreamRelease(''), null);
  });
});

describe('mmscope kernel --real', () => {
  it('accepts 6.1, 6.12, all or a built kernel (series, gup-6.1, gup-6.12), and says so otherwise', async () => {
    const { kernelMain } = await import('../../../src/oracle/kernelCommand');
    let err = '';
    assert.equal(await kernelMain(['--real', '7.0', 'x.mms'], () => undefined, (s) => { err += s; }), 2);
    assert.match(err, /--real wants 6\.1, 6\.12, all, series, gup-6\.1, gup-6\.12, got '7\.0'/);
    err = '';
    const cache = process.env.MMSCOPE_ORACLE_CACHE;
    process.env.MMSCOPE_ORACLE_CACHE = path.join(os.tmpdir(), `mmscope-no-cache-${process.pid}`);
    try {
      assert.equal(await kernelMain(['--real', 'gup-6.1', 'x.mms'], () => undefined, (s) => { err += s; }), 2);
    } finally {
      if (cache === undefined) delete process.env.MMSCOPE_ORACLE_CACHE; else process.env.MMSCOPE_ORACLE_CACHE = cache;
    }
    assert.match(err, /the gup-6\.1 kernel is built, not downloaded: run {2}sh scripts\/oracle\/build-kernel\.sh gup-6\.1/);
    err = '';
    assert.equal(await kernelMain(['--real', 'all', '--bogus', 'x.mms'], () => undefined, (s) => { err += s; }), 2);
    assert.match(err, /unknown option --bogus/);
  });
});
