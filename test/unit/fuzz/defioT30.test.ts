// kernel-model T30 as a differential property: the normal fb_defio cycle (shared
// mappings of a vmalloc fbdev, reads, writes, waits, flushes, fork) behaves the same on
// 6.14 (folio_mkclean per page) and 6.15 (mapping_wrprotect_range): identical fault
// counts, PTE states, deferred-I/O lists and rmap walk visit orders, step by step.

import fc from 'fast-check';
import { defioScenario } from './gen';
import { SEED, defioObservables } from './harness';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

describe('fuzz: fb_defio 6.14 ≡ 6.15 on the normal cycle (kernel-model T30)', function () {
  this.timeout(180_000);
  it(`same faults, PTEs, defio lists and walk orders over ${RUNS} generated scenarios (seed ${SEED})`, () => {
    fc.assert(fc.property(defioScenario(30), (text) => {
      const a = defioObservables(text, '6.14'), b = defioObservables(text, '6.15');
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (a[i] !== b[i]) throw new Error(`6.14 and 6.15 differ after step ${i}:\n6.14: ${a[i]}\n6.15: ${b[i]}\n--- scenario ---\n${text}`);
      }
    }), { numRuns: RUNS, seed: SEED + 30 });
  });
});
