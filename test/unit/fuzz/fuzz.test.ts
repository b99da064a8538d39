// Fuzzing the front end, the engine and the CLI with scenarios generated from the grammar
// and mutated at the token and the byte level (test/unit/fuzz/gen.ts). CI-sized: a few
// hundred cases with a fixed seed; `node scripts/fuzz.mjs --runs 20000` runs the long one.

import fc from 'fast-check';
import { anyScenario, byteMutated, kernelVersion, scenarioText, tokenMutated } from './gen';
import { cliProblems, cliTextProblems, frontEndAndEngineProblems, scratchFile } from './props';
import { SEED } from './harness';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);

function must(problems: string[], text: string): void {
  if (problems.length) throw new Error(`${problems.slice(0, 5).join('\n')}\n--- input ${JSON.stringify(text)} ---`);
}

describe('fuzz: parser, checker, engine and CLI never throw', function () {
  this.timeout(180_000);
  before(() => console.log(`      fuzz: seed ${SEED}, ${RUNS} runs per property (FUZZ_SEED / FUZZ_RUNS to change)`));

  it('grammar-generated scenarios: no exception, valid diagnostic ranges, exit 0/1/2', () => {
    fc.assert(fc.property(scenarioText(40), (t) => must(frontEndAndEngineProblems(t), t)), { numRuns: RUNS, seed: SEED });
  });

  it('token-mutated scenarios', () => {
    fc.assert(fc.property(tokenMutated(30), (t) => must(frontEndAndEngineProblems(t), t)), { numRuns: RUNS, seed: SEED + 1 });
  });

  it('byte-mutated scenarios', () => {
    fc.assert(fc.property(byteMutated(30), (t) => must(frontEndAndEngineProblems(t), t)), { numRuns: RUNS, seed: SEED + 2 });
  });

  it('the CLI (check and run --json) on any scenario: exit 0/1/2, no stack trace', () => {
    fc.assert(fc.property(anyScenario(20), fc.option(kernelVersion, { nil: undefined }), (t, k) => must(cliTextProblems(t, k), t)),
      { numRuns: Math.ceil(RUNS / 3), seed: SEED + 3 });
  });

  it('the CLI on odd command lines', () => {
    const f = scratchFile('argv.mms', 'process p\n');
    const word = fc.constantFrom('check', 'run', '--json', '--kernel', '6.15', '6.x', '--help', '--version', '--quiet', f,
      '/nonexistent/x.mms', '', '-', '--', 'check', '/', '--kernel=6.1');
    fc.assert(fc.property(fc.array(word, { maxLength: 6 }), (argv) => must(cliProblems(argv), argv.join(' '))),
      { numRuns: RUNS, seed: SEED + 4 });
  });
});
