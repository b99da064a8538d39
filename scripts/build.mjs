// One esbuild config, one build per target: extension (node), extension (browser),
// webview, CLI. Type-checking is a separate step (`npm run typecheck`).
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, chmodSync } from 'node:fs';
import { copyGuest } from './copy-guest.mjs';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', target: 'es2022' };

const targets = [
  { name: 'cli', entryPoints: ['src/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs',
    banner: { js: '#!/usr/bin/env node' } },
  { name: 'lsp', entryPoints: ['src/lsp/server.ts'], outfile: 'dist/lsp.js', platform: 'node', format: 'cjs' },
  { name: 'worker', entryPoints: ['src/service/worker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs' },
  { name: 'extension', entryPoints: ['src/extension/extension.node.ts'], outfile: 'dist/extension.js', platform: 'node',
    format: 'cjs', external: ['vscode'] },
  { name: 'web-extension', entryPoints: ['src/extension/extension.browser.ts'], outfile: 'dist/web/extension.js',
    platform: 'browser', format: 'cjs', external: ['vscode'] },
  { name: 'webview', entryPoints: ['webview/main.ts'], outfile: 'dist/webview/main.js', platform: 'browser', format: 'iife' },
];

mkdirSync('dist', { recursive: true });
const ctxs = [];
for (const t of targets) {
  const entry = t.entryPoints[0];
  if (!existsSync(entry)) { console.warn(`build: skipping ${t.name} (${entry} not there yet)`); continue; }
  const { name, ...opts } = t;
  const ctx = await esbuild.context({ ...common, ...opts });
  if (watch) { await ctx.watch(); ctxs.push(ctx); } else { await ctx.rebuild(); await ctx.dispose(); }
}
copyGuest();
if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
if (!watch) console.log('build: done');
