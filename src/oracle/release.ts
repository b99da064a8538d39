// The exact upstream release of the kernel the oracle booted, for running the engine at that
// release (language v2 "Versions": the real-kernel comparison runs the engine at the exact
// release it boots). Debian's `uname -r` carries the ABI name (6.1.0-56-amd64), not the
// upstream patch level; Debian's `uname -v` carries the package version
// ("#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16)"), whose upstream part is the
// release. A kernel built from a stable tarball reports the release in `uname -r` itself.

import { parseRelease, releaseText } from '../engine/versions';

export interface BootedRelease {
  /** the release the engine runs as, e.g. '6.1.192' */
  release: string;
  /** false when only MAJOR.MINOR could be read (the engine then runs the mainline release) */
  exact: boolean;
  /** how the release was read, for the report */
  source: string;
}

/** From `uname -r` and `uname -v` of the booted kernel. */
export function bootedRelease(unameR: string, unameV: string): BootedRelease | undefined {
  const deb = /\bDebian (\d+\.\d+\.\d+)(?=[-+~ )]|$)/.exec(unameV);
  const fromDeb = deb ? parseRelease(deb[1]) : undefined;
  if (fromDeb) return { release: releaseText(fromDeb), exact: true, source: `Debian package version in uname -v (${deb![1]})` };
  // Debian ABI names: MAJOR.MINOR.0-ABI-FLAVOUR; the .0 is not the patch level
  const abi = /^(\d+)\.(\d+)\.0-\d+-/.exec(unameR);
  if (abi) {
    const r = parseRelease(`${abi[1]}.${abi[2]}`);
    return r ? { release: releaseText(r), exact: false, source: `uname -r ${unameR} (a Debian ABI name without the patch level)` } : undefined;
  }
  const plain = /^(\d+\.\d+(?:\.\d+)?)(?=[-+_]|$)/.exec(unameR);
  const r = plain ? parseRelease(plain[1]) : undefined;
  return r ? { release: releaseText(r), exact: true, source: `uname -r ${unameR}` } : undefined;
}
