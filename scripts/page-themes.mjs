// Writes media/page-themes.json: the VS Code theme variables, body classes and default webview
// styles of the dark and light themes, as code-server gives them to the inspector webview
// (captured by test/webview/capture-themes.js), kept to the variables the inspector's bundle
// and stylesheet use. `mmscope run --html` pages read it (prefers-color-scheme picks one).
//   node scripts/page-themes.mjs        (after node scripts/build.mjs)
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const used = new Set([readFileSync(join(root, 'dist/webview/main.js'), 'utf8'), readFileSync(join(root, 'media/inspector.css'), 'utf8')]
  .flatMap((s) => [...s.matchAll(/--vscode-[A-Za-z0-9-]+/g)].map((m) => m[0])));
const out = {};
for (const kind of ['dark', 'light']) {
  const t = JSON.parse(readFileSync(join(root, 'test/webview/themes', `${kind}.json`), 'utf8'));
  const vars = Object.fromEntries(Object.entries(t.vars).filter(([k]) => used.has(k) || k.startsWith('--vscode-font') || k.startsWith('--vscode-editor-font')));
  out[kind] = { source: t.source, theme: t.theme, bodyClass: t.bodyClass, defaultStyles: t.defaultStyles, vars };
}
writeFileSync(join(root, 'media/page-themes.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`page-themes: ${Object.keys(out.dark.vars).length} variables per theme`);
