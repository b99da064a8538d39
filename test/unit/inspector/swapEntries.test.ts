// The inspector shows swap and migration entries: the strip cells (x, m), the PTE rows' text
// and what they point at, and the several walks of one statement.

import { strict as assert } from 'assert';
import { runText } from '../../../src/scenario/run';
import { InspectorSession } from '../../../src/views/inspectorService';

const SWAP = `sysctl swap pages 8
process p
mmap p anon at 0x7f0000000000 pages 2 private rw as h
write p h[0..1]
madvise p h[0] pageout
`;

describe('inspector: swap and migration entries', () => {
  for (const replayLimit of [Infinity, 0]) {
    it(`the strip marks a swapped-out page 'x' and its PTE row says which slot (${replayLimit ? 'replay' : 'trace'})`, () => {
      const r = runText(SWAP);
      const s = new InspectorSession(r, SWAP, {}, replayLimit);
      const a = s.answer({ q: 'step', step: 4 });
      assert.ok(a.q === 'step');
      const p = a.detail.procs.find((x) => x.name === 'p')!;
      assert.equal(p.vmas[0].cells, 'xd');
      const rows = s.answer({ q: 'ptes', step: 4, filter: {}, offset: 0, count: 10 });
      assert.ok(rows.q === 'ptes');
      const swapped = rows.rows.find((x) => x.addr === '0x7f0000000000')!;
      assert.equal(swapped.text, 'swap 0:1 X SD');
      assert.equal(swapped.maps, 'swap slot 1');
      assert.equal(swapped.flags, 0, 'no present-PTE bit column is lit for a swap entry');
    });
  }
  it('a migrate step has two walks, and the migration entries are the PTE changes between them', () => {
    const text = 'file f pages 1\nprocess a\nmmap a f at 0x7f0000000000 pages 1 shared rw as m\nwrite a m[0]\nmigrate f[0]\n';
    const r = runText(text);
    const s = new InspectorSession(r, text);
    const a = s.answer({ q: 'step', step: 4 });
    assert.ok(a.q === 'step');
    assert.deepEqual(a.detail.walks.map((w) => w.api), ['try_to_migrate', 'remove_migration_ptes']);
    assert.match(a.detail.walks[0].visits[0].ptes[0].after, /^migration W 0x[0-9a-f]+ A D SD$/);
    assert.match(a.detail.walks[1].visits[0].ptes[0].before, /^migration W/);
  });
});
