// mm/rmap.c, mm/page_vma_mapped.c, mm/internal.h: reverse-mapping walks and the
// write-protect primitives built on them.

import type { AddressSpace } from './addressSpace';
import type { Kernel } from './kernel';
import { PG_locked } from './memmap';
import { pte_dirty, pte_mkclean, pte_none, pte_present, pte_write, pte_wrprotect } from './pte';
import { VM_SHARED, Vma } from './vma';
import { zap_pte_range } from './memory';
import { folio_mapped } from './folio';

const EFAULT = -14;

// mm/internal.h: vma_address(vma, pgoff, nr_pages) (6.12+; earlier from page->index):
// the user address of pgoff in vma, vm_start when the range starts before the VMA but
// overlaps it, -EFAULT otherwise.
export function vma_address(vma: Vma, pgoff: number, nrPages: number): number {
  if (pgoff >= vma.pgoff) {
    const address = vma.start + (pgoff - vma.pgoff) * 4096;
    return address >= vma.start && address < vma.end ? address : EFAULT;
  }
  if (pgoff + nrPages - 1 >= vma.pgoff) return vma.start;
  return EFAULT;
}

/** struct page_vma_mapped_walk, order-0 model */
export interface Pvmw { pfn: number; nrPages: number; pgoff: number; vma: Vma; address: number }

// mm/internal.h: vma_address_end()
function vma_address_end(pvmw: Pvmw): number {
  if (pvmw.nrPages === 1) return pvmw.address + 4096;
  let address = pvmw.vma.start + (pvmw.pgoff + pvmw.nrPages - pvmw.vma.pgoff) * 4096;
  if (address < pvmw.vma.start || address > pvmw.vma.end) address = pvmw.vma.end;
  return address;
}

// mm/page_vma_mapped.c: page_vma_mapped_walk() + check_pte(): every present PTE in
// [address, vma_address_end) whose PFN lies in [pfn, pfn + nr_pages). It never asks for
// a struct page and never checks that the PFN sits at the "right" offset. Missing
// upper levels are skipped a whole level at a time.
//
// A PMD leaf (pmd_trans_huge) is one match when its 512 PFNs overlap the range
// (check_pmd), reported once at its PMD-aligned address with `pmd` set; the walk then
// goes on after it.
export function page_vma_mapped_walk(pvmw: Pvmw, fn: (addr: number, pmd: boolean) => void): void {
  const end = vma_address_end(pvmw);
  const mm = pvmw.vma.mm;
  let addr = pvmw.address;
  while (addr < end) {
    const hole = mm.pt.missingLevelSize(addr);
    if (hole) { addr = (Math.floor(addr / hole) + 1) * hole; continue; }
    const t = mm.pt.lookup(addr)!;
    if (t.leaf) {
      const head = t.pfn[0];
      if (head < pvmw.pfn + pvmw.nrPages && head + 512 > pvmw.pfn) fn(t.base, true);
      addr = t.base + 2 ** 21;
      continue;
    }
    const flags = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
    if (!pte_none(flags, pfn) && pte_present(flags) && pfn >= pvmw.pfn && pfn < pvmw.pfn + pvmw.nrPages) fn(addr, false);
    addr += 4096;
  }
}

// mm/rmap.c: page_vma_mkclean_one() — for each match: skip a PTE that is neither dirty
// nor writable (not counted); otherwise ptep_clear_flush, wrprotect + clean, count 1.
// ACCESSED, SOFT_DIRTY, SPECIAL and the PFN survive. (6.1–6.17; the ≥6.15 !pte_present skip
// is moot: the walk yields present PTEs and PMDs only, as check_pte without PVMW_MIGRATION.)
function page_vma_mkclean_one(k: Kernel, pvmw: Pvmw): number {
  let cleaned = 0;
  const mm = pvmw.vma.mm;
  page_vma_mapped_walk(pvmw, (addr, pmd) => {
    const flags = mm.pteFlags(addr);
    const counted = pte_dirty(flags) || pte_write(flags);
    if (counted) {
      // a PMD: pmdp_invalidate, pmd_wrprotect, pmd_mkclean, set_pmd_at — one count
      mm.setPte(addr, pte_mkclean(pte_wrprotect(flags)), mm.ptePfn(addr), pmd ? 'page_vma_mkclean_one: PMD wrprotect + clean (TLB flushed)' : 'page_vma_mkclean_one: wrprotect + clean (TLB flushed)');
      cleaned++;
    }
    k.tr.walkPte(mm.pid, addr, counted);
  });
  return cleaned;
}

