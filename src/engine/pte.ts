// arch/x86/include/asm/pgtable_types.h: the bits of a 4 KiB x86-64 PTE that the engine
// carries. A PTE is two 32-bit words: `flags` (the low 12 bits exactly as x86 lays them
// out, plus NX kept in bit 31 instead of 63) and `pfn` (bits 12..51 shifted down).
// A PTE with flags === 0 and pfn === 0 is pte_none(). Swap and migration entries: swapEntry.ts.

import { formatSwapPte, is_swap_pte } from './swapEntry';

export const _PAGE_PRESENT = 1 << 0;
export const _PAGE_RW = 1 << 1;
export const _PAGE_USER = 1 << 2;
export const _PAGE_PWT = 1 << 3;
export const _PAGE_PCD = 1 << 4;
export const _PAGE_ACCESSED = 1 << 5;
export const _PAGE_DIRTY = 1 << 6;
export const _PAGE_PAT = 1 << 7;
/** bit 7 in a PMD entry: _PAGE_PSE, a leaf mapping 2 MiB (pmd_trans_huge). The model's
 *  per-page view of a PMD leaf carries it on every page (pageTable.ts). */
export const _PAGE_PSE = 1 << 7;
/** bit 8: GLOBAL when present; reused as PROTNONE when !PRESENT */
export const _PAGE_PROTNONE = 1 << 8;
/** bit 9, _PAGE_BIT_SOFTW1 */
export const _PAGE_SPECIAL = 1 << 9;
/** bit 10, _PAGE_BIT_SOFTW2 */
export const _PAGE_UFFD_WP = 1 << 10;
/** bit 11, _PAGE_BIT_SOFTW3 */
export const _PAGE_SOFT_DIRTY = 1 << 11;
/** bit 63 on hardware; bit 31 of our flags word */
export const _PAGE_NX = 1 << 31;

export type PgProt = number; // flags word of a protection (no PFN)

// arch/x86/include/asm/pgtable_types.h: PAGE_NONE/PAGE_SHARED/PAGE_COPY/PAGE_READONLY
// (all user protections carry ACCESSED, so a freshly made PTE is born young; NX unless exec).
export const PAGE_NONE: PgProt = _PAGE_PROTNONE | _PAGE_ACCESSED;
export const PAGE_SHARED: PgProt = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX;
export const PAGE_COPY: PgProt = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX;
export const PAGE_READONLY: PgProt = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | _PAGE_NX;

/** Bits pte_modify() takes from the new protection; everything else survives (_PAGE_CHG_MASK). */
export const _PAGE_CHG_MASK = _PAGE_PWT | _PAGE_PCD | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_PAT |
  _PAGE_SPECIAL | _PAGE_SOFT_DIRTY | _PAGE_UFFD_WP;

// include/linux/pgtable.h + arch/x86: pte_present() is PRESENT or PROTNONE.
export function pte_present(flags: number): boolean { return (flags & (_PAGE_PRESENT | _PAGE_PROTNONE)) !== 0; }
export function pte_none(flags: number, pfn: number): boolean { return flags === 0 && pfn === 0; }
export function pte_write(flags: number): boolean { return (flags & _PAGE_RW) !== 0; }
export function pte_dirty(flags: number): boolean { return (flags & _PAGE_DIRTY) !== 0; }
export function pte_young(flags: number): boolean { return (flags & _PAGE_ACCESSED) !== 0; }
export function pte_special(flags: number): boolean { return (flags & _PAGE_SPECIAL) !== 0; }
export function pte_soft_dirty(flags: number): boolean { return (flags & _PAGE_SOFT_DIRTY) !== 0; }
/** pmd_trans_huge() on the model's per-page view of an entry */
export function pmd_trans_huge(flags: number): boolean { return (flags & _PAGE_PSE) !== 0; }
export function pte_protnone(flags: number): boolean { return (flags & (_PAGE_PRESENT | _PAGE_PROTNONE)) === _PAGE_PROTNONE; }

// arch/x86/include/asm/pgtable.h: pte_mkdirty() sets DIRTY and SOFT_DIRTY together.
export function pte_mkdirty(flags: number): number { return flags | _PAGE_DIRTY | _PAGE_SOFT_DIRTY; }
// arch/x86/include/asm/pgtable.h: pte_mkclean() clears DIRTY only (soft-dirty survives).
export function pte_mkclean(flags: number): number { return flags & ~_PAGE_DIRTY; }
export function pte_mkyoung(flags: number): number { return flags | _PAGE_ACCESSED; }
export function pte_mkold(flags: number): number { return flags & ~_PAGE_ACCESSED; }
export function pte_wrprotect(flags: number): number { return flags & ~_PAGE_RW; }
export function pte_mkwrite(flags: number): number { return flags | _PAGE_RW; }
export function pte_mkspecial(flags: number): number { return flags | _PAGE_SPECIAL; }
export function pte_clear_soft_dirty(flags: number): number { return flags & ~_PAGE_SOFT_DIRTY; }
export function pte_mksoft_dirty(flags: number): number { return flags | _PAGE_SOFT_DIRTY; }
// arch/x86/include/asm/pgtable.h: pte_modify() keeps _PAGE_CHG_MASK bits and the PFN,
// takes the rest from the new protection.
export function pte_modify(flags: number, newprot: PgProt): number {
  return (flags & _PAGE_CHG_MASK) | (newprot & ~_PAGE_CHG_MASK);
}

/** Short human form: `P RW U A D SD S`, `none`, or a swap / migration entry (swapEntry.ts). */
export function formatPteFlags(flags: number, pfn: number): string {
  if (pte_none(flags, pfn)) return 'none';
  if (is_swap_pte(flags)) return formatSwapPte(flags, pfn);
  const parts: string[] = [];
  if (flags & _PAGE_PRESENT) parts.push('P'); else if (flags & _PAGE_PROTNONE) parts.push('PROTNONE');
  parts.push(flags & _PAGE_RW ? 'RW' : 'RO');
  if (flags & _PAGE_USER) parts.push('U');
  if (flags & _PAGE_ACCESSED) parts.push('A');
  if (flags & _PAGE_DIRTY) parts.push('D');
  if (flags & _PAGE_SOFT_DIRTY) parts.push('SD');
  if (flags & _PAGE_SPECIAL) parts.push('S');
  if (flags & _PAGE_PSE) parts.push('PMD');
  return parts.join(' ');
}

/** x86 page-fault error code bits (arch/x86/include/asm/trap_pf.h). */
export const X86_PF_PROT = 1 << 0;
export const X86_PF_WRITE = 1 << 1;
export const X86_PF_USER = 1 << 2;

export const PAGE_SHIFT = 12;
