// The differential fuzz's scenarios (npm run fuzz:kernel): after keepValid, every one checks
// without errors, and the oracle's translation realises every statement (none is "no
// user-space trigger"): the fuzz compares what the kernel does, not what it cannot do.

import { strict as assert } from 'assert';
import fc from 'fast-check';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { translateScenario, DEFAULT_FB_PAGES } from '../../../src/oracle/translate';
import { keepValid, realisableScenario } from './realisable';
import { assertKeptWhole } from './keptWhole';

describe('fuzz: realisable scenarios for the real-kernel oracle', () => {
  const sample = fc.sample(realisableScenario(), { seed: 2026, numRuns: 60 });

  it('keepValid leaves scenarios the checker accepts whole, keeping most lines', () => {
    assertKeptWhole(sample);
  });

  it('every statement has a user-space trigger on the oracle; forks, several processes, files and the fbdev all occur', () => {
    const kinds = new Map<string, number>();
    for (const t of sample) {
      const v = keepValid(t)!;
      const { scenario } = parse(v);
      const tr = translateScenario(scenario, { invalid: check(scenario).invalid, fbPages: DEFAULT_FB_PAGES });
      assert.deepEqual(tr.steps.filter((s) => s.observable === 'no').map((s) => `L${s.line + 1} ${s.kind}: ${s.reason}`), [], v);
      for (const s of scenario.statements) kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
      assert.ok(v.includes('fbdev fb0') && v.includes('process p1'), v);
    }
    for (const k of ['fork', 'mmap', 'write', 'read', 'mkclean', 'writeback', 'mprotect', 'munmap', 'exit', 'flush', 'wait']) {
      assert.ok((kinds.get(k) ?? 0) > 0, `no ${k} in the sample`);
    }
  });
});
