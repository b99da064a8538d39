// The release the engine runs as in a real-kernel comparison (src/oracle/release.ts).

import { strict as assert } from 'assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bootedRelease } from '../../../src/oracle/release';
import { parseOracleLines } from '../../../src/oracle/results';

describe('oracle: the exact release of the booted kernel', () => {
  it('Debian 6.1: uname -r is the ABI name (6.1.0-56-amd64); the package version in uname -v gives 6.1.192', () => {
    // the uname pair recorded in test/unit/oracle/fixtures/shared-file-writenotify.serial.log
    const b = bootedRelease('6.1.0-56-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)')!;
    assert.deepEqual([b.release, b.exact], ['6.1.192', true]);
    assert.match(b.source, /Debian package version/);
  });

  it('the run record of a recorded boot (serial log fixture) maps to 6.1.192', () => {
    const log = fs.readFileSync(path.join(__dirname, '../../../../test/unit/oracle/fixtures/shared-file-writenotify.serial.log'), 'utf8');
    const run = parseOracleLines(log).records.find((r) => (r as { t?: string }).t === 'run') as { release: string; version: string };
    assert.equal(run.release, '6.1.0-56-amd64');
    assert.equal(bootedRelease(run.release, run.version)!.release, '6.1.192');
  });

  it('Debian 6.12 from bookworm-security: 6.12.118-1~deb12u1 gives 6.12.118', () => {
    const b = bootedRelease('6.12.118+deb12-amd64', '#1 SMP PREEMPT_DYNAMIC Debian 6.12.118-1~deb12u1 (2026-11-20)')!;
    assert.equal(b.release, '6.12.118');
  });

  it('a kernel built from a stable tarball reports its release in uname -r', () => {
    assert.deepEqual(bootedRelease('6.1.192', '#1 SMP PREEMPT_DYNAMIC Tue Nov 18 10:00:00 UTC 2026'), { release: '6.1.192', exact: true, source: 'uname -r 6.1.192' });
    assert.equal(bootedRelease('6.15.0-rc3-dirty', '#2 SMP')!.release, '6.15');
  });

  it('a Debian ABI name without the package version is only MAJOR.MINOR (not exact), never 6.1.0 taken as a patch level', () => {
    const b = bootedRelease('6.1.0-56-amd64', '#1 SMP PREEMPT_DYNAMIC')!;
    assert.deepEqual([b.release, b.exact], ['6.1', false]);
    assert.equal(bootedRelease('garbage', ''), undefined);
  });
});
