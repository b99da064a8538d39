// Engine invariants (src/engine/invariants.ts, kernel-model §8.3) after every statement of
// generated scenarios, on every kernel version 6.1–6.16.

import { strict as assert } from 'assert';
import fc from 'fast-check';
import { scenarioText } from './gen';
import { SEED, invariantViolations } from './harness';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

describe('fuzz: engine invariants after every step', function () {
  this.timeout(180_000);
  it(`hold over ${RUNS} generated scenarios (seed ${SEED})`, () => {
    console.log(`      invariants: seed ${SEED}, ${RUNS} runs (FUZZ_SEED / FUZZ_RUNS to change)`);
    fc.assert(fc.property(scenarioText(40), (text) => {
      const v = invariantViolations(text);
      if (v.length) throw new Error(`${v.slice(0, 5).join('\n')}\n--- scenario ---\n${text}`);
    }), { numRuns: RUNS, seed: SEED });
  });

  it('the checker itself sees a broken mapcount', () => {
    // sanity: the invariant check is not vacuous
    const { runText } = require('../../../src/scenario/run') as typeof import('../../../src/scenario/run');
    const { checkInvariants } = require('../../../src/engine/invariants') as typeof import('../../../src/engine/invariants');
    const r = runText('file f pages 2\nprocess p\nmmap p f at 0x10000000 pages 2 shared rw as m\nwrite p m[0]\n');
    const pfn = r.objects.get('f')!.iPages[0];
    r.engine.memmap.mapcount[pfn]++;
    assert.ok(checkInvariants(r.engine).some((v) => v.includes('mapcount')));
  });
});
