// Engine vs real kernel: page identity (docs/real-kernel.md, "Comparison"). Each side's PFNs
// are compared only for "the same page as before" or "a new page". A PFN that exit or munmap
// freed is handed out again (at once, from a LIFO free list), so after those statements a
// PFN seen before identifies nothing: both sides start afresh (src/oracle/compare.ts).

import { strict as assert } from 'assert';
import { compared, blank, kanon } from './oracleBlank';

const pagesValue = (c: ReturnType<typeof compared>, i: number) => {
  const v = c.steps[i].values.find((x) => x.field === 'pages')!;
  return `${v.verdict}${v.reason ? `: ${v.reason}` : ''}`;
};

describe('oracle comparison: page identity across a free', () => {
  const EXIT = 'process p\nprocess q\nmmap p anon at 0x1000000 pages 1 private rw as m\nmmap q anon at 0x2000000 pages 1 private rw as n\nwrite p m[0]\n';

  it('after exit, the kernel handing the exited process\'s PFN to another process is a new page (the engine gives another PFN): they agree', () => {
    const b = blank(`${EXIT}exit p\nwrite q n[0]\n`);
    b.res.steps[4].pages = [kanon('p', 'm', 0, 0, 0x1000000, 50)];
    b.res.steps[6].pages = [kanon('q', 'n', 1, 0, 0x2000000, 50)];
    assert.equal(pagesValue(compared(b), 6), 'agree');
  });

  it('without a free in between, the same kernel PFN in another process is the same page: a finding when the engine has a new one', () => {
    const b = blank(`${EXIT}read p m[0]\nwrite q n[0]\n`);
    b.res.steps[4].pages = [kanon('p', 'm', 0, 0, 0x1000000, 50)];
    b.res.steps[6].pages = [kanon('q', 'n', 1, 0, 0x2000000, 50)];
    assert.equal(pagesValue(compared(b), 6), 'differ: [0] page identity: engine a new page, kernel same page as L5 p m[0]');
  });

  it('after munmap, the PFN of the unmapped page coming back in a new mapping is a new page', () => {
    const b = blank('process p\nmmap p anon at 0x1000000 pages 1 private rw as m\nwrite p m[0]\nmunmap p m\nmmap p anon at 0x1000000 pages 1 private rw as n\nwrite p n[0]\n');
    b.res.steps[2].pages = [kanon('p', 'm', 0, 0, 0x1000000, 50)];
    b.res.steps[5].pages = [kanon('p', 'n', 1, 0, 0x1000000, 50)];
    assert.equal(pagesValue(compared(b), 5), 'agree');
  });
});
