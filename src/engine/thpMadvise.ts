// mm/madvise.c + mm/huge_memory.c: madvise(2) with the large-folio advices.
// MADV_HUGEPAGE / MADV_NOHUGEPAGE: hugepage_madvise() sets VM_HUGEPAGE (clearing
// VM_NOHUGEPAGE) or the reverse, on the range's VMAs (madviseFlags.ts). MADV_COLLAPSE:
// madvise_collapse() for anonymous VMAs (mm/khugepaged.c, 6.1+); file and shmem collapse
// (collapse_file) is not modelled.

import type { Kernel, Task } from './kernel';
import { VM_NOHUGEPAGE, VM_WRITE, type Vma } from './vma';
import { madvise_flags } from './madviseFlags';
import { vmaIsAnonymous } from './thp';
import { HPAGE_PMD_ORDER, PageKind, ZERO_PFN } from './memmap';
import { pte_mkdirty, pte_mkwrite, pte_none, pte_present, pte_special, pte_write } from './pte';
import { anonVmaPrepare } from './anonVma';
import { folio_add_new_anon_rmap_large, folio_remove_rmap_pte } from './rmapCounts';
import { vm_normal_page } from './memory';

export type ThpAdvice = 'hugepage' | 'nohugepage' | 'collapse';

export type ThpMadviseResult = { ok: true } | { ok: false; errno: 'ENOMEM' | 'EINVAL'; why: string };
type CollapseResult = ThpMadviseResult;

export function madvise_thp(k: Kernel, task: Task, start: number, end: number, advice: ThpAdvice): ThpMadviseResult {
  if (advice === 'collapse') return madvise_collapse(k, task, start, end);
  return madvise_flags(k, task, start, end, advice);
}

type Scan = 'succeed' | 'pmd_mapped' | 'pmd_null' | 'page_null' | 'page_ro' | 'page_anon';

// mm/khugepaged.c: madvise_collapse() — every PMD-aligned 2 MiB range inside the VMA is
// scanned (hpage_collapse_scan_pmd) and collapsed (collapse_huge_page) ignoring the sysfs
// knobs and khugepaged's limits (max_ptes_none, max_ptes_shared, referenced): an
// already PMD-mapped range counts as done; no page table (SCAN_PMD_NULL), no writable PTE
// (SCAN_PAGE_RO) or a PTE without a normal page leave that range and the call ends with
// EINVAL (madvise_collapse_errno); a non-anon page stops it. A collapse copies every page
// into a new PMD-size anon folio (none and zero-page PTEs read as zeros), unmaps the old
// PTEs (other processes keep theirs) and maps the folio by one PMD, dirty and writable
// (VM_WRITE), exclusive. thp_vma_allowable_order() without TVA_ENFORCE_SYSFS: VM_NOHUGEPAGE
// refuses the VMA with EINVAL.
function madvise_collapse(k: Kernel, task: Task, start: number, end: number): CollapseResult {
  const vmas = task.mm.overlapping(start, end);
  if (!vmas.length) return { ok: false, errno: 'ENOMEM', why: 'ENOMEM: range not mapped' };
  let total = 0, thps = 0;
  let lastFail: Scan | undefined;
  for (const vma of vmas) {
    k.tr.call('madvise_collapse');
    if (!vmaIsAnonymous(vma)) return { ok: false, errno: 'EINVAL', why: 'EINVAL: MADV_COLLAPSE of file or shmem memory (collapse_file) is not modelled by mmscope' };
    if (vma.has(VM_NOHUGEPAGE)) return { ok: false, errno: 'EINVAL', why: 'EINVAL: VM_NOHUGEPAGE (thp_vma_allowable_order)' };
    const size = 2 ** 21;
    const hstart = Math.ceil(Math.max(start, vma.start) / size) * size, hend = Math.floor(Math.min(end, vma.end) / size) * size;
    for (let addr = hstart; addr < hend; addr += size) {
      total++;
      const r = scanPmd(k, vma, addr);
      if (r === 'pmd_mapped') { thps++; continue; }
      if (r === 'page_anon') return { ok: false, errno: 'EINVAL', why: 'EINVAL: a page that is not anonymous (SCAN_PAGE_ANON)' };
      if (r !== 'succeed') { lastFail = r; continue; }
      collapseHugePage(k, vma, addr);
      thps++;
    }
  }
  if (thps === total) return { ok: true };
  const why = lastFail === 'pmd_null' ? 'no page table there (SCAN_PMD_NULL)' : lastFail === 'page_ro' ? 'no writable PTE in the range (SCAN_PAGE_RO)' : 'a PTE without a normal page (SCAN_PAGE_NULL)';
  return { ok: false, errno: 'EINVAL', why: `EINVAL: ${why}` };
}

// mm/khugepaged.c: hpage_collapse_scan_pmd() with MADV_COLLAPSE's collapse_control.
function scanPmd(k: Kernel, vma: Vma, addr: number): Scan {
  const mm = vma.mm;
  const t = mm.pt.lookup(addr);
  if (!t) return 'pmd_null';
  if (t.leaf) return 'pmd_mapped';
  let writable = false;
  for (let i = 0; i < 512; i++) {
    const flags = t.flags[i], pfn = t.pfn[i];
    if (pte_none(flags, pfn) || pfn === ZERO_PFN) continue;
    if (!pte_present(flags)) return 'page_null';
    const page = pte_special(flags) ? 0 : vm_normal_page(k, vma, flags, pfn);
    if (!page) return 'page_null';
    if (!k.memmap.folioTestAnon(page)) return 'page_anon';
    if (pte_write(flags)) writable = true;
  }
  return writable ? 'succeed' : 'page_ro';
}

// mm/khugepaged.c: collapse_huge_page() → __collapse_huge_page_copy(): the new folio, the
// old PTEs cleared and their pages' rmap dropped, then set_pmd_at() of the new THP.
function collapseHugePage(k: Kernel, vma: Vma, haddr: number): void {
  const mm = vma.mm;
  k.tr.call('madvise_collapse: collapse_huge_page');
  anonVmaPrepare(vma);
  const head = k.memmap.allocFolio(HPAGE_PMD_ORDER, PageKind.Anon);
  for (let i = 0; i < 512; i++) {
    const a = haddr + i * 4096, flags = mm.pteFlags(a), pfn = mm.ptePfn(a);
    if (pte_none(flags, pfn)) continue;
    const page = pte_special(flags) ? 0 : vm_normal_page(k, vma, flags, pfn);
    mm.setPte(a, 0, 0, 'collapse_huge_page: __collapse_huge_page_copy');
    if (page) { k.memmap.written[head + i] = k.memmap.written[page]; folio_remove_rmap_pte(k, page, vma); }
  }
  folio_add_new_anon_rmap_large(k, head, vma, haddr, true);
  let entry = pte_mkdirty(vma.pageProt);
  if (vma.has(VM_WRITE)) entry = pte_mkwrite(entry);
  mm.setPmd(haddr, entry, head, 'collapse_huge_page: set_pmd_at');
}
