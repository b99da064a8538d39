// mm/migrate.c remove_migration_pte() / mm/huge_memory.c remove_migration_pmd(): the entry a
// migration left becomes a mapping of the new folio again, for migrate_pages of a small folio
// (migrate.ts) and of a large one (migrateLarge.ts). The VMA's protection; soft-dirty from the
// entry; old unless the entry was young; dirty when the entry and the folio are (x86's
// pte_mkdirty() sets soft-dirty too: a PTE keeps exactly the entry's bit only from 6.9,
// remove-migration-pte-soft-dirty, a PMD never); writable only from a writable entry; the
// folio exclusive (RMAP_EXCLUSIVE) unless the entry was readable.

import type { Kernel } from './kernel';
import { PG_anon_exclusive, PG_dirty } from './memmap';
import { pte_clear_soft_dirty, pte_mkdirty, pte_mkold, pte_mksoft_dirty, pte_mkwrite, pte_wrprotect } from './pte';
import {
  is_migration_entry_dirty, is_migration_entry_young, is_readable_migration_entry, is_writable_migration_entry, pte_swp_soft_dirty,
} from './swapEntry';
import { VM_WRITE, type Vma } from './vma';

/** The PTE (or PMD, `pmd`) value that maps `dst` where migration entry `entry` was; marks `dst` exclusive as the kernel does. */
export function remove_migration_pte(k: Kernel, vma: Vma, entry: number, dst: number, pmd = false): number {
  const mm = k.memmap;
  let pte = vma.pageProt;
  if (pte_swp_soft_dirty(entry)) pte = pte_mksoft_dirty(pte);
  if (!is_migration_entry_young(entry)) pte = pte_mkold(pte);
  if (mm.test(dst, PG_dirty) && is_migration_entry_dirty(entry)) pte = pte_mkdirty(pte);
  if (!pmd && k.profile.has('remove-migration-pte-soft-dirty') && !pte_swp_soft_dirty(entry)) pte = pte_clear_soft_dirty(pte);
  if (is_writable_migration_entry(entry)) { if (vma.has(VM_WRITE)) pte = pte_mkwrite(pte); } else pte = pte_wrprotect(pte);
  if (mm.folioTestAnon(dst) && !is_readable_migration_entry(entry)) mm.setFlag(dst, PG_anon_exclusive);
  return pte;
}
