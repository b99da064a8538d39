// Mocha root hooks (.mocharc.json `require`): every unit test must make at least one check.
// Counts the calls of node's assert (the strict API every test imports) and fast-check's
// fc.assert; a test that passed without any is listed, and the run fails at the end with
// that list (a failing root `after all` hook: one failure, the names in its message).
// (test/unit/hygiene/patterns.test.ts checks the source patterns; see docs/testing.md.)

// the modules themselves (an `import * as` namespace is a read-only copy)
// eslint-disable-next-line @typescript-eslint/no-require-imports
const nodeAssert = require('assert') as typeof import('assert');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const fastCheck = require('fast-check') as unknown;

let calls = 0;
const empty: string[] = [];

function countCalls(obj: Record<string, unknown>, names: string[]): void {
  for (const k of names) {
    const f = obj[k];
    if (typeof f !== 'function' || (f as { __counted?: boolean }).__counted) continue;
    const wrapped = function (this: unknown, ...args: unknown[]) { calls++; return (f as (...a: unknown[]) => unknown).apply(this, args); };
    (wrapped as { __counted?: boolean }).__counted = true;
    obj[k] = wrapped;
  }
}

const strict = nodeAssert.strict as unknown as Record<string, unknown>;
countCalls(strict, Object.keys(strict).filter((k) => k !== 'AssertionError' && k !== 'CallTracker' && k !== 'strict'));
const fc = fastCheck as unknown as Record<string, unknown> & { default?: Record<string, unknown> };
countCalls(fc, ['assert']);
// compiled `import fc from 'fast-check'` reads `.default`, a module namespace of getters: a plain copy replaces it
if (fc.default && fc.default !== fc) { fc.default = { ...fc.default }; countCalls(fc.default, ['assert']); }

export const mochaHooks = {
  beforeEach(): void { calls = 0; },
  afterEach(this: Mocha.Context): void {
    const t = this.currentTest;
    if (t && t.state === 'passed' && calls === 0) empty.push(t.fullTitle());
  },
  afterAll(): void {
    if (empty.length) throw new Error(`${empty.length} test(s) passed without a single assertion:\n  ${empty.join('\n  ')}`);
  },
};
