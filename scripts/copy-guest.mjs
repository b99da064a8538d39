// Copy the oracle's guest files (src/oracle/guest: oracle.h, init.sh, setup.sh,
// gen-probes.sh) beside the code that uses them: dist/guest for the bundles, and
// out/src/oracle/guest for the compiled tests. src/oracle/run.ts looks in <its dir>/guest.
//   node scripts/copy-guest.mjs [DEST]   (default dist/guest)
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export function copyGuest(dest = 'dist/guest') {
  const to = join(root, dest);
  mkdirSync(to, { recursive: true });
  cpSync(join(root, 'src/oracle/guest'), to, { recursive: true });
}
if (process.argv[1] === fileURLToPath(import.meta.url)) copyGuest(process.argv[2]);
