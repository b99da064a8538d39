// Mutation testing (StrykerJS): `npm run mutate` (every module below, one Stryker run each,
// scripts/mutate.mjs) or `npm run mutate:expect` (the expectation evaluator only, what CI runs).
// One module per run: MMSCOPE_MUTATE=<key or path> npx stryker run. See docs/testing.md.
//
// The unit suite is TypeScript compiled by tsc into out/ and run by mocha from there, so each
// sandbox mutates the .ts sources (mutation switching: every mutant at once, behind a runtime
// switch), compiles once with the buildCommand, and mocha runs the compiled tests; perTest
// coverage runs only the tests that reach a mutant.

import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The modules every other check trusts (issue 19). Move a path here when a module moves. */
export const modules = {
  expect: 'src/scenario/expect.ts',
  formatting: 'src/language/formatting.ts',
  checker: 'src/language/checker.ts',
  rmap: 'src/engine/rmap.ts',
  intervalTree: 'src/engine/intervalTree.ts',
  pte: 'src/engine/pte.ts',
  compare: 'src/oracle/compare.ts',
};

// The sandboxes live in .stryker-tmp/, so tests find the shared scenarios through MMSCOPE_SHARED
// (the test runners inherit this environment), ../shared beside the repository by default.
process.env.MMSCOPE_SHARED ??= path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'shared');

const which = process.env.MMSCOPE_MUTATE || 'expect';
const file = modules[which] ?? which;
const name = Object.keys(modules).find((k) => modules[k] === file) ?? file.replace(/[^A-Za-z0-9]+/g, '-');

// A quicker set-up for a loaded machine (docs/testing.md, footnote of the Scores table):
// MMSCOPE_MUTATE_TSCONFIG=<tsconfig> type-checks each mutant against that tsconfig only (one
// whose only root is the module: its import closure), MMSCOPE_MUTATE_TESTS=<folder> runs only
// out/test/unit/<folder>/** (a lower bound of the suite's score).
const tests = process.env.MMSCOPE_MUTATE_TESTS;

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  mutate: [file],
  testRunner: 'mocha',
  mochaOptions: { config: '.mocharc.json', ...(tests ? { spec: [`out/test/unit/${tests}/**/*.test.js`] } : {}) },
  // one command: Stryker runs it without a shell (an `&&` would reach tsc as an argument); npm's script has the shell
  buildCommand: 'npm run compile-tests',
  checkers: ['typescript'],
  tsconfigFile: process.env.MMSCOPE_MUTATE_TSCONFIG || 'tsconfig.test.json',
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  coverageAnalysis: 'perTest',
  // 2 cores shared with other work
  concurrency: Number(process.env.MMSCOPE_MUTATE_CONCURRENCY || 2),
  timeoutMS: 20000,
  ignorePatterns: ['out', 'dist', 'test-output', 'reports', '.cache', 'oracle-cache', '*.vsix'],
  tempDirName: '.stryker-tmp',
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${name}.html` },
  jsonReporter: { fileName: `reports/mutation/${name}.json` },
  clearTextReporter: { allowColor: false, logTests: false, maxTestsToLog: 0 },
  thresholds: { high: 90, low: 80, break: 90 },
};
