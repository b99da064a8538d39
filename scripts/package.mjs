// `npm run package`: production build, then `vsce package` -> mmscope.vsix (offline, no prompts).
//   node scripts/package.mjs [--out <file.vsix>] [--no-build] [--web]
// --web: a web-only package (no "main"), so that VS Code runs it in the browser's web worker
// extension host (dist/web/extension.js): how test/e2e/suites/web.e2e.js proves the browser build.
// What goes into the vsix is decided by .vscodeignore (a whitelist). vsce itself globs the whole
// folder before applying it (including .cache/ with code-server's ~20k files: ~80 s), so we run it
// in a staging copy without the heavy git-ignored folders; .vscodeignore still decides there.
// The README's relative links and images are rewritten by vsce to the repository's (package.json
// "repository": where the project would publish; a Marketplace page cannot follow a relative link).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const web = args.includes('--web');
const out = resolve(outIdx >= 0 ? args[outIdx + 1] : join(root, web ? 'mmscope-web.vsix' : 'mmscope.vsix'));
const NOT_STAGED = new Set(['.git', 'node_modules', '.cache', 'test-output', 'out', 'oracle-cache', 'bench-output']);

function run(cmd, argv, cwd = root) {
  const t = Date.now();
  // stdin 'ignore' => not a TTY, so vsce never waits on a y/N prompt.
  const r = spawnSync(cmd, argv, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error) throw r.error;
  if (r.status !== 0) {
    console.error(`package: \`${cmd} ${argv.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
  return Date.now() - t;
}

if (!args.includes('--no-build')) {
  const ms = run(process.execPath, [join(root, 'scripts/build.mjs'), '--production']);
  console.log(`package: build --production took ${ms} ms`);
}

const stage = mkdtempSync(join(tmpdir(), 'mmscope-vsix-'));
try {
  for (const name of readdirSync(root)) {
    if (NOT_STAGED.has(name) || name.endsWith('.vsix')) continue;
    cpSync(join(root, name), join(stage, name), { recursive: true });
  }
  if (web) {
    const pkg = JSON.parse(readFileSync(join(stage, 'package.json'), 'utf8'));
    delete pkg.main;
    writeFileSync(join(stage, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
  }
  const vsce = join(root, 'node_modules/@vscode/vsce/vsce');
  const tmp = `${out}.${process.pid}.tmp.vsix`; // written aside, then renamed: concurrent readers never see half a zip
  const ms = run(process.execPath, [vsce, 'package', '--no-dependencies', '-o', tmp], stage);
  renameSync(tmp, out);
  const size = statSync(out).size;
  console.log(`package: ${out} ${(size / 1024).toFixed(1)} KiB (${size} bytes), vsce took ${ms} ms`);
} finally {
  rmSync(stage, { recursive: true, force: true });
}
