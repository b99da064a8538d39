// mm/migrate.c: migrate_pages() of one folio (a large one whole: migrateLarge.ts) in MIGRATE_SYNC mode (as
// move_pages() starts it; the real-kernel oracle realises `migrate` so): isolate it from the LRU, wait for writeback
// (MIGRATE_SYNC waits), try_to_migrate() (mm/rmap.c: an rmap walk that replaces every PTE
// mapping it with a migration entry), move the mapping (page cache or swap cache slot,
// flags, dirty) to a new folio, and remove_migration_ptes() (an rmap walk over the new
// folio that maps it where the entries are). Refusals: no folio (ENOENT), a folio not on
// the LRU (a driver's page, the zero page: isolation fails, EBUSY), a folio still mapped
// after try_to_migrate or with references it cannot account for (EBUSY after the
// retries, as a pinned folio).

import type { Kernel } from './kernel';
import {
  PG_active, PG_anon_exclusive, PG_dirty, PG_lru, PG_referenced, PG_swapbacked, PG_swapcache, PG_uptodate, PG_writeback,
  isHugeZeroPfn, ZERO_PFN,
} from './memmap';
import { migrateLargeFolio } from './migrateLarge';
import { pte_dirty, pte_none, pte_present, pte_soft_dirty, pte_write, pte_young } from './pte';
import { folio_mark_dirty, vm_normal_page } from './memory';
import type { Mm } from './mm';
import { remove_migration_pte } from './migrationPte';
import { folio_test_lru } from './reclaim';
import { rmap_walk } from './rmapWalk';
import { is_migration_pte, make_migration_entry_dirty, make_migration_entry_young, pte_swp_mksoft_dirty, swp_entry_flags, SwpType } from './swapEntry';
import { VM_IO, VM_PFNMAP, type Vma } from './vma';

export type MigrateErrno = 0 | 'ENOENT' | 'EBUSY' | 'EFAULT';

/**
 * The folio move_pages(2) would queue for the page at `addr` of `mm` (mm/migrate.c
 * add_page_for_migration / add_folio_for_migration, which `migrate PROC LABEL[I]` follows;
 * the real-kernel oracle realises it with move_pages): { pfn } of the folio to migrate, or the
 * page's status errno.
 * - no VMA, or a VMA that is not `vma_migratable()` (VM_IO, VM_PFNMAP): EFAULT;
 * - the zero page or the huge zero page: EFAULT (`FOLL_DUMP` "to ignore special (like zero)
 *   pages"; from 6.12 `is_zero_folio() || is_huge_zero_folio()`);
 * - nothing mapped there: before 6.12 `follow_page(FOLL_GET | FOLL_DUMP)` ends in
 *   `no_page_table()`, which is EFAULT for an anonymous VMA (or one without ->fault) and NULL
 *   (ENOENT) otherwise; from 6.12 `folio_walk_start()` finds no folio: ENOENT
 *   (`move-pages-folio-walk`);
 * - a swap entry: no folio is mapped, ENOENT (the swap cache's folio is not looked up).
 */
export function move_pages_folio(k: Kernel, mm: Mm, addr: number): { pfn: number } | { errno: 'ENOENT' | 'EFAULT' } {
  const vma = mm.vma_lookup(addr);
  if (!vma || vma.flags & (VM_IO | VM_PFNMAP)) return { errno: 'EFAULT' };
  const f = mm.pteFlags(addr), p = mm.ptePfn(addr);
  if (pte_none(f, p)) return { errno: !k.profile.has('move-pages-folio-walk') && !vma.ops ? 'EFAULT' : 'ENOENT' };
  if (!pte_present(f)) return { errno: 'ENOENT' };
  if (p === ZERO_PFN || isHugeZeroPfn(p)) return { errno: 'EFAULT' };
  const pfn = vm_normal_page(k, vma, f, p);
  // another special PTE (a VM_MIXEDMAP page without struct page): FOLL_DUMP's EFAULT before 6.12, no folio from 6.12
  return pfn ? { pfn } : { errno: k.profile.has('move-pages-folio-walk') ? 'ENOENT' : 'EFAULT' };
}

/** The flags migrate_folio() carries to the new folio (folio_migrate_flags, folio_migrate_mapping). */
const MIGRATED_FLAGS = PG_uptodate | PG_dirty | PG_referenced | PG_active | PG_swapbacked | PG_swapcache | PG_lru;

// mm/rmap.c: try_to_migrate() with try_to_migrate_one().
function try_to_migrate(k: Kernel, pfn: number): void {
  const mm = k.memmap;
  rmap_walk(k, pfn, {
    api: 'try_to_migrate',
    rmapOne(vma, address) {
      const vmm = vma.mm;
      const pteval = vmm.pteFlags(address);
      if (!pte_present(pteval) || vmm.ptePfn(address) !== pfn) return true;
      const anonExclusive = mm.folioTestAnon(pfn) && mm.test(pfn, PG_anon_exclusive);
      vmm.setPte(address, 0, 0, 'try_to_migrate_one: ptep_clear_flush');
      if (pte_dirty(pteval)) folio_mark_dirty(k, pfn);
      if (anonExclusive) mm.clearFlag(pfn, PG_anon_exclusive); // page_try_share_anon_rmap()
      let entry = swp_entry_flags(pte_write(pteval) ? SwpType.MigrationWrite
        : anonExclusive ? SwpType.MigrationReadExclusive : SwpType.MigrationRead);
      if (pte_young(pteval)) entry = make_migration_entry_young(entry);
      if (pte_dirty(pteval)) entry = make_migration_entry_dirty(entry);
      if (pte_soft_dirty(pteval)) entry = pte_swp_mksoft_dirty(entry);
      vmm.setPte(address, entry >>> 0, pfn, 'try_to_migrate_one: migration entry');
      k.tr.walkPte(vmm.pid, address, true);
      mm.mapcount[pfn]--; // page_remove_rmap()
      mm.refcount[pfn]--; // folio_put()
      return true;
    },
    done: () => mm.mapcount[pfn] <= 0, // folio_not_mapped()
  }, () => mm.mapcount[pfn]);
}

