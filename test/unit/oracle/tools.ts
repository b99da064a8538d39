// A test that needs a command-line tool fails when the tool is missing, naming the Debian
// package to install: it never skips (a skipped check is a check CI quietly stopped doing).

import { execFileSync } from 'child_process';

export function requireTool(cmd: string, debianPackages: string): void {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
  } catch (e) {
    throw new Error(`this test needs \`${cmd}\`, which is not installed (${(e as Error).message}): apt-get install ${debianPackages}`);
  }
}