// mm/rmap.c: invalid_mkclean_vma() — skip iff VM_SHARED is clear.
function invalid_mkclean_vma(vma: Vma): boolean { return !vma.has(VM_SHARED); }

/** struct rmap_walk_control, as far as the model's users need it */
interface Rwc {
  rmapOne(vma: Vma, address: number): boolean;
  invalidVma(vma: Vma): boolean;
  /** why invalidVma() skipped a VMA (shown in the walk) */
  skipReason: string;
}

// mm/rmap.c: __rmap_walk_file() (6.15+; before: the body of rmap_walk_file()): every VMA
// of mapping->i_mmap overlapping [pgoff, pgoff + nr - 1], in interval-tree order;
// invalid_vma() before rmap_one(); stop when rmap_one() returns false.
function __rmap_walk_file(k: Kernel, mapping: AddressSpace, pgoff: number, nrPages: number, rwc: Rwc): void {
  mapping.iMmap.forEachOverlap(pgoff, pgoff + nrPages - 1, (vma) => {
    const address = vma_address(vma, pgoff, nrPages);
    if (address === EFAULT) throw new Error('engine BUG: vma_address() returned -EFAULT for a VMA the i_mmap walk yielded');
    if (rwc.invalidVma(vma)) { k.tr.walkSkip(vma.mm.pid, vma.id, vma.label, rwc.skipReason); return true; }
    k.tr.walkVisit(vma.mm.pid, vma.id, vma.label, address);
    return rwc.rmapOne(vma, address);
  });
}

// mm/rmap.c: folio_mkclean() — BUG unless locked; 0 if not mapped or folio_mapping() is
// NULL (anon, or a kernel page with no mapping); else rmap_walk_file() with
// page_mkclean_one, skipping non-VM_SHARED VMAs; returns the PTEs cleaned.
// A large folio: the walk covers folio->index .. + folio_nr_pages() - 1 and every PFN of
// the folio (PMD and PTE mappings alike).
export function folioMkclean(k: Kernel, page: number, api: 'folio_mkclean' | 'page_mkclean' = 'folio_mkclean'): number {
  const mm = k.memmap;
  const pfn = mm.head(page);
  const nr = 1 << mm.order[pfn];
  const mapId = mm.mapping[pfn];
  k.tr.walkBegin('folio_mkclean', mapId > 0 ? mapId : 0, mm.index[pfn], nr, pfn);
  if (api === 'page_mkclean') k.tr.call('page_mkclean');
  const wasLocked = mm.test(pfn, PG_locked);
  mm.flags[mm.head(pfn)] |= PG_locked; // folio_lock() around it, as every caller does
  let cleaned = 0;
  try {
    if (!folio_mapped(mm, pfn)) { k.tr.call('folio_mkclean: !folio_mapped(), no walk'); return 0; }
    // folio_mapping(): NULL for anon (page->mapping < 0, an anon_vma) and for none (0): no object has such an id
    const mapping = k.objects.get(mapId);
    if (!mapping) { k.tr.call('folio_mkclean: folio_mapping() == NULL, no walk'); return 0; }
    // rmap_walk() → rmap_walk_file(): pgoff = folio->index, nr = folio_nr_pages() = 1
    k.tr.call('rmap_walk_file');
    const pgoff = mm.index[pfn];
    __rmap_walk_file(k, mapping, pgoff, nr, {
      invalidVma: invalid_mkclean_vma, skipReason: 'invalid_mkclean_vma: no VM_SHARED',
      rmapOne(vma, address) {
        // page_mkclean_one(): DEFINE_FOLIO_VMA_WALK(..., PVMW_SYNC)
        cleaned += page_vma_mkclean_one(k, { pfn, nrPages: nr, pgoff, vma, address });
        return true;
      },
    });
    return cleaned;
  } finally {
    if (!wasLocked) mm.flags[mm.head(pfn)] &= ~PG_locked;
    k.tr.walkEnd(cleaned);
  }
}

