// A document's run cost as the run policies read it (src/service/runCost.ts): the cheaper of
// its last two runs.
import * as assert from 'node:assert/strict';
import { RunCost } from '../../../src/service/runCost';

describe('RunCost (the cheaper of the last two runs)', () => {
  it('is unknown before a run, the one run after one, then the cheaper of the last two', () => {
    const c = new RunCost();
    assert.equal(c.ms, undefined);
    c.record(30);
    assert.equal(c.ms, 30);
    c.record(2);
    assert.equal(c.ms, 2);
    c.record(40);
    assert.equal(c.ms, 2, 'one slow run after a cheap one');
    c.record(50);
    assert.equal(c.ms, 40, 'two slow runs in a row: the cheaper of them, the older cheap one forgotten');
  });
});
