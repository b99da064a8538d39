// Run records of the trace log (codec.ts RUN_PTE / RUN_HW / RUN_FLAGS): pteSetRun,
// hwAccessRun and folioFlagsRun store n records on consecutive pages as one record, and
// the decoder hands out exactly the n records the single calls would have made, in
// order, mixed with single records, across steps and 1 MiB chunks; the event count and
// the budget check (every 65,536 events) count each record of a run.

import { strict as assert } from 'assert';
import { TraceCursor, TraceRecorder, type TraceEvent } from '../../../src/scenario/trace';

describe('trace log: run records', () => {
  it('decode to the records of the single calls, among single records, across steps and chunks', () => {
    let seed = 424242;
    const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) >>> 0; return seed % n; };
    const rec = new TraceRecorder();
    rec.folioFlags = () => 0x8038; rec.folioIndex = (pfn) => pfn - 0x2000;
    const want: TraceEvent[][] = [];
    const whys = ['do_anonymous_page: new anon folio, order 4', '__do_huge_pmd_anonymous_page: new anon THP', 'zap'];
    for (let s = 0; s < 30; s++) {
      rec.beginStep(s, 'write');
      const evs: TraceEvent[] = [];
      const big = s === 12, n = big ? 200_000 : rnd(60); // step 12 crosses 1 MiB chunks (short runs)
      let addr = 0x7f0000000000 + rnd(8) * 0x200000, pfn = 0x2000 + rnd(1000);
      for (let i = 0; i < n; i++) {
        const pid = 1 + rnd(2);
        const len = big ? 1 + rnd(2) : [1, 2, 3, 16, 512][rnd(5)];
        if (rnd(4) === 0) addr += 4096 * rnd(600); else addr += 4096 * len;
        pfn += rnd(3) ? len : -rnd(100);
        const k = rnd(7);
        if (k < 2) {
          const bnone = rnd(2) === 0, anone = !bnone && rnd(3) === 0;
          const bf = bnone ? 0 : [0x867, -2147481497, 0x25, 0x8e7][rnd(4)], bp = bnone ? 0 : pfn - rnd(2);
          const af = anone ? 0 : [0x867, -2147481497, 2147485799, 0x8e7][rnd(4)], ap = anone ? 0 : pfn + rnd(2);
          const why = whys[rnd(whys.length)];
          rec.pteSetRun(pid, addr, len, bf, bp, af, ap, why);
          for (let j = 0; j < len; j++) {
            evs.push({ t: 'pte', pid, addr: addr + j * 4096, before: { flags: bf, pfn: bnone ? 0 : bp + j }, after: { flags: af, pfn: anone ? 0 : ap + j }, why });
          }
        } else if (k < 4) {
          const write = rnd(2) === 0;
          rec.hwAccessRun(pid, addr, len, write);
          for (let j = 0; j < len; j++) evs.push({ t: 'hw', pid, addr: addr + j * 4096, write });
        } else if (k < 5) {
          const before = [0, 0x8020, 0x8038][rnd(3)], after = before | 0x40;
          rec.folioFlagsRun(pfn, len, before, after);
          for (let j = 0; j < len; j++) evs.push({ t: 'folio', pfn: pfn + j, field: 'flags', before, after });
        } else if (k < 6) {
          // single records between runs use the same delta context
          rec.pteSet(pid, addr, 0, 0, 0x8e7, pfn, whys[0]);
          evs.push({ t: 'pte', pid, addr, before: { flags: 0, pfn: 0 }, after: { flags: 0x8e7, pfn }, why: whys[0] });
          rec.folioSet(pfn, 'flags', 0x8020, 0x8060);
          evs.push({ t: 'folio', pfn, field: 'flags', before: 0x8020, after: 0x8060 });
          rec.folioSet(pfn, 'flags', 0x8020, 0x8060);
          evs.push({ t: 'folio', pfn, field: 'flags', before: 0x8020, after: 0x8060 });
        } else {
          rec.hwAccess(pid, addr, true);
          evs.push({ t: 'hw', pid, addr, write: true });
        }
      }
      want.push(evs);
    }
    rec.endStep();
    assert.ok(rec.logBytes > 1 << 20, 'the log spans more than one chunk');
    let total = 0;
    for (let s = 0; s < want.length; s++) {
      assert.equal(rec.steps[s].eventCount, want[s].length, `step ${s} event count`);
      const got = rec.steps[s].events;
      for (let i = 0; i < got.length; i++) if (JSON.stringify(got[i]) !== JSON.stringify(want[s][i])) assert.deepEqual(got[i], want[s][i], `step ${s} event ${i}`);
      total += want[s].length;
    }
    assert.equal(rec.eventCount, total);
    let n = 0;
    rec.decode(0, rec.steps.length, () => n++, new TraceCursor());
    assert.equal(n, total);
  });

  it('a run is counted record by record: the budget is asked when it crosses a multiple of 65,536 events', () => {
    const rec = new TraceRecorder();
    const asked: number[] = [];
    rec.budget = () => { asked.push(rec.eventCount); return undefined; };
    rec.beginStep(0, 'write');
    for (let i = 0; i < 300; i++) rec.hwAccessRun(1, 0x10000000 + i * 512 * 4096, 512, true);
    assert.equal(rec.eventCount, 300 * 512);
    assert.deepEqual(asked, [128 * 512, 256 * 512]);
    rec.budget = () => 'events';
    assert.throws(() => { for (let i = 0; i < 300; i++) rec.pteSetRun(1, 0x20000000, 512, 0, 0, 0x8e7, 0x4000, 'x'); }, /events/);
  });
});
