import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runText } from '../../../src/scenario/run';
import { TraceIndex } from '../../../src/scenario/timeTravel';
import { TraceCursor, TraceRecorder, type TraceEvent } from '../../../src/scenario/trace';
import { PG_locked, PG_readahead, PG_allocated } from '../../../src/engine/memmap';
import type { Kernel } from '../../../src/engine/kernel';
import { sharedScenarios } from '../language/helpers';

const SCEN = sharedScenarios();
const shared = fs.readdirSync(SCEN).filter((f) => f.endsWith('.mms')).sort();

interface Snap { ptes: Map<string, [number, number]>; folios: Map<number, [number, number, number]>; vmas: Map<number, string> }

/** The live engine state at the end of a step (what re-running the scenario to that step gives). */
function snapshot(k: Kernel): Snap {
  const ptes = new Map<string, [number, number]>();
  const vmas = new Map<number, string>();
  for (const t of k.tasks.values()) {
    for (const tab of t.mm.pt.tables()) {
      for (let i = 0; i < 512; i++) if (tab.flags[i] || tab.pfn[i]) ptes.set(`${t.pid}:${tab.base + i * 4096}`, [tab.flags[i], tab.pfn[i]]);
    }
    vmas.set(t.pid, JSON.stringify(t.mm.vmas.map((v) => [v.start, v.end, v.pgoff, v.flags, v.label ?? null])));
  }
  const folios = new Map<number, [number, number, number]>();
  const mm = k.memmap;
  for (let pfn = 0; pfn < 0x100000; pfn++) {
    if (!(mm.flags[pfn] & PG_allocated)) continue;
    folios.set(pfn, [mm.flags[pfn], mm.mapping[pfn], mm.index[pfn]]);
  }
  return { ptes, folios, vmas };
}

function check(text: string, name: string, checkpointEvents: number): void {
  const snaps = new Map<number, Snap>();
  const run = runText(text, { onStep: (_s, step, k) => { snaps.set(step.index, snapshot(k)); } });
  const ti = new TraceIndex(run, checkpointEvents);
  // visit the steps in a scrambled order so seeks go backwards and forwards
  const order = [...snaps.keys()].sort((a, b) => ((a * 7919) % 13) - ((b * 7919) % 13) || b - a);
  for (const s of order) {
    const want = snaps.get(s)!;
    const pids = new Set<number>([...want.vmas.keys()]);
    let n = 0;
    for (const pid of pids) {
      const rows = ti.ptesAt(s, { pid }, 0, 1 << 30);
      for (const r of rows) {
        const w = want.ptes.get(`${pid}:${r.addr}`);
        assert.ok(w, `${name} step ${s}: replay has a PTE pid ${pid} 0x${r.addr.toString(16)} the engine had not`);
        assert.deepEqual([r.flags, r.pfn], [w[0] >>> 0, w[1]], `${name} step ${s} pid ${pid} 0x${r.addr.toString(16)}`);
        n++;
      }
      assert.equal(ti.pteCount(s, { pid }), rows.length);
      assert.equal(JSON.stringify(ti.vmasAt(s, pid).map((v) => [v.start, v.end, v.pgoff, v.flags, v.label ?? null])), want.vmas.get(pid), `${name} step ${s} VMAs of ${pid}`);
    }
    assert.equal(n, want.ptes.size, `${name} step ${s}: PTE count`);
    for (const [key, w] of want.ptes) {
      const [pid, addr] = key.split(':').map(Number);
      const got = ti.pteAt(s, pid, addr);
      assert.deepEqual([got.flags, got.pfn], [w[0] >>> 0, w[1]]);
    }
    // folio fields the trace records (transient PG_locked / PG_readahead are not)
    const mask = ~(PG_locked | PG_readahead) & 0xffff;
    for (const [pfn, [flags, mapping, index]] of want.folios) {
      const f = ti.folioAt(s, pfn);
      if (f.flags === 0 && f.cached === 0 && f.mapping === 0) continue; // never traced (kernel/vmalloc pages)
      assert.deepEqual([f.flags & mask, f.mapping, f.index], [flags & mask, mapping, index], `${name} step ${s} pfn 0x${pfn.toString(16)}`);
    }
  }
}

