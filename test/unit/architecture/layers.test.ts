// The layout of docs/architecture.md, checked from the sources' own imports: dependencies point
// one way (extension → lsp protocol, service/views → scenario → language → engine), the webview and the
// shared protocol reach nothing of the host, the engine imports no other layer, and no module
// imports itself back at run time (a cycle through `import type` is erased by the compiler and
// allowed).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');

interface Edge { from: string; to: string; typeOnly: boolean }

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sources(rel));
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

/** Relative imports of a file: `import type` (erased) or not. */
export function importsOf(file: string, text: string): Edge[] {
  const out: Edge[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]/gm;
  for (const m of text.matchAll(re)) {
    const target = path.normalize(path.join(path.dirname(file), m[3]));
    const resolved = [`${target}.ts`, path.join(target, 'index.ts'), target].find((c) => fs.existsSync(path.join(ROOT, c)));
    if (!resolved) continue;
    // `import { type A, type B }` with every name a type is erased too
    const names = /\{([^}]*)\}/.exec(m[0]);
    const allTypes = !!names && names[1].split(',').map((s) => s.trim()).filter(Boolean).every((s) => s.startsWith('type '));
    out.push({ from: file, to: resolved, typeOnly: !!m[2] || allTypes });
  }
  return out;
}

const files = [...sources('src'), ...sources('webview')];
const edges = files.flatMap((f) => importsOf(f, fs.readFileSync(path.join(ROOT, f), 'utf8')));
const layer = (f: string) => (f.startsWith('webview/') ? 'webview' : f.split(path.sep)[1].replace(/\.ts$/, ''));

/** Which layers each layer may import (itself always). */
const ALLOWED: Record<string, string[]> = {
  engine: [],
  language: ['engine'],
  scenario: ['language', 'engine'],
  views: ['scenario', 'language', 'engine', 'shared'],
  service: ['views', 'scenario', 'language', 'engine'],
  shared: [],
  webview: ['shared'],
  oracle: ['scenario', 'language', 'engine'],
  // the kernel's mm selftests against scenarios (docs/selftests.md): boots through the oracle
  selftests: ['oracle', 'scenario', 'language', 'engine'],
  extension: ['lsp', 'service', 'views', 'scenario', 'language', 'engine', 'shared', 'oracle'],
  lsp: ['service', 'views', 'scenario', 'language', 'engine'],
  cli: ['lsp', 'oracle', 'views', 'scenario', 'language', 'engine'],
};

describe('architecture: the layers of docs/architecture.md, from the imports', () => {
  it('finds the sources and their imports (the check below has something to check)', () => {
    assert.ok(files.length > 80, `${files.length} files`);
    assert.ok(edges.length > 200, `${edges.length} imports`);
    for (const l of Object.keys(ALLOWED)) assert.ok(files.some((f) => layer(f) === l), `layer ${l} has files`);
  });

  it('every import points down the layers (extension → service/views → scenario → language → engine; webview → shared only)', () => {
    const bad = edges.filter((e) => layer(e.from) !== layer(e.to) && !(ALLOWED[layer(e.from)] ?? []).includes(layer(e.to)))
      .map((e) => `${e.from} → ${e.to}`);
    assert.deepEqual(bad, []);
  });

  it('the extension reaches the language server only through its protocol (src/lsp/protocol.ts: method names and types)', () => {
    const bad = edges.filter((e) => layer(e.from) === 'extension' && layer(e.to) === 'lsp' && e.to !== path.join('src', 'lsp', 'protocol.ts'))
      .map((e) => `${e.from} → ${e.to}`);
    assert.deepEqual(bad, []);
    assert.ok(edges.some((e) => layer(e.from) === 'extension' && e.to === path.join('src', 'lsp', 'protocol.ts')), 'the extension uses the protocol');
  });

  it('no import cycle at run time (value imports)', () => {
    const next = new Map<string, string[]>();
    for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]): void => {
      state.set(f, 1);
      for (const t of next.get(f) ?? []) {
        if (state.get(t) === 1) cycles.push([...stack.slice(stack.indexOf(t)), t].join(' → '));
        else if (!state.has(t)) visit(t, [...stack, t]);
      }
      state.set(f, 2);
    };
    for (const f of files) if (!state.has(f)) visit(f, [f]);
    assert.deepEqual(cycles, []);
  });

  it('the import reader sees a value import, a type import and an all-type import for what they are', () => {
    const e = importsOf('src/views/x.ts', "import { a } from '../engine/pte';\nimport type { B } from '../engine/kernel';\nimport { type C } from '../engine/vma';\n");
    assert.deepEqual(e.map((x) => [x.to, x.typeOnly]), [['src/engine/pte.ts', false], ['src/engine/kernel.ts', true], ['src/engine/vma.ts', true]]);
  });
});
