// `expect folio PROC LABEL[I]` on the real kernel: the driver snapshots the page; `mapcount`
// is kpagecount and `large` kpageflags COMPOUND_HEAD/TAIL; other flags are not observable.

import { strict as assert } from 'assert';
import { parse } from '../../../src/language/parser';
import type { ExpectFolio } from '../../../src/language/ast';
import { translateScenario } from '../../../src/oracle/translate';
import type { OraclePage, OracleStepResult } from '../../../src/oracle/results';
import { procFolioChecks } from '../../../src/oracle/procFolioChecks';

const TEXT = 'process p\nmmap p anon at 0x7f0000000000 pages 16 private rw as h\nwrite p h[0]\nexpect folio p h[0..1] large order 4 mapcount 1\n';

function oraclePage(i: number, flags: number, mapcount: number): OraclePage {
  return {
    proc: 'p', mapping: 0, label: 'h', page: i, addr: 0x7f0000000000 + i * 4096, present: true, swapped: false, file: false,
    exclusive: mapcount === 1, softDirty: true, uffdWp: false, pfn: 100 + i, pfnId: 100 + i, zeroPage: false,
    folio: { flags, dirty: false, writeback: false, uptodate: true, lru: true, anon: true, referenced: false, mapcount },
  };
}

describe('oracle: expect folio PROC LABEL[I]', () => {
  it('the driver snapshots the pages; order is left out as not observable', () => {
    const { scenario } = parse(TEXT);
    const t = translateScenario(scenario, { name: 't' });
    const s = t.steps.find(x => x.kind === 'expect_folio')!;
    assert.equal(s.observable, 'partial');
    assert.match(s.reason ?? '', /order/);
    assert.deepEqual(s.snapshots.map(x => [x.proc, x.label, x.page, x.pages]), [['p', 'h', 0, 1], ['p', 'h', 1, 1]]);
  });
  it('large is compound head/tail, mapcount is kpagecount; a page not present is not observable', () => {
    const st = parse(TEXT).scenario.statements[3] as ExpectFolio;
    const sr = { pages: [oraclePage(0, 1 << 15, 1), oraclePage(1, 1 << 16, 1)] } as unknown as OracleStepResult;
    assert.deepEqual(procFolioChecks(st, sr).map(c => [c.flag, c.verdict]), [['large', 'pass'], ['order 4', 'not-observable'], ['mapcount 1', 'pass']]);
    const small = { pages: [oraclePage(0, 0, 2), oraclePage(1, 0, 1)] } as unknown as OracleStepResult;
    assert.deepEqual(procFolioChecks(st, small).map(c => [c.flag, c.verdict, c.observed]), [['large', 'fail', '0,0'], ['order 4', 'not-observable', undefined], ['mapcount 1', 'fail', '2,1']]);
    const gone = { pages: [{ ...oraclePage(0, 0, 0), present: false, folio: null }] } as unknown as OracleStepResult;
    assert.equal(procFolioChecks(st, gone)[0].verdict, 'not-observable');
  });
});
