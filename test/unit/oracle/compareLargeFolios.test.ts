// The engine's side of the oracle comparison for large folios: what pagemap and kpagecount
// would show for a PMD mapping (kernel 6.1/6.12: page_mapcount() counts the folio's PMD
// mappings; kpageflags marks the huge zero folio ZERO_PAGE), and a tmpfs huge= object.

import { strict as assert } from 'assert';
import { blank as oracleBlank, type Blank } from './oracleBlank';
import { parse } from '../../../src/language/parser';
import { translateScenario } from '../../../src/oracle/translate';
import type { OraclePage } from '../../../src/oracle/results';
import { captureEngine, kpfCompound, pageCode } from '../../../src/oracle/compare';

const THP = `sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 1024 private rw as buf
read p buf[0]
write p buf[512]
mprotect p buf[512..515] r
`;

const blank = (text: string): Blank => oracleBlank(text, {}, { scenarioKernel: '6.12', release: '6.12.118' });

/** the oracle's record of page i of buf (its content does not matter: the engine's side is looked at) */
function page(i: number): OraclePage {
  return {
    proc: 'p', mapping: 0, label: 'buf', page: i, addr: 0x7f0000000000 + i * 4096, present: false, swapped: false, file: false,
    exclusive: false, softDirty: true, uffdWp: false, pfn: 0, pfnId: null, zeroPage: false, folio: null,
  };
}
const WATCH = [0, 511, 600, 700];

describe('oracle comparison: large folios on the engine side', () => {
  for (const kernel of ['6.1.192', '6.12.118']) {
    const v612 = kernel.startsWith('6.12');
    it(`${kernel}: the huge zero PMD reads as the zero page; a PMD-mapped THP page has kpagecount 1 and is exclusive; a split dirties the folio${v612 ? ' and the PTEs' : ' only'}`, () => {
      const b = blank(THP);
      for (const s of b.res.steps) s.pages = WATCH.map(page);
      const eng = captureEngine(b.scenario, b.res, { kernel });
      const at = (line: number) => eng.steps[b.res.steps.find((s) => s.line === line)!.index].pages;
      const read = at(3);
      assert.equal(read[0]!.zeroPage, true, 'kpageflags ZERO_PAGE is set on the huge zero folio too');
      assert.equal(read[1]!.zeroPage, true);
      const wrote = at(4)[2]!;
      assert.equal(wrote.exclusive, true, 'page_mapcount() == 1 counts the PMD mapping');
      assert.equal(wrote.folio!.mapcount, 1);
      assert.equal(wrote.folio!.compound, 'tail', 'page 600 is a tail of the THP at 512 (kpageflags COMPOUND_TAIL)');
      // __split_huge_pmd_locked: `if (pmd_dirty(old_pmd)) folio_set_dirty(folio)` in both;
      // pte_mkdirty on the PTEs from 6.2 (split-pmd-pte-dirty); kpageflags of a tail page
      // shows the folio's PG_dirty from 6.9 (before: the tail's own flags, never dirty)
      const tail = at(5)[3]!;
      assert.equal(pageCode(tail), v612 ? 'AxsDm1' : 'Axsm1');
      assert.equal(tail.pte.dirty, v612);
      assert.equal(at(5)[2]!.pte.dirty, v612);
    });
  }

  it('kpageflags bits 15/16 are the compound head/tail the engine\'s order is compared with', () => {
    assert.equal(kpfCompound((1 << 15) | (1 << 22)), 'head');
    assert.equal(kpfCompound(1 << 16), 'tail');
    assert.equal(kpfCompound(1 << 4), null);
  });

  it('a shmem object with huge= lives on a tmpfs mounted with that option', () => {
    const { scenario } = parse('shmem s pages 512 huge always\nshmem t pages 4\n');
    const t = translateScenario(scenario, { name: 't.mms' });
    assert.match(t.c, /obj_shmem\(0, "s", 512L, "always"\);/);
    assert.match(t.c, /obj_shmem\(1, "t", 4L, ""\);/);
  });
});
