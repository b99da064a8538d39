// mm/huge_memory.c: split_folio() → split_huge_page_to_list_to_order(folio, NULL, 0): a
// large folio becomes order-0 folios. The refusals the model can meet: the huge zero
// folio and a folio under writeback (-EBUSY); there are no extra pins in the model, so
// can_split_folio() always holds. An anon folio is unmapped with try_to_migrate
// (TTU_SPLIT_HUGE_PMD: each PMD mapping first becomes PTEs) and remapped by remove_
// migration_ptes with the same bits, so its mappings end as the PTEs __split_huge_pmd
// makes; a page-cache folio is unmapped with try_to_unmap (PTE dirt moves into the folio)
// and not remapped (remap_page() only serves anon folios): its mappers fault again.
// From 6.12 the anon remap maps never-written subpages as the zero page instead
// (split-remap-zeropage). Both are rmap walks, recorded as the kernel makes them:
// unmap_folio()'s one walk over the large folio, then remap_page()'s
// remove_migration_ptes() over each new folio (anon).

import type { Kernel } from './kernel';
import type { Vma } from './vma';
import { FOLIO_FLAG_BITS, PG_dirty, PG_writeback, ZERO_PFN, isHugeZeroPfn } from './memmap';
import { MM_ANONPAGES } from './mm';
import { _PAGE_DIRTY, _PAGE_SOFT_DIRTY, pte_mkspecial, pte_present, pte_soft_dirty } from './pte';
import { VM_LOCKED } from './vma';
import { __split_huge_pmd, zap_huge_pmd, HPAGE_PMD_SIZE } from './hugeMemory';
import { folio_remove_rmap_pte } from './rmapCounts';
import { anonVmaById } from './rmapWalk';

export type SplitResult = 0 | 'EBUSY' | 'EINVAL';

/**
 * `zeroRemap` false: the split stands in for a kernel path that does not split (migration of
 * a whole THP, see migrate.ts), so every page stays mapped as it was.
 */
export function split_folio(k: Kernel, page: number, zeroRemap = true): SplitResult {
  const mm = k.memmap;
  k.tr.call('split_huge_page_to_list_to_order');
  if (isHugeZeroPfn(page)) return 'EBUSY';
  const head = mm.head(page), order = mm.order[page], nr = 1 << order;
  if (!order) return 'EINVAL';
  if (mm.folioTest(head, PG_writeback)) return 'EBUSY';
  const anon = mm.folioTestAnon(head);
  const mapId = mm.mapping[head], first = mm.index[head];
  unmapFolioWalk(k, head, nr, anon);
  for (const vma of mappersOf(k, head)) {
    const m = vma.mm;
    for (let p = head; p < head + nr; p++) {
      const addr = vma.start + (mm.index[p] - vma.pgoff) * 4096;
      if (addr < vma.start || addr >= vma.end) continue;
      if (m.isPmdMapped(addr)) {
        if (m.ptePfn(addr) - ((addr / 4096) % 512) !== head) continue;
        if (anon) __split_huge_pmd(k, vma, addr - (addr % HPAGE_PMD_SIZE), 'split_folio: try_to_migrate (TTU_SPLIT_HUGE_PMD)', true);
        else zap_huge_pmd(k, vma, addr - (addr % HPAGE_PMD_SIZE), 'split_folio: try_to_unmap');
        continue;
      }
      // try_to_migrate_one() (anon) and try_to_unmap_one() (file): "Set the dirty flag on
      // the folio now the pte is gone" (mm/rmap.c, 6.1 and 6.12)
      if (anon && m.ptePfn(addr) === p && pte_present(m.pteFlags(addr)) && (m.pteFlags(addr) & _PAGE_DIRTY)) {
        mm.setFlag(head, PG_dirty);
        // remap_page() → remove_migration_pte() before 6.9: pte_mkdirty() of the dirty entry
        // (the folio is dirty now) sets soft-dirty again; from 6.9 the entry's bit is kept
        if (!k.profile.has('remove-migration-pte-soft-dirty')) m.setPte(addr, m.pteFlags(addr) | _PAGE_SOFT_DIRTY, p, 'split_folio: remove_migration_pte');
      }
      if (!anon && m.ptePfn(addr) === p && m.pteFlags(addr)) {
        if (m.pteFlags(addr) & _PAGE_DIRTY) mm.setFlag(head, PG_dirty);
        m.setPte(addr, 0, 0, 'split_folio: try_to_unmap');
        folio_remove_rmap_pte(k, p, vma);
        if (m.pt.lookup(addr)?.used === 0) m.pt.freeIfEmpty(addr);
      }
    }
  }
  if (anon && zeroRemap && k.profile.has('split-remap-zeropage')) remapUnusedToZeropage(k, head, nr);
  // __split_folio_to_order(): each page its own folio with the head's flags
  const folioFlags = mm.flags[head] & FOLIO_FLAG_BITS;
  const cacheRefs = anon ? 0 : 1;
  for (let p = head; p < head + nr; p++) {
    mm.order[p] = 0;
    if (p !== head) mm.flags[p] = (mm.flags[p] & ~FOLIO_FLAG_BITS) | folioFlags;
    mm.refcount[p] = mm.mapcount[p] + cacheRefs;
  }
  mm.entire.delete(head);
  k.deferredSplit.delete(head);
  // __split_huge_page(): an anon page nobody maps any more (a partly unmapped folio from the
  // deferred split queue) loses its last reference and is freed
  if (anon) remapPageWalks(k, head, nr, mapId, first);
  if (anon) for (let p = head; p < head + nr; p++) if (mm.refcount[p] === 0) mm.freePage(p);
  return 0;
}

