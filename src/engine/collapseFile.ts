// mm/khugepaged.c: MADV_COLLAPSE of shmem (tmpfs files and shared anonymous memory, which
// is shmem too). madvise_collapse() → hpage_collapse_scan_file() (the page cache of the
// 2 MiB range: a PMD-size folio already there is SCAN_PTE_MAPPED_HUGEPAGE; smaller large
// folios fail with SCAN_PAGE_COMPOUND before 6.12; a folio off the LRU or with an extra
// reference fails the range) → collapse_file(): every old folio unmapped from every process
// (try_to_unmap, one rmap walk each), a new PMD-size folio in their place, holes filled with
// zeroes (a range with nothing at all: SCAN_TRUNCATED), marked dirty (shmem), the old folios
// freed. Then the page tables (`collapse-file-retract-all`, 6.6): before, retract_page_tables()
// retracts only the caller's table and set_huge_pmd() maps the THP there; other processes
// keep their emptied tables (khugepaged's job). From 6.6 it retracts every empty table in
// i_mmap, and the caller installs its PMD in collapse_pte_mapped_thp(). Regular files need
// CONFIG_READ_ONLY_THP_FOR_FS, which Debian's 6.1 and 6.12 kernels (and the Kconfig
// default) leave unset: thpMadvise.ts refuses them with EINVAL. Shmem is never swapped out
// in the model, so collapse_file's swap-in branch does not arise.

import type { Kernel, Task } from './kernel';
import type { AddressSpace } from './addressSpace';
import { linear_page_index, type Vma } from './vma';
import { HPAGE_PMD_ORDER, PG_dirty, PG_lru, PG_swapbacked, PG_uptodate, PageKind } from './memmap';
import { folio_mapcount } from './folio';
import { PMD_SIZE } from './pageTable';
import { pte_dirty, pte_none, pte_present } from './pte';
import { folio_remove_rmap_pte } from './rmapCounts';
import { folio_mark_dirty, vm_normal_page } from './memory';
import { do_set_pmd } from './hugeMemory';
import { rmap_walk } from './rmapWalk';
import type { VmFault } from './vmOps';

const NR = 512;

/** The scan results of mm/khugepaged.c this path can give (enum scan_result). */
export type FileScan =
  | 'succeed' | 'pmd_mapped' | 'pte_mapped_hugepage' | 'pmd_null' | 'pmd_none' | 'page_compound' | 'page_lru'
  | 'page_count' | 'del_page_lru' | 'truncated' | 'page_anon' | 'vma_check' | 'page_null' | 'pte_non_present'
  | 'fail' | 'beyond_object';

// mm/khugepaged.c: find_pmd_or_thp_or_none() — mm_find_pmd() gives no PMD when an upper
// level is missing (SCAN_PMD_NULL); a none PMD is SCAN_PMD_NONE; a leaf SCAN_PMD_MAPPED.
// (The model never frees a PMD page once allocated; the kernel frees it on munmap when
// free_pgtables() covers it.)
export function find_pmd_or_thp_or_none(vma: Vma | { mm: Vma['mm'] }, addr: number): FileScan {
  const pt = vma.mm.pt;
  const t = pt.lookup(addr);
  if (t) return t.leaf ? 'pmd_mapped' : 'succeed';
  return pt.missingLevelSize(addr) === PMD_SIZE ? 'pmd_none' : 'pmd_null';
}

// mm/khugepaged.c: is_refcount_suitable() (6.12; 6.1: page_count == 1 + page_mapcount) —
// the page cache's references plus one per mapping, nothing else (no pin, no isolation).
function refcountSuitable(k: Kernel, head: number): boolean {
  const m = k.memmap;
  return m.refcount[head] === folio_mapcount(m, head) + (1 << m.order[head]);
}

// mm/khugepaged.c: hpage_collapse_scan_file() with MADV_COLLAPSE's collapse_control
// (max_ptes_none and max_ptes_swap are khugepaged's alone).
export function hpage_collapse_scan_file(k: Kernel, task: Task, vma: Vma, addr: number): FileScan {
  const as = vma.file!, m = k.memmap;
  const start = linear_page_index(vma, addr);
  k.tr.call('hpage_collapse_scan_file');
  if (start + NR > as.sizePages) return 'beyond_object';
  for (let i = start; i < start + NR;) {
    const p = as.folioAt(i);
    if (!p) { i++; continue; }
    const head = m.head(p), order = m.order[head];
    if (order) {
      if (order === HPAGE_PMD_ORDER && m.index[head] === start) return 'pte_mapped_hugepage';
      if (!k.profile.has('collapse-file-large-folios')) return 'page_compound';
    }
    if (!m.test(head, PG_lru)) return 'page_lru';
    if (!refcountSuitable(k, head)) return 'page_count';
    i = m.index[head] + (1 << order);
  }
  return collapse_file(k, task, as, start, addr);
}

