// The x86-64 PTE bits and helpers (src/engine/pte.ts) against the kernel's definitions:
// arch/x86/include/asm/pgtable_types.h (_PAGE_BIT_*), arch/x86/include/asm/pgtable.h
// (pte_*), arch/x86/include/asm/trap_pf.h (X86_PF_*). Every expectation, rule test and
// the inspector read PTEs through these, so each bit and helper is pinned here.

import * as U from '../../../src/engine/uapi';
import { strict as assert } from 'assert';
import * as P from '../../../src/engine/pte';

describe('PTE bits (arch/x86/include/asm/pgtable_types.h)', () => {
  it('each flag is its _PAGE_BIT_* (NX kept in bit 31 of the flags word instead of 63)', () => {
    const bits: [string, number][] = [
      ['_PAGE_PRESENT', 0], ['_PAGE_RW', 1], ['_PAGE_USER', 2], ['_PAGE_PWT', 3], ['_PAGE_PCD', 4], ['_PAGE_ACCESSED', 5],
      ['_PAGE_DIRTY', 6], ['_PAGE_PAT', 7], ['_PAGE_PROTNONE', 8] /* = GLOBAL */, ['_PAGE_SPECIAL', 9] /* SOFTW1 */,
      ['_PAGE_UFFD_WP', 10] /* SOFTW2 */, ['_PAGE_SOFT_DIRTY', 11] /* SOFTW3 */, ['_PAGE_NX', 31],
      ['_PAGE_PSE', 7] /* in a PMD entry (the PAT bit of a PTE) */,
    ];
    for (const [name, bit] of bits) assert.equal((P as unknown as Record<string, number>)[name] >>> 0, 2 ** bit, name);
  });
  it('the user protections: PAGE_NONE, PAGE_SHARED, PAGE_COPY, PAGE_READONLY (all ACCESSED, NX unless exec)', () => {
    assert.equal(P.PAGE_NONE, P._PAGE_PROTNONE | P._PAGE_ACCESSED);
    assert.equal(P.PAGE_SHARED, P._PAGE_PRESENT | P._PAGE_RW | P._PAGE_USER | P._PAGE_ACCESSED | P._PAGE_NX);
    assert.equal(P.PAGE_COPY, P._PAGE_PRESENT | P._PAGE_USER | P._PAGE_ACCESSED | P._PAGE_NX);
    assert.equal(P.PAGE_READONLY, P._PAGE_PRESENT | P._PAGE_USER | P._PAGE_ACCESSED | P._PAGE_NX);
  });
  it('_PAGE_CHG_MASK: the bits pte_modify() keeps (PWT PCD ACCESSED DIRTY PAT SPECIAL SOFT_DIRTY UFFD_WP)', () => {
    assert.equal(P._PAGE_CHG_MASK, 0b1110_1111_1000);
  });
  it('fault error codes (trap_pf.h) and the address-space constants', () => {
    assert.deepEqual([P.X86_PF_PROT, P.X86_PF_WRITE, P.X86_PF_USER], [1, 2, 4]);
    assert.deepEqual([P.PAGE_SHIFT, U.PAGE_SIZE], [12, 4096]);
    assert.equal(U.TASK_SIZE, 2 ** 47 - 4096);
  });
});

