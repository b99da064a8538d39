// The language server's warm-up (src/lsp/warmUp.ts) runs the same path as a document's run:
// its built-in scenario must stay a valid scenario whose expectations hold (a scenario that
// stopped at a check error would warm up the parser alone), and its second text must reach
// the diagnostics with exactly the one error it was given.
import * as assert from 'node:assert/strict';
import { WARM_UP_RUNS, WARM_UP_TEXT, WITH_ERROR, warmUp } from '../../../src/lsp/warmUp';
import { runText } from '../../../src/scenario/run';
import { summarize } from '../../../src/views/summary';

describe('the language server\'s warm-up', () => {
  it('runs a scenario whose every expectation holds, through faults, fork, folio_mkclean and writeback', () => {
    const s = summarize(runText(WARM_UP_TEXT, {}), 0, WARM_UP_TEXT);
    assert.deepEqual(s.diagnostics, []);
    assert.equal(s.failed, 0);
    assert.equal(s.passed, WARM_UP_TEXT.split('\n').filter((l) => l.startsWith('expect')).length);
    const r = runText(WARM_UP_TEXT, {});
    const kinds = new Set(r.steps.map((st) => st.kind));
    for (const k of ['mmap', 'read', 'write', 'fork', 'mkclean', 'msync']) assert.ok(kinds.has(k), `no ${k} statement among ${[...kinds].join(', ')}`);
    const events = new Set(r.steps.flatMap((st) => st.events.map((e) => e.t)));
    for (const t of ['fault', 'pte', 'folio', 'walk']) assert.ok(events.has(t as never), `no ${t} event among ${[...events].join(', ')}`);
  });

  it('and the same text with one statement the parser rejects, which reaches the diagnostics alone', () => {
    const s = summarize(runText(WITH_ERROR, {}), 0, WITH_ERROR);
    assert.deepEqual(s.diagnostics.map((d) => [d.code, d.severity]), [['MMS110', 'error']]);
  });

  it('runs WARM_UP_RUNS times, one run per turn, and stops when the server is going down', async () => {
    let turns = 0;
    await warmUp(async () => { turns++; }, () => false);
    assert.equal(turns, WARM_UP_RUNS);
    turns = 0;
    await warmUp(async () => { turns++; }, () => turns >= 3);
    assert.equal(turns, 3);
  });
});