// mm/migrate.c (6.12): remap_page(folio, nr, RMP_USE_SHARED_ZEROPAGE) → remove_migration_pte()
// → try_to_map_unused_to_zeropage(): a subpage whose data is all zeroes (pages_identical()
// with the zero page: never stored to) is mapped as the shared zero page, a special PTE
// from vm_page_prot keeping only the entry's soft-dirty bit, unless the VMA is VM_LOCKED;
// the subpage is then unmapped everywhere and freed with the split.
function remapUnusedToZeropage(k: Kernel, head: number, nr: number): void {
  const mm = k.memmap;
  for (const vma of mappersOf(k, head)) {
    if (vma.has(VM_LOCKED)) continue;
    const m = vma.mm;
    for (let p = head; p < head + nr; p++) {
      if (mm.written[p]) continue;
      const addr = vma.start + (mm.index[p] - vma.pgoff) * 4096;
      if (addr < vma.start || addr >= vma.end) continue;
      const old = m.pteFlags(addr);
      if (m.ptePfn(addr) !== p || !pte_present(old) || m.isPmdMapped(addr)) continue;
      const e = pte_soft_dirty(old) ? pte_mkspecial(vma.pageProt) | _PAGE_SOFT_DIRTY : pte_mkspecial(vma.pageProt) & ~_PAGE_SOFT_DIRTY;
      m.setPte(addr, e, ZERO_PFN, 'split_folio: remove_migration_pte → try_to_map_unused_to_zeropage');
      mm.mapcount[p]--;
      m.rss[MM_ANONPAGES]--;
    }
  }
}

/** The VMAs rmap_walk() meets for pgoffs [first, last] of mapId: anon_vma or i_mmap interval tree order. */
export function treeOrder(k: Kernel, mapId: number, first: number, last: number): Vma[] {
  const out: Vma[] = [];
  if (mapId < 0) anonVmaById(k, -mapId)?.rbRoot.forEachOverlap(first, last, (avc) => { out.push(avc.vma); });
  else k.objects.get(mapId)?.iMmap.forEachOverlap(first, last, (v) => { out.push(v); });
  return out;
}

