// mm/migrate.c: migrate_pages(MIGRATE_SYNC) of a large folio, whole (x86-64 has
// CONFIG_ARCH_ENABLE_THP_MIGRATION: migrate_pages_batch() splits a large folio only when THP
// migration is unsupported or the new large folio cannot be allocated, which the model never
// meets). try_to_migrate() is one rmap walk over the folio's pgoffs: each PTE mapping a page of
// it becomes a migration entry (try_to_migrate_one), each PMD mapping it a PMD migration entry
// (set_pmd_migration_entry, the same bits); the folio's data and mapping move to a new folio of
// the same order (move_to_new_folio); remove_migration_ptes() is one rmap walk over the new
// folio that maps it where the entries are — a PMD stays a PMD (remove_migration_pmd), and a
// page keeps its place in the folio. The walks are traced as split_folio's (split.ts).

import type { Kernel } from './kernel';
import type { Vma } from './vma';
import { FOLIO_FLAG_BITS, PG_anon_exclusive, PG_writeback } from './memmap';
import { folio_test_lru } from './reclaim';
import { pte_dirty, pte_soft_dirty, pte_write, pte_young } from './pte';
import { folio_mark_dirty } from './memory';
import { remove_migration_pte } from './migrationPte';
import { folio_mapcount } from './folio';
import { mappedIn, treeOrder } from './split';
import { make_migration_entry_dirty, make_migration_entry_young, pte_swp_mksoft_dirty, swp_entry_flags, SwpType } from './swapEntry';
import type { MigrateErrno } from './migrate';

/** A mapping try_to_migrate() replaced: where, whether by a PMD, and its migration entry's bits. */
interface Entry { vma: Vma; addr: number; pmd: boolean; page: number; entry: number }

// try_to_migrate_one() / set_pmd_migration_entry(): the entry's type (writable, readable
// exclusive, readable) and its young, dirty and soft-dirty bits; PTE dirt goes to the folio,
// PageAnonExclusive is cleared (page_try_share_anon_rmap)
function toEntry(k: Kernel, vma: Vma, addr: number, pmd: boolean, page: number): Entry {
  const mem = k.memmap, m = vma.mm, pteval = m.pteFlags(addr);
  const anonExclusive = mem.folioTestAnon(page) && mem.test(page, PG_anon_exclusive);
  if (pte_dirty(pteval)) folio_mark_dirty(k, page);
  if (anonExclusive) mem.clearFlag(page, PG_anon_exclusive);
  let entry = swp_entry_flags(pte_write(pteval) ? SwpType.MigrationWrite : anonExclusive ? SwpType.MigrationReadExclusive : SwpType.MigrationRead);
  if (pte_young(pteval)) entry = make_migration_entry_young(entry);
  if (pte_dirty(pteval)) entry = make_migration_entry_dirty(entry);
  if (pte_soft_dirty(pteval)) entry = pte_swp_mksoft_dirty(entry);
  if (!pmd) m.setPte(addr, entry >>> 0, page, 'try_to_migrate_one: migration entry');
  return { vma, addr, pmd, page, entry: entry >>> 0 };
}

// remove_migration_pte() / remove_migration_pmd() (migrationPte.ts)
function restore(k: Kernel, e: Entry, dst: number): void {
  const m = e.vma.mm;
  const pte = remove_migration_pte(k, e.vma, e.entry, dst, e.pmd);
  if (e.pmd) m.setPmd(e.addr, pte, dst, 'remove_migration_pmd');
  else m.setPte(e.addr, pte, dst, 'remove_migration_pte');
  k.tr.walkPte(m.pid, e.addr, true);
}

/** migrate_pages(MIGRATE_SYNC) of the large folio at `head`. */
export function migrateLargeFolio(k: Kernel, head: number): { errno: MigrateErrno; dst: number } {
  const mem = k.memmap, order = mem.order[head], nr = 1 << order;
  const mapId = mem.mapping[head], first = mem.index[head];
  k.tr.call('migrate_pages: MIGRATE_SYNC (large folio)');
  if (!folio_test_lru(k, head)) { k.tr.call('migrate_pages: folio_isolate_lru failed (not on an LRU list)'); return { errno: 'EBUSY', dst: 0 }; }
  if (mem.test(head, PG_writeback)) { k.tr.call('migrate_pages: folio_wait_writeback'); mem.clearFlag(head, PG_writeback); }
  // migrate_folio_unmap(): try_to_migrate() only of a mapped folio; then remove_migration_ptes()
  const wasMapped = folio_mapcount(mem, head) > 0;
  const vmas = wasMapped && mapId ? treeOrder(k, mapId, first, first + nr - 1) : [];
  const entries: Entry[] = [];
  if (wasMapped) {
    k.tr.call('try_to_migrate');
    k.tr.walkBegin('try_to_migrate', mapId, first, nr, head);
    const maps = vmas.map((v) => mappedIn(k, v, head, nr));
    let left = maps.reduce((n, a) => n + a.length, 0);
    for (let i = 0; i < vmas.length; i++) {
      const v = vmas[i];
      k.tr.walkVisit(v.mm.pid, v.id, v.label, Math.max(v.start, v.start + (first - v.pgoff) * 4096));
      for (const a of maps[i]) {
        const pmd = v.mm.isPmdMapped(a);
        entries.push(toEntry(k, v, a, pmd, pmd ? head : v.mm.ptePfn(a)));
        k.tr.walkPte(v.mm.pid, a, true);
      }
      left -= maps[i].length;
      if (left <= 0) break; // folio_not_mapped(): done
    }
    k.tr.walkEnd(entries.length);
  }
  // move_to_new_folio(): the page cache slots, the folio's flags, each page's data and place
  k.tr.call('move_to_new_folio');
  const dst = mem.allocFolio(order, mem.kind[head]);
  mem.flags[dst] |= mem.flags[head] & FOLIO_FLAG_BITS;
  for (let i = 0; i < nr; i++) {
    const s = head + i, d = dst + i;
    mem.written[d] = mem.written[s];
    mem.mapcount[d] = mem.mapcount[s];
    mem.refcount[d] = mem.refcount[s];
    if (i) { mem.mapping[d] = mem.mapping[s]; mem.index[d] = mem.index[s]; }
  }
  mem.setMapping(dst, mapId);
  mem.setIndex(dst, first);
  mem.addEntire(dst, mem.entireOf(head));
  if (mapId > 0) {
    const as = k.objects.get(mapId);
    for (let i = 0; as && i < nr; i++) {
      if (as.iPages[first + i] !== head + i) continue;
      as.iPages[first + i] = dst + i;
      k.tr.folioSet(head + i, 'cached', as.id, 0);
      k.tr.folioSet(dst + i, 'cached', 0, as.id);
    }
  }
  if (wasMapped) {
    // one rmap walk over the new folio, every VMA of the tree (no done())
    k.tr.call('remove_migration_ptes');
    k.tr.walkBegin('remove_migration_ptes', mapId, first, nr, dst);
    for (const v of vmas) {
      k.tr.walkVisit(v.mm.pid, v.id, v.label, Math.max(v.start, v.start + (first - v.pgoff) * 4096));
      for (const e of entries) if (e.vma === v) restore(k, e, e.pmd ? dst : dst + (e.page - head));
    }
    k.tr.walkEnd(entries.length);
  }
  k.deferredSplit.delete(head);
  mem.freePage(head);
  return { errno: 0, dst };
}
