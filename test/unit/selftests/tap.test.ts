import { strict as assert } from 'assert';
import { parseKselftest, parseSelftestLog } from '../../../src/selftests/tap';

describe('selftests: kselftest/TAP output into cases', () => {
  it('names a case by its [RUN] line, keeps the result text as detail, and the second result of a [RUN] as "#2"', () => {
    const r = parseKselftest('madv_populate', [
      'TAP version 13', '1..3',
      '# [RUN] test_populate_read',
      'ok 1 range initially not populated',
      'not ok 2 MADV_POPULATE_READ',
      '# [RUN] Basic COW after fork() ... with base page',
      'ok 3 No leak from parent into child',
    ], 1);
    assert.equal(r.planned, 3);
    assert.deepEqual(r.cases.map((c) => [c.name, c.result, c.detail]), [
      ['test_populate_read', 'pass', 'range initially not populated'],
      ['test_populate_read #2', 'fail', 'MADV_POPULATE_READ'],
      ['Basic COW after fork() ... with base page', 'pass', 'No leak from parent into child'],
    ]);
  });
  it('reads SKIP and XFAIL directives with their reasons; harness tests are named by the result line', () => {
    const r = parseKselftest('t', [
      'ok 1 # SKIP MADV_PAGEOUT did not work, is swap enabled?',
      'ok 2 # XFAIL mremap - Source and Destination Regions Overlapping',
      'ok 3 migration.shared_anon # SKIP Not enough threads or NUMA nodes available',
      'not ok 4 migration.private_anon',
    ], 1);
    assert.deepEqual(r.cases.map((c) => [c.name, c.result, c.reason ?? '']), [
      ['MADV_PAGEOUT did not work, is swap enabled?', 'skip', 'MADV_PAGEOUT did not work, is swap enabled?'],
      ['mremap - Source and Destination Regions Overlapping', 'xfail', 'mremap - Source and Destination Regions Overlapping'],
      ['migration.shared_anon', 'skip', 'Not enough threads or NUMA nodes available'],
      ['migration.private_anon', 'fail', ''],
    ]);
  });
  it('a test that skips before any case (1..0 # SKIP) is one skipped case named after the file', () => {
    const r = parseKselftest('pagemap_ioctl', ['1..0 # SKIP PAGEMAP_SCAN not supported'], 4);
    assert.deepEqual(r.cases, [{ name: 'pagemap_ioctl', result: 'skip', reason: 'PAGEMAP_SCAN not supported' }]);
  });
  it('a test that exits before any result is one case named after the file, with its last message', () => {
    assert.deepEqual(parseKselftest('pagemap_ioctl', ['TAP version 13', '# Totals: pass:0 fail:0'], 0).cases,
      [{ name: 'pagemap_ioctl', result: 'skip', reason: 'no case ran (exit 0)' }]);
    assert.deepEqual(parseKselftest('x', ['Bail out! no memory'], 1).cases,
      [{ name: 'x', result: 'fail', reason: 'no case ran (exit 1): Bail out! no memory' }]);
  });
  it('splits a serial log by test, ignores kernel lines, takes rc, info and the done mark', () => {
    const log = [
      'SELFTEST-INFO release=6.1.0-57-amd64 nodes=2',
      'SELFTEST-BEGIN soft-dirty uptime=1.0',
      'SELFTEST soft-dirty 1..1',
      '[   12.3] random kernel message ok 7 not a result',
      'SELFTEST soft-dirty ok 1 Test test_simple',
      'SELFTEST-END soft-dirty rc=0 uptime=2.0',
      'SELFTEST-BEGIN cow uptime=2.0',
      'SELFTEST cow not ok 1 x',
      'SELFTEST-DONE',
    ].join('\r\n');
    const p = parseSelftestLog(log);
    assert.deepEqual(p.info, { release: '6.1.0-57-amd64', nodes: '2' });
    assert.equal(p.done, true);
    assert.deepEqual(p.files.map((f) => [f.test, f.rc, f.cases.map((c) => `${c.name}:${c.result}`)]), [
      ['soft-dirty', 0, ['Test test_simple:pass']],
      ['cow', null, ['x:fail']],
    ]);
  });
});
