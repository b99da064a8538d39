// Engine invariants after every statement of generated scenarios that mix the three parts
// of language v2 (the integration of issues 15 and 16): PMD and PTE-mapped large folios
// with madvise (every advice), swap-out and swap-in, migration, mremap, VMA merges after
// mprotect and madvise hugepage, fork and exit, on 6.1 and 6.8–6.16.

import { strict as assert } from 'assert';
import fc from 'fast-check';
import { runText } from '../../../src/scenario/run';
import { SEED, invariantViolations } from './harness';
import { prefix } from './largeFolioPrefix';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const PROCS = ['p0', 'p1', 'c0'];
const LABELS = ['m0', 'm1', 'm2'];
const OBJS = ['f0', 's0'];
const idxMax = 511;
const ADVICES = ['dontneed', 'free', 'cold', 'pageout', 'willneed', 'populate_read', 'populate_write', 'hugepage', 'nohugepage', 'collapse'];

const proc = fc.constantFrom(...PROCS);
const label = fc.constantFrom(...LABELS);
const idx = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 490, max: idxMax }), fc.integer({ min: 0, max: idxMax }));
const span = fc.tuple(idx, fc.integer({ min: 0, max: 40 })).map(([i, n]) => `[${i}..${Math.min(idxMax, i + n)}]`);
/** 2 MiB-aligned slots, one off by a page, and free slots mremap can move to */
const moveTo = fc.constantFrom('0x7e0000000000', '0x7e0000201000', '0x7e0000400000');

const stmt: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom('read', 'write'), proc, label, span).map(([k, p, l, s]) => `${k} ${p} ${l}${s}`) },
  { weight: 4, arbitrary: fc.tuple(proc, label, span, fc.constantFrom(...ADVICES)).map(([p, l, s, a]) => `madvise ${p} ${l}${s} ${a}`) },
  { weight: 2, arbitrary: fc.tuple(proc, label, idx).map(([p, l, i]) => `migrate ${p} ${l}[${i}]`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OBJS), fc.integer({ min: 0, max: 511 })).map(([o, i]) => `migrate ${o}[${i}]`) },
  { weight: 2, arbitrary: fc.tuple(proc, label, idx).map(([p, l, i]) => `split ${p} ${l}[${i}]`) },
  { weight: 2, arbitrary: fc.tuple(proc, label, span, fc.constantFrom('r', 'rw', 'none')).map(([p, l, s, pr]) => `mprotect ${p} ${l}${s} ${pr}`) },
  { weight: 2, arbitrary: fc.tuple(proc, label, span, moveTo).map(([p, l, s, a]) => `mremap ${p} ${l}${s} to ${a}`) },
  { weight: 1, arbitrary: fc.tuple(proc, label, span).map(([p, l, s]) => `munmap ${p} ${l}${s}`) },
  { weight: 1, arbitrary: proc.map((p) => `clear_refs ${p} softdirty`) },
  { weight: 1, arbitrary: fc.constantFrom(...OBJS).map((o) => `writeback ${o}`) },
  { weight: 1, arbitrary: fc.constantFrom('always', 'madvise', 'never').map((v) => `sysctl thp enabled ${v}`) },
);


const scenario = fc.tuple(fc.constantFrom(1, 8, 9, 11, 12, 15, 16), fc.option(fc.tuple(fc.integer({ min: 16, max: 4096 }), fc.boolean()), { nil: undefined }),
  prefix, prefix, fc.array(stmt, { maxLength: 14 }), fc.array(stmt, { maxLength: 14 }), fc.boolean())
  .map(([minor, swap, m0, m1, before, after, exitChild]) => [
    `kernel 6.${minor}`, 'file f0 pages 1024 folio 64K', 'shmem s0 pages 1024 huge always',
    ...(swap ? [`sysctl swap pages ${swap[0]}${swap[1] ? ' sync' : ''}`] : []),
    'process p0', 'process p1', 'sysctl thp enabled always', ...(minor >= 8 ? ['sysctl thp anon 64K always'] : []), ...m0('p0'), ...m1('p1'),
    ...before.map((l) => l.replace(/ c0 /, ' p0 ')), 'fork p0 as c0', ...after, ...(exitChild ? ['exit c0'] : []),
  ].join('\n') + '\n');

describe('fuzz: engine invariants with every language v2 statement together', function () {
  this.timeout(300_000);
  it(`hold over ${RUNS} generated scenarios mixing large folios, reclaim, swap, migration and VMA changes (seed ${SEED})`, () => {
    fc.assert(fc.property(scenario, (text) => {
      const lang = runText(text).diagnostics.filter((d) => /^MMS[123]/.test(d.code));
      assert.deepEqual(lang.map((d) => d.message), [], `the generated scenario is valid\n${text}`);
      const v = invariantViolations(text);
      if (v.length) throw new Error(`${v.slice(0, 5).join('\n')}\n--- scenario ---\n${text}`);
    }), { numRuns: RUNS, seed: SEED });
  });
});