describe('time travel (TraceIndex) against the live engine at each step', () => {
  it('has the shared scenarios to replay', () => assert.ok(shared.length >= 5, `${shared.length} .mms files in ${SCEN}`));
  for (const f of shared) {
    it(f, () => check(fs.readFileSync(path.join(SCEN, f), 'utf8'), f, 5));
  }
  it('a generated scenario with many steps, forks and unmaps (checkpoints every 50 events)', () => {
    const lines = ['file f pages 64', 'shmem m pages 64', 'process p', 'mmap p f at 0x10000000 pages 64 shared rw as a',
      'mmap p m at 0x20000000 pages 64 shared rw as b', 'mmap p anon at 0x30000000 pages 64 private rw as c'];
    for (let i = 0; i < 40; i++) {
      lines.push(`write p a[${(i * 5) % 64}]`, `read p b[${(i * 3) % 64}]`, `write p c[${(i * 7) % 64}]`);
      if (i === 10) lines.push('fork p as q', 'write q c[0..5]');
      if (i === 20) lines.push('munmap p b[4..9]', 'writeback f');
      if (i === 30) lines.push('mprotect p c[0..3] r', 'clear_refs p softdirty');
    }
    check(lines.join('\n') + '\n', 'generated', 50);
  });
});

describe('trace log round trip', () => {
  it('random records decode to exactly what was recorded, across steps and chunks', () => {
    let seed = 12345;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    const rec = new TraceRecorder();
    rec.folioFlags = () => 0x8038; rec.folioIndex = (pfn) => pfn - 0x2000;
    const want: TraceEvent[][] = [];
    const whys = ['finish_fault: set_pte_range', 'hardware write (A, D)', 'zap', 'wp_page_copy: new anon folio'];
    const addrs = [0x10000000, 0x7fff_ffff_f000, 0x1000, 0x20000123];
    for (let s = 0; s < 40; s++) {
      rec.beginStep(s, 'write');
      const evs: TraceEvent[] = [];
      const n = s === 20 ? 200_000 : rnd(50); // one step crosses several 1 MiB chunks
      let addr = addrs[rnd(addrs.length)], pfn = 0x2000 + rnd(100);
      for (let i = 0; i < n; i++) {
        const k = rnd(10);
        const pid = 1 + rnd(2);
        if (rnd(3) === 0) addr += 4096; else if (rnd(5) === 0) addr = addrs[rnd(addrs.length)] + rnd(3) * 4096;
        if (rnd(2) === 0) pfn++;
        if (k < 3) {
          const bnone = rnd(2) === 0;
          const bf = bnone ? 0 : [0x867, -2147481497, 2147485799, 0x25][rnd(4)], bp = bnone ? 0 : pfn - rnd(2);
          const af = [0x867, -2147481497, 2147485799, 0, 0x80000025][rnd(5)], ap = [pfn, bp, 0][rnd(3)];
          const why = whys[rnd(whys.length)];
          rec.pteSet(pid, addr, bf, bp, af, ap, why);
          evs.push({ t: 'pte', pid, addr, before: { flags: bf, pfn: bp }, after: { flags: af, pfn: ap }, why });
        } else if (k < 5) {
          const field = (['flags', 'mapping', 'index', 'cached'] as const)[rnd(4)];
          const before = field === 'mapping' ? -rnd(3) : field === 'flags' ? 0x8038 : rnd(2) * rnd(1000);
          const after = field === 'flags' ? 0x803a : field === 'mapping' ? rnd(3) - 1 : rnd(5000);
          rec.folioSet(pfn, field, before, after);
          evs.push({ t: 'folio', pfn, field, before, after });
        } else if (k < 7) {
          const err = [6, 7, 4][rnd(3)];
          rec.faultBegin(pid, addr, err); rec.call('do_user_addr_fault'); rec.call(whys[rnd(2)]);
          const o = (['minor', 'major', 'sigsegv'] as const)[rnd(3)];
          rec.faultEnd(pid, addr, o);
          evs.push({ t: 'fault', pid, addr, err, path: [], outcome: o }); // path: checked by length below
        } else if (k < 8) {
          const write = rnd(2) === 0;
          rec.hwAccess(pid, addr, write);
          evs.push({ t: 'hw', pid, addr, write });
        } else if (k < 9) {
          rec.call('flush_delayed_work');
          evs.push({ t: 'call', fn: 'flush_delayed_work' });
        } else {
          rec.warn(`w${i}`);
          evs.push({ t: 'warn', message: `w${i}` });
        }
      }
      want.push(evs);
    }
    rec.endStep();
    for (let s = 0; s < want.length; s++) {
      const got = rec.steps[s].events;
      assert.equal(got.length, want[s].length, `step ${s} count`);
      for (let i = 0; i < got.length; i++) {
        const g = got[i], w = want[s][i];
        if (w.t === 'fault') { assert.equal(g.t, 'fault'); const gf = g as Extract<TraceEvent, { t: 'fault' }>; assert.deepEqual([gf.pid, gf.addr, gf.err, gf.outcome, gf.path.length], [w.pid, w.addr, w.err, w.outcome, 2]); }
        else assert.deepEqual(g, w, `step ${s} event ${i}`);
      }
    }
    // the cursor API sees the same records
    let n = 0;
    rec.decode(0, rec.steps.length, () => n++, new TraceCursor());
    assert.equal(n, rec.eventCount);
  });
});

