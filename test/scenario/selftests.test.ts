// The kernel's mm selftests translated into scenarios (test/selftests/*.mms, issue #18,
// docs/selftests.md): every case a scenario states agrees, at each kernel whose run printed
// that case, with what that real kernel did (the committed test/selftests/kernel-results.json),
// the engine running at that kernel's release. A case the kernel skipped is taken from
// another kernel of the same release that ran it (the gup kernels: cow.c's R/O pin cases,
// which Debian's kernels skip without CONFIG_GUP_TEST); skipped by every kernel of the
// release, it must still hold in the engine (the scenario states what the selftest asserts),
// unless every skip was for a missing instrument (INSTRUMENT_SKIPS: 6.1's gup_test has no
// PIN_LONGTERM_TEST_START), which says nothing about the kernel's mm.

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { ResultsCache } from '../../src/selftests/compare';
import { INSTRUMENT_SKIPS, held } from '../../src/selftests/compare';
import { engineVerdicts, loadScenarios } from '../../src/selftests/scenarios';

const root = path.resolve(__dirname, '../../..');
const scenarios = loadScenarios(path.join(root, 'test/selftests'));
const cache = JSON.parse(fs.readFileSync(path.join(root, 'test/selftests/kernel-results.json'), 'utf8')) as ResultsCache;
const kernels = Object.entries(cache.kernels);

/**
 * Did the selftest's assertion hold at this release: the first kernel of it that ran the case;
 * 'unknown' when every kernel of the release that printed it skipped it for a missing
 * instrument; null when a skip was the kernel's own doing.
 */
function heldAt(upstream: string, test: string, name: string): boolean | 'unknown' | null {
  let instrument = true;
  for (const [, kr] of kernels) {
    if (kr.upstream !== upstream) continue;
    const c = kr.files[test]?.cases.find((x) => x.name === name);
    if (!c) continue;
    const h = held(c.result);
    if (h !== null) return h;
    if (!INSTRUMENT_SKIPS.includes(c.reason ?? '')) instrument = false;
  }
  return instrument ? 'unknown' : null;
}

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
          const real = held(c.result) ?? heldAt(kr.upstream, v.test, v.name) ?? true;
          if (real === 'unknown') { assert.notEqual(v.verdict, 'error', `${v.name}: the scenario runs at ${kr.upstream}`); continue; }
          assert.equal(v.verdict === 'pass', real, `${v.test} "${v.name}" at ${kr.upstream}: engine ${v.verdict} (${v.failed.join('; ')}), kernel ${c.result}`);
        }
      });
    }
  }
});