// mm/rmap.c: mapping_wrprotect_range() (6.15+) — driven by (mapping, pgoff, pfn, nr) with
// no folio: __rmap_walk_file(NULL, ...) with mapping_wrprotect_range_one; no lock on any
// page, no struct page needed. NULL mapping → 0.
export function mappingWrprotectRange(k: Kernel, mapping: AddressSpace | undefined, pgoff: number, pfn: number, nrPages: number): number {
  k.tr.walkBegin('mapping_wrprotect_range', mapping?.id ?? 0, pgoff, nrPages, pfn);
  let cleaned = 0;
  if (mapping) {
    k.tr.call('__rmap_walk_file');
    __rmap_walk_file(k, mapping, pgoff, nrPages, {
      invalidVma: invalid_mkclean_vma, skipReason: 'invalid_mkclean_vma: no VM_SHARED',
      rmapOne(vma, address) {
        cleaned += page_vma_mkclean_one(k, { pfn, nrPages, pgoff, vma, address });
        return true;
      },
    });
  }
  k.tr.walkEnd(cleaned);
  return cleaned;
}

// mm/rmap.c: pfn_mkclean_range() — the single-VMA primitive fs/dax uses (not an rmap walk).
// Returns null when vma_address() is -EFAULT (the kernel would VM_BUG_ON).
export function pfnMkcleanRange(k: Kernel, pfn: number, nrPages: number, pgoff: number, vma: Vma): number | null {
  k.tr.call('pfn_mkclean_range');
  if (invalid_mkclean_vma(vma)) { k.tr.call('invalid_mkclean_vma: no VM_SHARED → 0'); return 0; }
  const address = vma_address(vma, pgoff, nrPages);
  if (address === EFAULT) return null;
  return page_vma_mkclean_one(k, { pfn, nrPages, pgoff, vma, address });
}

// mm/memory.c: unmap_mapping_pages(mapping, start, nr, even_cows) via
// unmap_mapping_range_tree(): every VMA of i_mmap overlapping the range (no VM_SHARED
// filter), zap the clipped address range. Returns the PTEs zapped.
export function unmapMappingRange(k: Kernel, mapping: AddressSpace, first: number, nr: number, evenCows: boolean): number {
  k.tr.walkBegin('unmap_mapping_range', mapping.id, first, nr, 0);
  const last = first + nr - 1;
  const vmas: Vma[] = [];
  mapping.iMmap.forEachOverlap(first, last, (vma) => { vmas.push(vma); });
  let zapped = 0;
  for (const vma of vmas) {
    const vba = vma.pgoff, vea = vma.lastPgoff;
    const zba = Math.max(first, vba), zea = Math.min(last, vea);
    const start = vma.start + (zba - vba) * 4096, end = vma.start + (zea - vba + 1) * 4096;
    k.tr.walkVisit(vma.mm.pid, vma.id, vma.label, start);
    const n = zap_pte_range(k, vma, start, end, evenCows, 'unmap_mapping_range: zap_page_range_single');
    zapped += n;
  }
  k.tr.walkEnd(zapped);
  return zapped;
}

/**
 * The scenario's `mkclean OBJ[I]`: folio_mkclean() on the folio at that index. With no folio
 * there (not in the page cache, or no struct page behind the PFN) the kernel has nothing to
 * call it on: the walk is recorded empty (so `expect walk` sees no VMA) and the result is 0.
 */
export function folioMkcleanAt(k: Kernel, as: AddressSpace, index: number): { result: number; pfn: number; noFolio: boolean } {
  const pfn = k.pfnOf(as, index);
  if (!pfn || !k.memmap.pfnValid(pfn)) {
    k.tr.walkBegin('folio_mkclean', as.id, index, 1, 0);
    k.tr.walkEnd(0);
    return { result: 0, pfn, noFolio: true };
  }
  return { result: folioMkclean(k, pfn), pfn, noFolio: false };
}
