// Engine invariants after every statement of generated large-folio scenarios (language
// v2): THP knobs, large page-cache folios, tmpfs huge=, PMD and PTE-mapped large folios
// across fork, COW, mprotect, munmap, split, madvise, mkclean, writeback, unmap_range and
// clear_refs, on kernels 6.8–6.16. The invariants (engine/invariants.ts) include the PMD
// ones: a PMD leaf counts once in its folio's entire mapcount, a PTE once in its page's.

import { strict as assert } from 'assert';
import fc from 'fast-check';
import { runText } from '../../../src/scenario/run';
import { SEED, invariantViolations } from './harness';
import { prefix } from './largeFolioPrefix';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);
const PROCS = ['p0', 'p1', 'c0'];
const LABELS = ['m0', 'm1', 'm2'];
const OBJS = ['f0', 's0'];
const idxMax = 511;
const SIZES = ['16K', '32K', '64K', '128K', '2M'];

const proc = fc.constantFrom(...PROCS);
const label = fc.constantFrom(...LABELS);
const idx = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 490, max: idxMax }), fc.integer({ min: 0, max: idxMax }));
const span = fc.tuple(idx, fc.integer({ min: 0, max: 40 })).map(([i, n]) => `[${i}..${Math.min(idxMax, i + n)}]`);
/** 2 MiB-aligned slots, and one off by a page */

const stmt: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.constantFrom('read', 'write'), proc, label, span).map(([k, p, l, s]) => `${k} ${p} ${l}${s}`) },
  { weight: 2, arbitrary: fc.tuple(proc, label, span).map(([p, l, s]) => `munmap ${p} ${l}${s}`) },
  { weight: 2, arbitrary: fc.tuple(proc, label, span, fc.constantFrom('r', 'rw', 'none')).map(([p, l, s, pr]) => `mprotect ${p} ${l}${s} ${pr}`) },
  { weight: 2, arbitrary: fc.tuple(proc, label, idx).map(([p, l, i]) => `split ${p} ${l}[${i}]`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OBJS), fc.integer({ min: 0, max: 511 })).map(([o, i]) => `split ${o}[${i}]`) },
  { weight: 2, arbitrary: fc.tuple(proc, label, span, fc.constantFrom('hugepage', 'nohugepage', 'collapse')).map(([p, l, s, a]) => `madvise ${p} ${l}${s} ${a}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...OBJS), fc.integer({ min: 0, max: 511 })).map(([o, i]) => `mkclean ${o}[${i}]`) },
  { weight: 1, arbitrary: fc.constantFrom(...OBJS).map((o) => `writeback ${o}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...OBJS), fc.integer({ min: 0, max: 500 })).map(([o, i]) => `unmap_range ${o}[${i}..${i + 11}]`) },
  { weight: 1, arbitrary: proc.map((p) => `clear_refs ${p} softdirty`) },
  { weight: 2, arbitrary: fc.oneof(
    fc.constantFrom('always', 'madvise', 'never').map((v) => `sysctl thp enabled ${v}`),
    fc.tuple(fc.constantFrom(...SIZES), fc.constantFrom('always', 'madvise', 'inherit', 'never')).map(([z, v]) => `sysctl thp anon ${z} ${v}`),
    fc.constantFrom('always', 'within_size', 'advise', 'never', 'deny', 'force').map((v) => `sysctl thp shmem_enabled ${v}`),
    fc.constantFrom('0', '1').map((v) => `sysctl thp use_zero_page ${v}`),
  ) },
);


const scenario = fc.tuple(fc.integer({ min: 8, max: 16 }), fc.constantFrom('64K', '2M', '16K'), fc.constantFrom('always', 'within_size', 'never'),
  prefix, prefix, fc.array(stmt, { maxLength: 14 }), fc.array(stmt, { maxLength: 14 }), fc.boolean())
  .map(([minor, folio, huge, m0, m1, before, after, exitChild]) => [
    `kernel 6.${minor}`, `file f0 pages 1024 folio ${folio}`, `shmem s0 pages 1024 huge ${huge}`,
    'process p0', 'process p1', 'sysctl thp enabled always', 'sysctl thp anon 64K always', ...m0('p0'), ...m1('p1'),
    ...before.map((l) => l.replace(/ c0 /, ' p0 ')), 'fork p0 as c0', ...after, ...(exitChild ? ['exit c0'] : []),
  ].join('\n') + '\n');

describe('fuzz: engine invariants with large folios and THP', function () {
  this.timeout(300_000);
  it(`hold over ${RUNS} generated large-folio scenarios (seed ${SEED})`, () => {
    fc.assert(fc.property(scenario, (text) => {
      const lang = runText(text).diagnostics.filter((d) => /^MMS[123]/.test(d.code));
      assert.deepEqual(lang.map((d) => d.message), [], `the generated scenario is valid\n${text}`);
      const v = invariantViolations(text);
      if (v.length) throw new Error(`${v.slice(0, 5).join('\n')}\n--- scenario ---\n${text}`);
    }), { numRuns: RUNS, seed: SEED });
  });
});
