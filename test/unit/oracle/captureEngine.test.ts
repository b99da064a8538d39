// Engine vs real kernel, the engine side (src/oracle/compare.ts captureEngine): what
// pagemap (fs/proc/task_mmu.c pte_to_pagemap_entry) and wait4's rusage would show of the
// engine after a soft-dirty write, a swap-out and a major fault; and the statements after
// the engine's run stopped, which have no state.

import { strict as assert } from 'assert';
import { type EnginePage, compareScenario, pageCode } from '../../../src/oracle/compare';
import { blank, capture, kpage } from './oracleBlank';

const eview = (p: EnginePage | null) => p && `${pageCode(p)} pfn=${p.pfn} pte=${p.pte.write ? 'w' : ''}${p.pte.dirty ? 'd' : ''}${p.pte.young ? 'y' : ''}`;

describe('oracle capture: soft-dirty, swap entries and major faults as user space sees them', () => {
  const SWAP = `sysctl swap pages 8
process p
mmap p anon at 0x1000000 pages 2 private rw as m
write p m[0..1]
clear_refs p softdirty
write p m[1]
madvise p m[0..1] pageout`;
  const captured = () => {
    const b = blank(SWAP);
    for (const s of b.res.steps) s.pages = [kpage('p', 'm', 0, 0, 0x1000000), kpage('p', 'm', 0, 1, 0x1001000)];
    return capture(b);
  };

  it('after clear_refs, a write fault sets the PTE\'s soft-dirty bit (pte_mkdirty sets _PAGE_SOFT_DIRTY): pagemap shows it for that page only', () => {
    const e = captured();
    assert.deepEqual(e.steps[4].pages.map((p) => p && pageCode(p)), ['Axm1', 'Axm1'], 'clear_refs cleared VM_SOFTDIRTY and the PTE bits');
    assert.deepEqual(e.steps[5].pages.map((p) => p && pageCode(p)), ['Axm1', 'Axsm1']);
    assert.deepEqual(e.steps[5].delta, { p: 1 }, 'the write-protected PTE faults once');
  });

  it('a page swapped out (madvise pageout: try_to_unmap_one leaves a swap entry) is not present but swapped (pagemap PM_SWAP): no PFN, no folio, no PTE bits', () => {
    const e = captured();
    const [m0, m1] = e.steps[6].pages;
    assert.equal(eview(m0), 'S pfn=0 pte=');
    assert.deepEqual([m1!.present, m1!.swapped], [false, true]);
    assert.deepEqual(e.steps[5].pages.map((p) => p!.swapped), [false, false], 'a present page is not swapped');
    assert.deepEqual([m1!.pfn, m1!.folio, m1!.pte], [0, null, { write: false, dirty: false, young: false }]);
  });

  it('a swap entry keeps the PTE\'s soft-dirty bit (try_to_unmap_one: pte_swp_mksoft_dirty), and pagemap reports it (pte_swp_soft_dirty → PM_SOFT_DIRTY)', () => {
    const e = captured();
    assert.deepEqual(e.steps[6].pages.map(eview), ['S pfn=0 pte=', 'Ss pfn=0 pte=']);
  });

  it('faults are minor + major (wait4 ru_minflt + ru_majflt): a read of a cold file page is one major fault', () => {
    const b = blank('file g pages 2 cold\nprocess p\nmmap p g at 0x1000000 pages 2 shared rw as m\nread p m[0]\nexpect faults p 1 major 1\n');
    const e = capture(b);
    assert.deepEqual([e.steps[3].faults, e.steps[3].delta], [{ p: 1 }, { p: 1 }]);
    assert.deepEqual(e.steps[4].expect, { ok: true, message: 'p took 1 faults (0 minor + 1 major)' });
    assert.deepEqual(e.steps[4].faults, { p: 1 }, 'an expectation sees the count of the statement before it');
  });
});

describe('oracle capture: a run the engine stopped', () => {
  it('the statements after the one that ran the simulated machine out of RAM have no state: not captured, no page, no count; the comparison says so', () => {
    // 4 GiB of PMD THPs populated: every page frame of the model (MMS606 stops the run there)
    const b = blank('sysctl thp enabled always\nprocess p\nmmap p anon at 0x200000000 pages 1048576 private rw as m\nmadvise p m populate_write\nexpect faults p 1\nwrite p m[0]\n');
    for (const s of b.res.steps.slice(2)) s.pages = [kpage('p', 'm', 0, 0, 0x200000000)];
    const e = capture(b);
    assert.equal(e.exitStatus, 2);
    assert.deepEqual(e.steps.map((s) => s.captured), [true, true, true, false, false, false]);
    assert.deepEqual(e.steps.slice(3).map((s) => [s.pages, s.faults, s.expect]), [[[null], {}, undefined], [[null], {}, undefined], [[null], {}, undefined]]);
    const c = compareScenario(b.res, e);
    assert.deepEqual(c.steps.slice(3).map((r) => [r.verdict, r.reason, r.values]), Array(3).fill(['not-observable', 'the engine did not run this statement', []]));
  });
});