// try_to_unmap(folio, TTU_IGNORE_MLOCK | TTU_BATCH_FLUSH) of one old folio: every PTE that
// maps one of its pages, in every VMA of i_mmap, cleared (its dirty bit into the folio).
function unmapOld(k: Kernel, head: number): void {
  const m = k.memmap, nr = 1 << m.order[head];
  k.tr.call('collapse_file: try_to_unmap');
  rmap_walk(k, head, {
    api: 'try_to_unmap',
    rmapOne(vma) {
      const mm = vma.mm;
      for (let p = head; p < head + nr; p++) {
        const a = vma.start + (m.index[p] - vma.pgoff) * 4096;
        if (a < vma.start || a >= vma.end) continue;
        const f = mm.pteFlags(a);
        if (!pte_present(f) || mm.ptePfn(a) !== p) continue;
        mm.setPte(a, 0, 0, 'collapse_file: try_to_unmap_one');
        if (pte_dirty(f)) folio_mark_dirty(k, p);
        folio_remove_rmap_pte(k, p, vma);
        k.tr.walkPte(mm.pid, a, true);
      }
      return true;
    },
    done: () => folio_mapcount(m, head) === 0,
  }, () => folio_mapcount(m, head));
}

// mm/khugepaged.c: collapse_file() for shmem.
function collapse_file(k: Kernel, task: Task, as: AddressSpace, start: number, addr: number): FileScan {
  const m = k.memmap;
  k.tr.call('collapse_file');
  // "Stop if extent has been truncated or hole-punched, and is now completely empty."
  let any = false;
  for (let i = start; i < start + NR && !any; i++) any = !!as.folioAt(i);
  if (!any) return 'truncated';
  const old: number[] = [];
  let nrNone = 0;
  for (let i = start; i < start + NR;) {
    const p = as.folioAt(i);
    if (!p) { nrNone++; i++; continue; }
    const head = m.head(p), nr = 1 << m.order[head];
    if (!m.test(head, PG_lru)) return 'del_page_lru'; // folio_isolate_lru()
    if (folio_mapcount(m, head)) unmapOld(k, head);
    // "We control 2 + nr_pages references": the page cache's, ours and the isolation's
    if (m.refcount[head] !== nr) return 'page_count';
    old.push(head);
    i = m.index[head] + nr;
  }
  // the new folio: copied data (holes stay zeroes), uptodate, swap-backed, on the LRU,
  // dirty (shmem), one page-cache reference per page, in the page cache in one piece
  const head = m.allocFolio(HPAGE_PMD_ORDER, PageKind.PageCache);
  m.flags[head] |= PG_uptodate | PG_swapbacked | PG_lru;
  for (let i = 0; i < NR; i++) {
    const o = as.iPages[start + i];
    m.written[head + i] = o ? m.written[o] : 0;
    if (o) k.tr.folioSet(o, 'cached', as.id, 0);
  }
  k.setPageCacheFolio(as, start, head, NR);
  as.nrpages += nrNone;
  m.setFlag(head, PG_dirty);
  // the old folios lose the page cache's references: freed
  for (const h of old) m.freePage(h);
  if (k.profile.has('collapse-file-retract-all')) {
    retract_page_tables(k, as, start, head);
    return 'pte_mapped_hugepage';
  }
  return retract_page_tables_target(k, as, start, head, task, addr);
}

// the checks retract_page_tables() makes of each VMA (both versions): a VMA with an
// anon_vma (a written MAP_PRIVATE mapping) is left alone; the range must be PMD-aligned in
// it and inside it; the PMD must point to a page table.
function retractCheck(vma: Vma, pgoff: number): { addr: number; skip?: string; scan: FileScan } {
  const addr = vma.start + (pgoff - vma.pgoff) * 4096;
  if (vma.anonVma) return { addr, skip: 'anon_vma (a written MAP_PRIVATE mapping)', scan: 'page_anon' };
  if (addr % PMD_SIZE || vma.end < addr + PMD_SIZE) return { addr, skip: 'the 2 MiB range is not PMD-aligned in the VMA', scan: 'vma_check' };
  const r = find_pmd_or_thp_or_none(vma, addr);
  if (r !== 'succeed') return { addr, skip: r === 'pmd_mapped' ? 'already PMD-mapped' : 'no page table there', scan: r };
  return { addr, scan: 'succeed' };
}

// pmdp_collapse_flush() and the table freed (pte_free_defer / collapse_and_free_pmd): the
// table is empty, collapse_file unmapped every page it mapped.
function freeTable(vma: Vma, addr: number): boolean {
  const t = vma.mm.pt.lookup(addr);
  if (!t || t.leaf || t.used) return false;
  vma.mm.pt.freeIfEmpty(addr);
  return true;
}

function eachMapper(as: AddressSpace, pgoff: number): Vma[] {
  const vmas: Vma[] = [];
  as.iMmap.forEachOverlap(pgoff, pgoff, (v) => { vmas.push(v); });
  return vmas;
}

