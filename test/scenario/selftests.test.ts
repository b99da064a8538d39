// The kernel's mm selftests translated into scenarios (test/selftests/*.mms, issue #18,
// docs/selftests.md): every case a scenario states agrees, at each kernel whose run printed
// that case, with what that real kernel did (the committed test/selftests/kernel-results.json),
// the engine running at that kernel's release. A case the kernel skipped must still hold in
// the engine (the scenario states what the selftest asserts).

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ResultsCache } from '../../src/selftests/compare';
import { held } from '../../src/selftests/compare';
import { engineVerdicts, loadScenarios } from '../../src/selftests/scenarios';

const root = path.resolve(__dirname, '../../..');
const scenarios = loadScenarios(path.join(root, 'test/selftests'));
const cache = JSON.parse(fs.readFileSync(path.join(root, 'test/selftests/kernel-results.json'), 'utf8')) as ResultsCache;
const kernels = Object.entries(cache.kernels);

describe('selftest scenarios (test/selftests/*.mms)', () => {
  it('there are selftest scenarios, each naming the cases it states, each case one a kernel run printed', () => {
    assert.ok(scenarios.length >= 3);
    for (const s of scenarios) {
      assert.ok(s.sections.length > 0, `${s.file}: no "# selftest:" marker`);
      for (const sec of s.sections) {
        assert.ok(kernels.some(([, kr]) => kr.files[sec.test]?.cases.some((c) => c.name === sec.name)),
          `${path.basename(s.file)}: ${sec.test} "${sec.name}" is a case of no kernel run`);
      }
    }
  });
  for (const s of scenarios) {
    for (const [kernel, kr] of kernels) {
      it(`${path.basename(s.file)} at ${kr.upstream}: every stated case agrees with kernel ${kernel}`, () => {
        const verdicts = engineVerdicts(s, kr.upstream);
        assert.equal(verdicts.length, s.sections.length);
        for (const v of verdicts) {
          assert.ok(v.expectations > 0, `${v.name}: no expectation`);
          const c = kr.files[v.test]?.cases.find((x) => x.name === v.name);
          if (!c) continue;   // not a case of this kernel's run (e.g. an mTHP size 6.1 lacks)
          const real = held(c.result) ?? true;
          assert.equal(v.verdict === 'pass', real, `${v.test} "${v.name}" at ${kr.upstream}: engine ${v.verdict} (${v.failed.join('; ')}), kernel ${c.result}`);
        }
      });
    }
  }
});
