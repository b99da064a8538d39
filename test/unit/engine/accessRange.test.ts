// The range statement's accesses (memory.ts: userAccessRange): `write p b[i..j]` takes the
// pages whose PTE needs no change a PTE table at a time and traces their accesses as one
// run record. It must be exactly the accesses of the pages one at a time: the same trace
// events in the same order, the same PTEs, folios and fault counts, whatever the mapping
// (64K anon folios, PMD THP, shmem, a private file, read-only and PROT_NONE holes, the
// zero page, pages already present and clean or old).

import { strict as assert } from 'assert';
import { runText, type RunResult } from '../../../src/scenario/run';

/** The run's observable outcome: events of every step, PTEs, memmap fields, fault counts. */
function outcome(r: RunResult): { events: string[]; ptes: string[]; memmap: string; faults: string[]; diags: string[] } {
  const events = r.steps.flatMap((s) => s.events.map((e) => JSON.stringify(e)));
  const ptes: string[] = [], faults: string[] = [];
  for (const t of r.engine.tasks.values()) {
    faults.push(`${t.name} ${t.minFlt} ${t.majFlt} ${t.lastSignal}`);
    for (const tab of t.mm.pt.tables()) {
      for (let i = 0; i < 512; i++) if (tab.flags[i] || tab.pfn[i]) ptes.push(`${t.pid} ${tab.base + i * 4096} ${tab.flags[i]} ${tab.pfn[i]} ${tab.leaf}`);
    }
  }
  const m = r.engine.memmap;
  let memmap = '';
  for (let pfn = 0; pfn < 0x40000; pfn++) {
    if (m.flags[pfn] || m.mapcount[pfn] || m.refcount[pfn] || m.written[pfn]) memmap += `${pfn}:${m.flags[pfn]},${m.mapcount[pfn]},${m.refcount[pfn]},${m.mapping[pfn]},${m.index[pfn]},${m.order[pfn]},${m.written[pfn]};`;
  }
  return { events, ptes, memmap, faults, diags: r.diagnostics.map((d) => `${d.code} ${d.message}`) };
}

/** The scenario with every `write|read P L[i..j]` line as j - i + 1 one-page statements. */
function pageByPage(text: string): string {
  return text.split('\n').flatMap((l) => {
    const m = /^(read|write) (\w+) (\w+)\[(\d+)\.\.(\d+)\]$/.exec(l);
    if (!m) return [l];
    const out: string[] = [];
    for (let i = +m[4]; i <= +m[5]; i++) out.push(`${m[1]} ${m[2]} ${m[3]}[${i}]`);
    return out;
  }).join('\n');
}

const CASES: [string, string][] = [
  ['64K anon mTHP, written twice, then read', 'kernel 6.12\nsysctl thp anon 64K always\nprocess p\nmmap p anon at 0x10000000 pages 1100 private rw as b\nwrite p b[3..1099]\nwrite p b[0..1099]\nread p b[0..1099]\n'],
  ['PMD THP (madvise), with a tail that is not PMD-sized', 'kernel 6.12\nsysctl thp enabled madvise\nprocess p\nmmap p anon at 0x10000000 pages 1200 private rw as b\nmadvise p b hugepage\nwrite p b[0..1199]\nwrite p b[100..1199]\n'],
  ['zero page read, then written (COW of each), then read again', 'kernel 6.1\nprocess p\nmmap p anon at 0x10000000 pages 700 private rw as b\nread p b[0..699]\nwrite p b[0..699]\nread p b[0..699]\n'],
  ['shmem shared: written, cleaned, written again', 'kernel 6.15\nshmem m pages 600\nprocess p\nmmap p m at 0x10000000 pages 600 shared rw as b\nwrite p b[0..599]\nclear_refs p softdirty\nwrite p b[0..599]\n'],
  ['a private file read then written; a read-only and a PROT_NONE hole signal mid-range', 'kernel 6.12\nfile f pages 600\nprocess p\nmmap p f at 0x10000000 pages 600 private rw as b\nread p b[0..599]\nmprotect p b[100..149] r\nmprotect p b[300..309] none\nwrite p b[0..599]\nread p b[0..599]\n'],
  ['fork: COW over present read-only PTEs, PMD and 64K folios', 'kernel 6.12\nsysctl thp enabled always\nsysctl thp anon 64K always\nprocess p\nmmap p anon at 0x10000000 pages 1100 private rw as b\nwrite p b[0..1099]\nfork p as c\nwrite c b[0..1099]\nwrite p b[0..1099]\n'],
];

describe('range accesses (userAccessRange) are the accesses of each page in turn', () => {
  for (const [name, text] of CASES) {
    it(name, () => {
      const range = runText(text), single = runText(pageByPage(text));
      const a = outcome(range), b = outcome(single);
      assert.ok(a.events.length > 500, 'the scenario makes events');
      assert.deepEqual(a.diags.map((d) => d.split(' ')[0]), b.diags.map((d) => d.split(' ')[0]));
      assert.deepEqual(a.faults, b.faults);
      assert.deepEqual(a.ptes, b.ptes);
      assert.equal(a.memmap, b.memmap);
      assert.deepEqual(a.events, b.events);
      // the range's accesses needing no fault are stored as runs: fewer trace bytes
      assert.ok(range.recorder.logBytes < single.recorder.logBytes, `${range.recorder.logBytes} < ${single.recorder.logBytes}`);
    });
  }
});