describe('PTE helpers (arch/x86/include/asm/pgtable.h)', () => {
  const all = 0xfff | P._PAGE_NX;
  it('pte_none: no flags and no pfn', () => {
    assert.equal(P.pte_none(0, 0), true);
    assert.equal(P.pte_none(0, 5), false);
    assert.equal(P.pte_none(P._PAGE_ACCESSED, 0), false);
  });
  it('pte_present: PRESENT or PROTNONE; pte_protnone: PROTNONE without PRESENT', () => {
    assert.deepEqual([P.pte_present(P._PAGE_PRESENT), P.pte_present(P._PAGE_PROTNONE), P.pte_present(P._PAGE_RW | P._PAGE_DIRTY)], [true, true, false]);
    assert.deepEqual([P.pte_protnone(P._PAGE_PROTNONE), P.pte_protnone(P._PAGE_PROTNONE | P._PAGE_PRESENT), P.pte_protnone(0)], [true, false, false]);
  });
  it('each test reads its own bit only', () => {
    const tests: [(f: number) => boolean, number][] = [
      [P.pte_write, P._PAGE_RW], [P.pte_dirty, P._PAGE_DIRTY], [P.pte_young, P._PAGE_ACCESSED],
      [P.pte_special, P._PAGE_SPECIAL], [P.pte_soft_dirty, P._PAGE_SOFT_DIRTY],
      // pmd_trans_huge(): _PAGE_PSE (bit 7) of a PMD entry, carried on the model's per-page view
      [P.pmd_trans_huge, P._PAGE_PSE],
    ];
    for (const [t, bit] of tests) {
      assert.equal(t(bit), true, `${t.name} of its bit`);
      assert.equal(t(all & ~bit), false, `${t.name} of every other bit`);
    }
  });
  it('pte_mkdirty sets DIRTY and SOFT_DIRTY; pte_mkclean clears DIRTY only (soft-dirty survives)', () => {
    assert.equal(P.pte_mkdirty(P._PAGE_PRESENT), P._PAGE_PRESENT | P._PAGE_DIRTY | P._PAGE_SOFT_DIRTY);
    assert.equal(P.pte_mkclean(all), all & ~P._PAGE_DIRTY);
  });
  it('mkyoung/mkold, wrprotect/mkwrite, mkspecial, mksoft_dirty/clear_soft_dirty set or clear exactly their bit', () => {
    const cases: [(f: number) => number, number, boolean][] = [
      [P.pte_mkyoung, P._PAGE_ACCESSED, true], [P.pte_mkold, P._PAGE_ACCESSED, false],
      [P.pte_mkwrite, P._PAGE_RW, true], [P.pte_wrprotect, P._PAGE_RW, false],
      [P.pte_mkspecial, P._PAGE_SPECIAL, true], [P.pte_clear_soft_dirty, P._PAGE_SOFT_DIRTY, false],
      [P.pte_mksoft_dirty, P._PAGE_SOFT_DIRTY, true],
    ];
    for (const [f, bit, set] of cases) {
      if (set) { assert.equal(f(0), bit, f.name); assert.equal(f(all), all, f.name); }
      else { assert.equal(f(all), all & ~bit, f.name); assert.equal(f(0), 0, f.name); }
    }
  });
  it('pte_modify keeps the _PAGE_CHG_MASK bits and takes the rest from the new protection', () => {
    const old = P._PAGE_PRESENT | P._PAGE_RW | P._PAGE_USER | P._PAGE_ACCESSED | P._PAGE_DIRTY | P._PAGE_SOFT_DIRTY | P._PAGE_SPECIAL;
    assert.equal(P.pte_modify(old, P.PAGE_READONLY), P._PAGE_PRESENT | P._PAGE_USER | P._PAGE_ACCESSED | P._PAGE_DIRTY | P._PAGE_SOFT_DIRTY | P._PAGE_SPECIAL | P._PAGE_NX);
    // to PROT_NONE: PRESENT goes, PROTNONE comes, the dirt stays
    assert.equal(P.pte_modify(old, P.PAGE_NONE), P._PAGE_PROTNONE | P._PAGE_ACCESSED | P._PAGE_DIRTY | P._PAGE_SOFT_DIRTY | P._PAGE_SPECIAL);
    // ACCESSED is in the mask: an old PTE stays old under a protection that carries ACCESSED
    assert.equal(P.pte_modify(P._PAGE_PRESENT, P.PAGE_SHARED) & P._PAGE_ACCESSED, 0);
  });
});

describe('formatPteFlags: the short form every message and the inspector show', () => {
  it('none; present or PROTNONE; RW or RO; then U A D SD S PMD (bit 7, _PAGE_PSE of a PMD leaf) in that order', () => {
    assert.equal(P.formatPteFlags(0, 0), 'none');
    assert.equal(P.formatPteFlags(0, 7), 'RO');
    assert.equal(P.formatPteFlags(all(), 1), 'P RW U A D SD S PMD');
    assert.equal(P.formatPteFlags(P._PAGE_PROTNONE | P._PAGE_ACCESSED, 1), 'PROTNONE RO A');
    assert.equal(P.formatPteFlags(P._PAGE_PRESENT | P._PAGE_PROTNONE, 1), 'P RO');
    assert.equal(P.formatPteFlags(P._PAGE_PRESENT | P._PAGE_USER | P._PAGE_DIRTY, 1), 'P RO U D');
    assert.equal(P.formatPteFlags(P._PAGE_SOFT_DIRTY, 1), 'RO SD');
    assert.equal(P.formatPteFlags(P._PAGE_SPECIAL, 0), 'RO S');
    assert.equal(P.formatPteFlags(P._PAGE_PRESENT | P._PAGE_PSE, 0x2000), 'P RO PMD');
    function all() { return 0xfff; }
  });
});
