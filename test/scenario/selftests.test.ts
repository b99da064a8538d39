// The kernel's mm selftests translated into scenarios (test/selftests/*.mms, issue #18):
// every case a scenario states holds in the engine at both oracle releases, and agrees with
// what the real kernels did (the committed test/selftests/kernel-results.json).

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ResultsCache } from '../../src/selftests/compare';
import { held } from '../../src/selftests/compare';
import { engineVerdicts, loadScenarios } from '../../src/selftests/scenarios';

const root = path.resolve(__dirname, '../../..');
const scenarios = loadScenarios(path.join(root, 'test/selftests'));
const cache = JSON.parse(fs.readFileSync(path.join(root, 'test/selftests/kernel-results.json'), 'utf8')) as ResultsCache;

describe('selftest scenarios (test/selftests/*.mms)', () => {
  it('there are selftest scenarios, each naming the cases it states', () => {
    assert.ok(scenarios.length >= 3);
    for (const s of scenarios) assert.ok(s.sections.length > 0, `${s.file}: no "# selftest:" marker`);
  });
  for (const s of scenarios) {
    for (const [kernel, kr] of Object.entries(cache.kernels)) {
      it(`${path.basename(s.file)} at ${kr.upstream}: every stated case holds and agrees with kernel ${kernel}`, () => {
        for (const v of engineVerdicts(s, kr.upstream)) {
          assert.ok(v.expectations > 0, `${v.name}: no expectation`);
          const c = kr.files[v.test]?.cases.find((x) => x.name === v.name);
          assert.ok(c, `${v.test}: "${v.name}" is not a case the kernel ${kernel} run printed`);
          // a case the kernel skipped: the scenario still states what the selftest asserts
          const real = held(c.result) ?? true;
          assert.equal(v.verdict === 'pass', real, `${v.test} "${v.name}" at ${kr.upstream}: engine ${v.verdict} (${v.failed.join('; ')}), kernel ${c.result}`);
        }
      });
    }
  }
});
