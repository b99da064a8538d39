// include/linux/swapops.h, arch/x86/include/asm/pgtable*.h: the non-present PTEs that hold
// a swap entry — a swap slot (type, offset) or a migration entry (a PFN). On x86 the swap
// offset is stored inverted in the high bits; the engine keeps the same information in its
// two words instead: `flags` has PRESENT and PROTNONE clear, the x86 software bits the
// kernel keeps in a swap PTE at their own places (_PAGE_SWP_SOFT_DIRTY = _PAGE_RW,
// _PAGE_SWP_EXCLUSIVE = _PAGE_PWT), and the entry's type in bits 24..29 (an engine
// encoding, never a present PTE's bits); `pfn` is swp_offset(): the slot, or the PFN of a
// migration entry.

// (pte.ts imports this file for formatPteFlags; the x86 bits are repeated here, not imported)
const _PAGE_PRESENT = 1 << 0, _PAGE_RW = 1 << 1, _PAGE_PWT = 1 << 3, _PAGE_PROTNONE = 1 << 8;

/** pgtable_types.h: _PAGE_SWP_SOFT_DIRTY is _PAGE_RW's bit in a swap PTE */
export const _PAGE_SWP_SOFT_DIRTY = _PAGE_RW;
/** pgtable_64_types.h: _PAGE_SWP_EXCLUSIVE is _PAGE_PWT's bit */
export const _PAGE_SWP_EXCLUSIVE = _PAGE_PWT;

/** the engine's marker of a swap-type PTE (bit 30; never set in a present PTE) */
const SWP_MARK = 1 << 30;
const TYPE_SHIFT = 24;
const TYPE_MASK = 0xf << TYPE_SHIFT;
/** include/linux/swapops.h: SWP_MIG_YOUNG / SWP_MIG_DIRTY (offset bits in the kernel) */
const SWP_MIG_YOUNG = 1 << 28;
const SWP_MIG_DIRTY = 1 << 29;

/** the entry types: a slot of swap device 0, or one of the migration entry types */
export const enum SwpType { Swap = 0, MigrationRead = 1, MigrationReadExclusive = 2, MigrationWrite = 3 }

export interface SwpEntry { type: SwpType; offset: number }

/** is_swap_pte(): not none and not present. */
export function is_swap_pte(flags: number): boolean {
  return (flags & SWP_MARK) !== 0 && (flags & (_PAGE_PRESENT | _PAGE_PROTNONE)) === 0;
}

export function swp_type(flags: number): SwpType { return ((flags & TYPE_MASK) >>> TYPE_SHIFT) as SwpType; }

/** non_swap_entry() false: a real swap slot */
export function is_swap_slot_pte(flags: number): boolean { return is_swap_pte(flags) && swp_type(flags) === SwpType.Swap; }
export function is_migration_pte(flags: number): boolean { return is_swap_pte(flags) && swp_type(flags) !== SwpType.Swap; }
export function is_writable_migration_entry(flags: number): boolean { return swp_type(flags) === SwpType.MigrationWrite; }
export function is_readable_migration_entry(flags: number): boolean { return swp_type(flags) === SwpType.MigrationRead; }

/** swp_entry_to_pte(): the flags word of a swap-type PTE of that type (no soft-dirty, not exclusive) */
export function swp_entry_flags(type: SwpType): number { return (SWP_MARK | (type << TYPE_SHIFT)) >>> 0; }

export function pte_swp_exclusive(flags: number): boolean { return (flags & _PAGE_SWP_EXCLUSIVE) !== 0; }
export function pte_swp_mkexclusive(flags: number): number { return flags | _PAGE_SWP_EXCLUSIVE; }
export function pte_swp_clear_exclusive(flags: number): number { return flags & ~_PAGE_SWP_EXCLUSIVE; }
export function pte_swp_soft_dirty(flags: number): boolean { return (flags & _PAGE_SWP_SOFT_DIRTY) !== 0; }
export function pte_swp_mksoft_dirty(flags: number): number { return flags | _PAGE_SWP_SOFT_DIRTY; }
export function pte_swp_clear_soft_dirty(flags: number): number { return flags & ~_PAGE_SWP_SOFT_DIRTY; }
export function make_migration_entry_young(flags: number): number { return flags | SWP_MIG_YOUNG; }
export function make_migration_entry_dirty(flags: number): number { return flags | SWP_MIG_DIRTY; }
export function is_migration_entry_young(flags: number): boolean { return (flags & SWP_MIG_YOUNG) !== 0; }
export function is_migration_entry_dirty(flags: number): boolean { return (flags & SWP_MIG_DIRTY) !== 0; }

/** The short form the PTE views and failure messages show: `swap 0:5 X SD`, `migration W 0x2003`. */
export function formatSwapPte(flags: number, offset: number): string {
  const t = swp_type(flags);
  const sd = pte_swp_soft_dirty(flags) ? ' SD' : '';
  if (t === SwpType.Swap) return `swap 0:${offset}${pte_swp_exclusive(flags) ? ' X' : ''}${sd}`;
  const kind = t === SwpType.MigrationWrite ? 'W' : t === SwpType.MigrationReadExclusive ? 'RX' : 'R';
  const ad = `${is_migration_entry_young(flags) ? ' A' : ''}${is_migration_entry_dirty(flags) ? ' D' : ''}`;
  return `migration ${kind} 0x${offset.toString(16)}${ad}${sd}`;
}