// mm/migrate.c: remove_migration_ptes(src, dst, false) with remove_migration_pte().
function remove_migration_ptes(k: Kernel, src: number, dst: number): number {
  const mm = k.memmap;
  let restored = 0;
  rmap_walk(k, dst, {
    api: 'remove_migration_ptes',
    rmapOne(vma: Vma, address: number) {
      const vmm = vma.mm;
      const swp = vmm.pteFlags(address);
      if (!is_migration_pte(swp) || vmm.ptePfn(address) !== src) return true;
      const pte = remove_migration_pte(k, vma, swp, dst);
      mm.mapcount[dst]++;
      mm.refcount[dst]++;
      vmm.setPte(address, pte, dst, 'remove_migration_pte');
      k.tr.walkPte(vmm.pid, address, true);
      restored++;
      return true;
    },
  }, () => restored);
  return restored;
}

/** migrate_pages(MIGRATE_SYNC) of the folio at pfn (0: none). Returns 0 or the errno, and the new PFN. */
export function migrate_folio_sync(k: Kernel, pfn: number): { errno: MigrateErrno; newPfn: number } {
  const mm = k.memmap;
  if (pfn && mm.pfnValid(pfn) && mm.order[pfn] && !isHugeZeroPfn(pfn)) return migrateLarge(k, pfn);
  return migrate_one(k, pfn);
}

/** A page of a large folio: the whole folio moves (migrateLarge.ts); the named page's new PFN. */
function migrateLarge(k: Kernel, pfn: number): { errno: MigrateErrno; newPfn: number } {
  const head = k.memmap.head(pfn);
  const r = migrateLargeFolio(k, head);
  return { errno: r.errno, newPfn: r.dst ? r.dst + (pfn - head) : 0 };
}

function migrate_one(k: Kernel, pfn: number): { errno: MigrateErrno; newPfn: number } {
  const mm = k.memmap;
  k.tr.call('migrate_pages: MIGRATE_SYNC');
  if (!pfn || !mm.pfnValid(pfn)) return { errno: 'ENOENT', newPfn: 0 };
  if (!folio_test_lru(k, pfn)) { k.tr.call('migrate_pages: folio_isolate_lru failed (not on an LRU list)'); return { errno: 'EBUSY', newPfn: 0 }; }
  // migrate_folio_unmap(): MIGRATE_SYNC waits for writeback (none outlives a statement here)
  if (mm.test(pfn, PG_writeback)) { k.tr.call('migrate_pages: folio_wait_writeback'); mm.clearFlag(pfn, PG_writeback); }
  const wasMapped = mm.mapcount[pfn] > 0;
  if (wasMapped) { k.tr.call('try_to_migrate'); try_to_migrate(k, pfn); }
  if (mm.mapcount[pfn] > 0) {
    // still mapped: undo (remove_migration_ptes(src, src)) and give up
    remove_migration_ptes(k, pfn, pfn);
    return { errno: 'EBUSY', newPfn: 0 };
  }
  // move_to_new_folio() → migrate_folio(): folio_migrate_mapping() + folio_migrate_flags()
  k.tr.call('move_to_new_folio');
  const dst = mm.allocPage(mm.kind[pfn]);
  mm.refcount[dst] = mm.refcount[pfn]; // the page cache's / swap cache's reference moves
  mm.flags[dst] |= mm.flags[pfn] & MIGRATED_FLAGS;
  mm.written[dst] = mm.written[pfn]; // folio_migrate_copy / folio_mc_copy
  mm.setMapping(dst, mm.mapping[pfn]);
  mm.setIndex(dst, mm.index[pfn]);
  const mapId = mm.mapping[pfn];
  if (mapId > 0) {
    const as = k.objects.get(mapId);
    if (as && as.iPages[mm.index[pfn]] === pfn) {
      as.iPages[mm.index[pfn]] = dst;
      k.tr.folioSet(pfn, 'cached', as.id, 0);
      k.tr.folioSet(dst, 'cached', 0, as.id);
    }
  }
  const si = k.swap, slot = si?.slotOf.get(pfn);
  if (si && slot !== undefined) { si.slotOf.delete(pfn); si.slotOf.set(dst, slot); si.cache.set(slot, dst); }
  if (wasMapped) { k.tr.call('remove_migration_ptes'); remove_migration_ptes(k, pfn, dst); }
  mm.freePage(pfn);
  return { errno: 0, newPfn: dst };
}