describe('VMA history (deltas between full snapshots)', () => {
  it('vmasAt equals the live VMAs at every step with 600 VMAs, splits, mprotect, munmap, fork, clear_refs and exit', () => {
    const l = ['file f pages 4', 'process p'];
    for (let i = 0; i < 600; i++) l.push(`mmap p f at 0x${(0x10000000 + i * 0x4000).toString(16)} pages 3 offset ${i % 2} shared rw as v${i}`);
    for (let i = 0; i < 600; i += 7) l.push(`mprotect p v${i}[1] r`);
    for (let i = 3; i < 600; i += 11) l.push(`munmap p v${i}[0]`);
    l.push('fork p as c');
    for (let i = 5; i < 600; i += 13) l.push(`munmap c v${i}`);
    l.push('clear_refs p softdirty');
    for (let i = 0; i < 40; i++) l.push(`mmap c f at 0x${(0x40000000 + i * 0x4000).toString(16)} pages 1 shared rw`);
    l.push('exit c');
    const live = new Map<number, Map<number, string>>();
    const run = runText(l.join('\n') + '\n', {
      onStep: (_s, step, k) => {
        const m = new Map<number, string>();
        for (const t of k.tasks.values()) m.set(t.pid, JSON.stringify(t.mm.vmas.map((v) => [v.start, v.end, v.pgoff, v.flags, v.label ?? null])));
        live.set(step.index, m);
      },
    });
    assert.equal(run.exitStatus, 0, run.diagnostics.map((d) => d.message).join('; '));
    const ti = new TraceIndex(run);
    const steps = [...live.keys()];
    const deltas = [...run.recorder.vmaHistory.values()].flat().filter((e) => !e.vmas).length;
    assert.ok(deltas > 100, `expected the history to use deltas (${deltas})`);
    for (const s of [...steps, ...steps.slice().reverse()]) {
      for (const [pid, want] of live.get(s)!) {
        assert.equal(JSON.stringify(ti.vmasAt(s, pid).map((v) => [v.start, v.end, v.pgoff, v.flags, v.label ?? null])), want, `step ${s} pid ${pid}`);
      }
    }
  });
});