/** The addresses in vma where a PTE or a PMD maps a page of the folio [head, head + nr). */
export function mappedIn(k: Kernel, vma: Vma, head: number, nr: number): number[] {
  const mm = k.memmap, m = vma.mm, out: number[] = [];
  for (let p = head; p < head + nr; p++) {
    const addr = vma.start + (mm.index[p] - vma.pgoff) * 4096;
    if (addr < vma.start || addr >= vma.end || !m.pteFlags(addr)) continue;
    if (m.isPmdMapped(addr)) {
      const haddr = addr - (addr % HPAGE_PMD_SIZE);
      if (m.ptePfn(haddr) === head && !out.includes(haddr)) out.push(haddr);
    } else if (m.ptePfn(addr) === p) out.push(addr);
  }
  return out;
}

// unmap_folio(): try_to_migrate (anon; TTU_RMAP_LOCKED | TTU_SYNC, + TTU_SPLIT_HUGE_PMD for a
// PMD-mappable folio) or try_to_unmap (file) of the large folio: rmap_walk over its pgoffs
// [index, index + nr - 1]; rmap_one each VMA in tree order, done (folio_not_mapped) once the
// folio has no mapping left — after the first VMA when it had none (invalid_migration_vma only
// skips exec's temporary stack, which the model does not have)
function unmapFolioWalk(k: Kernel, head: number, nr: number, anon: boolean): void {
  const mm = k.memmap, mapId = mm.mapping[head], first = mm.index[head];
  if (!mapId) return;
  k.tr.call(anon ? 'try_to_migrate' : 'try_to_unmap');
  k.tr.walkBegin(anon ? 'try_to_migrate' : 'try_to_unmap', mapId, first, nr, head);
  const vmas = treeOrder(k, mapId, first, first + nr - 1);
  const maps = vmas.map((v) => mappedIn(k, v, head, nr));
  let left = maps.reduce((n, a) => n + a.length, 0);
  let unmapped = 0;
  for (let i = 0; i < vmas.length; i++) {
    const v = vmas[i];
    k.tr.walkVisit(v.mm.pid, v.id, v.label, Math.max(v.start, v.start + (first - v.pgoff) * 4096));
    for (const a of maps[i]) k.tr.walkPte(v.mm.pid, a, true);
    left -= maps[i].length;
    unmapped += maps[i].length;
    if (left <= 0) break;
  }
  k.tr.walkEnd(unmapped);
}

// remap_page(folio, nr, ...): remove_migration_ptes(folio, folio, RMP_LOCKED) for each new
// order-0 folio, an rmap walk of its pgoff over the anon_vma (no done: every VMA there)
function remapPageWalks(k: Kernel, head: number, nr: number, mapId: number, first: number): void {
  k.tr.call('remove_migration_ptes');
  for (let p = head; p < head + nr; p++) {
    const pgoff = first + (p - head);
    k.tr.walkBegin('remove_migration_ptes', mapId, pgoff, 1, p);
    let restored = 0;
    for (const v of treeOrder(k, mapId, pgoff, pgoff)) {
      const addr = v.start + (pgoff - v.pgoff) * 4096;
      k.tr.walkVisit(v.mm.pid, v.id, v.label, addr);
      if (addr >= v.start && addr < v.end && v.mm.pteFlags(addr) && v.mm.ptePfn(addr) === p) { k.tr.walkPte(v.mm.pid, addr, true); restored++; }
    }
    k.tr.walkEnd(restored);
  }
}

/** Every VMA that may map the folio: its anon_vma's VMAs, or its mapping's i_mmap. */
function mappersOf(k: Kernel, head: number): Vma[] {
  const mm = k.memmap, out: Vma[] = [];
  const mapId = mm.mapping[head];
  if (mapId < 0) {
    for (const t of k.tasks.values()) for (const v of t.mm.vmas) if (v.anonVma && v.avcs.some((c) => c.anonVma.root.id === -mapId || c.anonVma.id === -mapId)) out.push(v);
    return out;
  }
  const as = k.objects.get(mapId);
  if (!as) return out;
  const first = mm.index[head], last = first + (1 << mm.order[head]) - 1;
  as.iMmap.forEachOverlap(first, last, (v) => { out.push(v); });
  return out;
}
