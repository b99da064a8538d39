// test/regressions/: scenarios the differential fuzz against the real kernels found and
// shrank (npm run fuzz:kernel), each with the kernel's answer in its comments, and
// (oracle-*.mms) scenarios written to pin down a real-kernel finding, saying what it was. The oracle CI
// (scripts/oracle/ci.sh) runs them on 6.1 and 6.12 and compares; here: every one is a valid
// scenario the engine runs to the end, and says which kernel answered what.

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runText } from '../../../src/scenario/run';

const DIR = path.join(__dirname, '../../../../test/regressions');

describe('test/regressions (differential fuzz findings)', () => {
  const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.mms')).sort();
  it('holds the fuzz findings', () => {
    assert.ok(files.length >= 4, files.join(', '));
  });
  for (const f of files) {
    it(`${f}: names the kernel's answer, checks clean and runs to the end on the engine`, () => {
      const text = fs.readFileSync(path.join(DIR, f), 'utf8');
      if (f.startsWith('oracle-')) {
        assert.match(text, /^# Real-kernel finding \(.*6\.1\.192.*\n#.*6\.12\.118/);
      } else {
        assert.match(text, /^# Differential fuzz \(npm run fuzz:kernel -- --seed \d+ --real [\w.]+\)/);
        assert.match(text, /^#\s+L\d+ .*kernel .*\(engine /m);
      }
      // the release each kernel boots: 6.1.192, 6.12.118, the series kernel 6.12.118 + its rule
      const r = runText(text, { kernelOverride: f.includes('6_1-') ? '6.1.192' : '6.12.118', kernelPatches: f.includes('-series-') ? ['mapping-wrprotect-range'] : [] });
      assert.deepEqual(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
      assert.equal(r.steps.length > 0, true);
    });
  }
});
