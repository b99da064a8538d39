import { strict as assert } from 'assert';
import { agreement, buildRows, held, summarize, type ResultsCache } from '../../../src/selftests/compare';

describe('selftests: the comparison table', () => {
  it('xfail is an assertion that held (the selftest expected the refusal); skip and absent are not compared', () => {
    assert.deepEqual(['pass', 'xfail', 'fail', 'skip', 'absent'].map((r) => held(r as 'pass')), [true, true, false, null, null]);
  });
  it('agrees only where every compared kernel agrees with the engine', () => {
    assert.equal(agreement({ a: 'pass', b: 'fail' }, { a: 'pass', b: 'fail' }), 'agree');
    assert.equal(agreement({ a: 'pass', b: 'pass' }, { a: 'pass', b: 'fail' }), 'DISAGREE');
    assert.equal(agreement({ a: 'skip', b: 'absent' }, { a: 'pass', b: 'pass' }), 'not compared');
    assert.equal(agreement({ a: 'pass' }, { a: 'awaits v2' }), 'not compared');
    assert.equal(agreement({ a: 'pass' }, { a: 'error' }), 'DISAGREE');
  });
  it('rows are the union of both kernels\' cases, newest release first; summary counts them', () => {
    const cache: ResultsCache = {
      notInRelease: { '6.1': ['cow'] },
      kernels: {
        '6.1': { release: 'r1', debianVersion: 'd1', upstream: '6.1.192', measured: '', guest: {},
          files: { t: { from: '6.1', rc: 0, cases: [{ name: 'old', result: 'pass' }, { name: 'both', result: 'fail' }] } } },
        '6.12': { release: 'r2', debianVersion: 'd2', upstream: '6.12.118', measured: '', guest: {},
          files: { t: { from: '6.12', rc: 0, cases: [{ name: 'both', result: 'pass' }, { name: 'new', result: 'skip', reason: 'why' }] } } },
      },
    };
    const rows = buildRows(cache, ['t', 'cow'], {
      verdict: (_t, n, k) => (n === 'both' ? (k === '6.1' ? 'fail' : 'pass') : undefined),
      scenario: (_t, n) => (n === 'both' ? 'x.mms' : undefined),
    });
    assert.deepEqual(rows.map((r) => [r.name, r.kernel['6.1'], r.kernel['6.12'], r.agree]), [
      ['both', 'fail', 'pass', 'agree'], ['new', 'absent', 'skip', 'not compared'], ['old', 'pass', 'absent', 'not compared'],
    ]);
    assert.equal(rows[1].reason['6.12'], 'why');
    const s = summarize(rows);
    assert.deepEqual([s.cases, s.expressed, s.agree, s.disagree, s.perKernel['6.1'].cases, s.perKernel['6.12'].cases], [3, 1, 1, 0, 2, 2]);
  });
});
