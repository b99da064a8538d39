// The kprobe oracle on recorded guest output: one boot of Debian 6.1.0-57 (6.1.192) and
// one of 6.12.118 (TCG), each running examples/writeback.mms, mkclean-mappers.mms and
// fbdefio-6.14.mms with the tracefs kprobe events (fixtures/kprobes-*.serial.log, the
// ORACLE / ORACLE-K lines of the serial console). Parsed, joined with the engine run as
// that kernel, compared.

import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from '../../../src/language/parser';
import { check } from '../../../src/language/checker';
import { translateScenario } from '../../../src/oracle/translate';
import { lastConsoleLines, resultsFromLog } from '../../../src/oracle/run';
import { captureEngine, compareScenario } from '../../../src/oracle/compare';

const ROOT = path.join(__dirname, '../../../..');
const FILES = ['examples/writeback.mms', 'examples/mkclean-mappers.mms', 'examples/fbdefio-6.14.mms'];

function recorded(kernel: '6.1' | '6.12', edit: (log: string) => string = (l) => l) {
  const texts = FILES.map((f) => fs.readFileSync(path.join(ROOT, f), 'utf8'));
  const scenarios = texts.map((t) => parse(t).scenario);
  const ts = scenarios.map((s, i) => translateScenario(s, { name: path.basename(FILES[i]), index: i, invalid: check(s).invalid }));
  const log = edit(fs.readFileSync(path.join(ROOT, 'test/unit/oracle/fixtures', `kprobes-${kernel}.serial.log`), 'utf8'));
  const r = resultsFromLog(log, ts, scenarios);
  const cmp = (i: number) => compareScenario(r.scenarios[i], captureEngine(scenarios[i], r.scenarios[i], { kernel, fbDelayMs: 48 }),
    { lines: texts[i].split('\n'), probes: r.run?.probes ?? null });
  return { r, ts, cmp };
}

for (const kernel of ['6.1', '6.12'] as const) {
  describe(`oracle kprobes on a recorded ${kernel} boot`, () => {
    it('every probe was placed, and every scenario ran', () => {
      const { r } = recorded(kernel);
      assert.equal(r.run?.probes?.length, 14);
      assert.deepEqual(r.run?.probes?.filter((p) => !p.ok), []);
      assert.deepEqual(r.scenarios.map((s) => s.status), ['ok', 'ok', 'ok']);
    });

    it('msync: one folio_mkclean walk per dirty folio, each visiting a:m and cleaning its PTE; 2 folios written', () => {
      const { r } = recorded(kernel);
      const msync = r.scenarios[0].steps.find((s) => s.kind === 'msync')!;
      assert.deepEqual(msync.kernel!.walks.map((w) => [w.idx, w.visits.map((v) => [v.owner === r.scenarios[0].pids.a, v.skipped, v.cleaned]), w.ret]),
        [[0, [[true, false, 1]], 1], [1, [[true, false, 1]], 1]]);
      assert.equal(msync.kernel!.written, 2);
      const res = r.scenarios[0].steps.find((s) => s.kind === 'expect_result')!;
      assert.equal(res.expectation?.verdict, 'pass');
    });

    it('the PTE values show write and dirty set before msync and cleared after it', () => {
      const { r } = recorded(kernel);
      const [before, after] = r.scenarios[0].steps.filter((s) => s.kind === 'expect_pte');
      assert.deepEqual(before.expectation?.checks.map((c) => [c.flag, c.verdict]), [['write', 'pass'], ['dirty', 'pass'], ['softdirty', 'not-observable']]);
      assert.deepEqual(after.expectation?.checks.map((c) => [c.flag, c.verdict]), [['present', 'pass'], ['!write', 'pass'], ['!dirty', 'pass'], ['softdirty', 'not-observable']]);
    });

    it('mkclean stood in by writeback: the walk visits a and b, skips c\'s private VMA, cleans 2; the second finds the folio clean', () => {
      const { r, cmp } = recorded(kernel);
      const s = r.scenarios[1];
      const walk = s.steps.find((x) => x.kind === 'expect_walk')!;
      assert.equal(walk.expectation?.verdict, 'pass');
      assert.equal(walk.expectation?.checks[0].observed, 'a:m, b:m, ~c:m');
      const c = cmp(1);
      const mk = c.steps.find((x) => x.kind === 'mkclean')!;
      assert.deepEqual(mk.values.filter((v) => v.field !== 'pages').map((v) => [v.field, v.kernel, v.verdict]),
        [['walks', '[0] a:m*, b:m*, ~c:m =2', 'agree'], ['result', '2', 'agree']]);
      const second = c.steps.filter((x) => x.kind === 'mkclean')[1];
      assert.equal(second.values.find((v) => v.field === 'walks')?.verdict, 'not-observable');
      assert.match(second.values.find((v) => v.field === 'walks')?.reason ?? '', /folio was clean on the kernel/);
      assert.equal(c.summary.differ, 0);
    });

    it('fb_defio: pending and written come from page_mkwrite and the deferred work; an fb page\'s own mapping and index are read through vm_normal_page', () => {
      const { r, cmp } = recorded(kernel);
      const s = r.scenarios[2];
      const pend = s.steps.filter((x) => x.kind === 'expect_defio_pending').map((x) => x.expectation?.checks[0].observed);
      assert.equal(pend[0], '0 []');
      assert.equal(pend[1], '2 [1, 2]');
      const folio = s.steps.find((x) => x.kind === 'expect_folio')!;
      assert.deepEqual(folio.expectation?.checks.map((c) => [c.flag, c.verdict, c.observed]), [['mapping fb0', 'pass', 'fb0'], ['index 1', 'pass', '1']]);
      const written = s.steps.find((x) => x.kind === 'expect_defio_written')!;
      assert.equal(written.expectation?.checks[0].observed, '1, 2');
      const c = cmp(2);
      const run1 = c.steps.flatMap((x) => x.values).find((v) => v.subject === 'work run 1')!;
      assert.equal(run1.kernel, '1,2: [1] xorg:fb* =1; [2] xorg:fb, app:fb* =1');
    });
  });
}

describe('oracle kprobes: a trace that lost events, a boot that died', () => {
  it('a scenario whose trace lost events uses none of it: its trace-based values are not observable, with the reason', () => {
    const { r } = recorded('6.1', (log) => log.replace(/(ORACLE-K [^\n]*mms st 3\r?\n)/, '$1ORACLE-K CPU:0 [LOST 12 EVENTS]\n'));
    assert.equal(r.scenarios[0].traceLost, true);
    assert.equal(r.scenarios[0].kstates, null);
    const res = r.scenarios[0].steps.find((s) => s.kind === 'expect_result')!;
    assert.equal(res.expectation?.verdict, 'not-observable');
    assert.equal(r.scenarios[1].traceLost, undefined, 'the other scenarios keep theirs');
  });

  it('a boot that stopped early keeps the console\'s last lines for the report', () => {
    const log = 'ORACLE {"t":"boot"}\r\n[  5.1] Kernel panic - not syncing: Attempted to kill init!\r\n[  5.2] ---[ end Kernel panic ]---\r\n';
    assert.equal(lastConsoleLines(log, 8), '[  5.1] Kernel panic - not syncing: Attempted to kill init! | [  5.2] ---[ end Kernel panic ]---');
    assert.equal(lastConsoleLines('ORACLE {"t":"x"}', 3), '(none)');
  });
});