// mm/khugepaged.c: retract_page_tables(mapping, pgoff) from 6.6 — every VMA of i_mmap, no
// mmap lock. Recorded as an rmap walk of the new folio.
function retract_page_tables(k: Kernel, as: AddressSpace, pgoff: number, head: number): void {
  k.tr.call('retract_page_tables');
  k.tr.walkBegin('retract_page_tables', as.id, pgoff, NR, head);
  let n = 0;
  for (const vma of eachMapper(as, pgoff)) {
    const c = retractCheck(vma, pgoff);
    if (c.skip) { k.tr.walkSkip(vma.mm.pid, vma.id, vma.label, c.skip); continue; }
    k.tr.walkVisit(vma.mm.pid, vma.id, vma.label, c.addr);
    if (freeTable(vma, c.addr)) n++;
  }
  k.tr.walkEnd(n);
}

// mm/khugepaged.c: retract_page_tables(mapping, pgoff, target_mm, target_addr, hpage, cc)
// before 6.6, for MADV_COLLAPSE: only the caller's VMA (is_target) gets its table retracted
// (collapse_and_free_pmd) and the THP mapped (set_huge_pmd); the others are left to
// khugepaged (khugepaged_add_pte_mapped_thp). Returns the target's result.
function retract_page_tables_target(k: Kernel, as: AddressSpace, pgoff: number, head: number, task: Task, targetAddr: number): FileScan {
  k.tr.call('retract_page_tables');
  k.tr.walkBegin('retract_page_tables', as.id, pgoff, NR, head);
  let target: FileScan = 'fail', n = 0;
  for (const vma of eachMapper(as, pgoff)) {
    const c = retractCheck(vma, pgoff);
    const isTarget = vma.mm === task.mm && c.addr === targetAddr;
    if (c.skip) {
      k.tr.walkSkip(vma.mm.pid, vma.id, vma.label, c.skip);
      if (isTarget) target = c.scan;
      continue;
    }
    if (!isTarget) { k.tr.walkSkip(vma.mm.pid, vma.id, vma.label, 'not the caller: left to khugepaged (khugepaged_add_pte_mapped_thp)'); continue; }
    k.tr.walkVisit(vma.mm.pid, vma.id, vma.label, c.addr);
    if (freeTable(vma, c.addr)) n++;
    target = set_huge_pmd(k, task, vma, c.addr, head);
  }
  k.tr.walkEnd(n);
  return target;
}

// mm/khugepaged.c: set_huge_pmd() — do_set_pmd() with no fault flags (a read: the PMD has
// the VMA's protection, clean).
function set_huge_pmd(k: Kernel, task: Task, vma: Vma, haddr: number, head: number): FileScan {
  k.tr.call('set_huge_pmd');
  const vmf: VmFault = {
    vma, address: haddr, pgoff: linear_page_index(vma, haddr), flags: 0, task,
    origFlags: 0, origPfn: 0, page: head, cowPage: 0,
  };
  return do_set_pmd(k, vmf, head, false) ? 'fail' : 'succeed';
}

// mm/khugepaged.c: collapse_pte_mapped_thp(mm, addr, install_pmd = true) — the page cache
// already holds the PMD-size folio: every PTE of the range must be none or map its page
// (else SCAN_FAIL; a swap entry SCAN_PTE_NON_PRESENT); those PTEs are cleared, the table
// freed and the THP mapped by a PMD. No table under a present PMD level: the PMD alone.
export function collapse_pte_mapped_thp(k: Kernel, task: Task, addr: number, allowed: (vma: Vma) => boolean): FileScan {
  const mm = task.mm, m = k.memmap;
  const haddr = addr - (addr % PMD_SIZE);
  k.tr.call('collapse_pte_mapped_thp');
  const vma = mm.vma_lookup(haddr);
  if (!vma || !vma.file || haddr + PMD_SIZE > vma.end) return 'vma_check';
  let r = find_pmd_or_thp_or_none(vma, haddr);
  if (r === 'pmd_mapped') return r;
  if (!allowed(vma)) return 'vma_check';
  const head = vma.file.folioAt(linear_page_index(vma, haddr));
  if (!head) return 'page_null';
  if (m.order[head] !== HPAGE_PMD_ORDER) return 'page_compound';
  r = find_pmd_or_thp_or_none(vma, haddr);
  if (r === 'succeed') {
    for (let i = 0; i < NR; i++) {
      const a = haddr + i * 4096, f = mm.pteFlags(a), p = mm.ptePfn(a);
      if (pte_none(f, p)) continue;
      if (!pte_present(f)) return 'pte_non_present';
      if (vm_normal_page(k, vma, f, p) !== head + i) return 'fail';
    }
    for (let i = 0; i < NR; i++) {
      const a = haddr + i * 4096, f = mm.pteFlags(a), p = mm.ptePfn(a);
      if (pte_none(f, p)) continue;
      mm.setPte(a, 0, 0, 'collapse_pte_mapped_thp: page table retracted');
      folio_remove_rmap_pte(k, p, vma);
    }
    freeTable(vma, haddr);
  } else if (r !== 'pmd_none') return r;
  return set_huge_pmd(k, task, vma, haddr, head);
}
