// mm/madvise.c + mm/huge_memory.c: madvise(2) with the large-folio advices.
// MADV_HUGEPAGE / MADV_NOHUGEPAGE: hugepage_madvise() sets VM_HUGEPAGE (clearing
// VM_NOHUGEPAGE) or the reverse, on the range's VMAs (madviseFlags.ts). MADV_COLLAPSE:
// madvise_collapse() (mm/khugepaged.c, 6.1+) for anonymous VMAs here, for shmem in
// collapseFile.ts; regular files are refused (no READ_ONLY_THP_FOR_FS).

import type { Kernel, Task } from './kernel';
import { VM_NOHUGEPAGE, VM_SPECIAL, VM_WRITE, type Vma } from './vma';
import { madvise_flags } from './madviseFlags';
import { thpVmaSuitableOrder, vmaIsAnonymous } from './thp';
import { collapse_pte_mapped_thp, hpage_collapse_scan_file, type FileScan } from './collapseFile';
import { HPAGE_PMD_ORDER, PageKind, ZERO_PFN } from './memmap';
import { pte_mkdirty, pte_mkwrite, pte_none, pte_present, pte_special, pte_write } from './pte';
import { anonVmaPrepare } from './anonVma';
import { folio_add_new_anon_rmap_large, folio_remove_rmap_pte } from './rmapCounts';
import { vm_normal_page } from './memory';

export type ThpAdvice = 'hugepage' | 'nohugepage' | 'collapse';

export type ThpMadviseResult = { ok: true } | { ok: false; errno: 'ENOMEM' | 'EINVAL' | 'EAGAIN'; why: string };
type CollapseResult = ThpMadviseResult;

export function madvise_thp(k: Kernel, task: Task, start: number, end: number, advice: ThpAdvice): ThpMadviseResult {
  if (advice === 'collapse') return madvise_collapse(k, task, start, end);
  return madvise_flags(k, task, start, end, advice);
}

type Scan = 'succeed' | 'pmd_mapped' | 'pmd_null' | 'page_null' | 'page_ro' | 'page_anon';
type Result = Scan | FileScan;

// mm/khugepaged.c: madvise_collapse_errno() — the scan result of the last failed range.
// (SCAN_EXCEED_NONE_PTE → EBUSY and SCAN_PAGE_FILLED → EAGAIN, added after 6.1, come only
// from userfaultfd and races, which the model does not have.)
function madvise_collapse_errno(r: Result | undefined): 'EAGAIN' | 'EINVAL' {
  return r === 'page_count' || r === 'page_lru' || r === 'del_page_lru' ? 'EAGAIN' : 'EINVAL';
}

// The results after which madvise_collapse() goes on to the next range ("whitelisted");
// any other failure ends the call.
const GO_ON: ReadonlySet<Result> = new Set<Result>(['pmd_null', 'pte_non_present', 'page_ro', 'page_null', 'page_count', 'page_compound', 'page_lru', 'del_page_lru']);

const WHY: Partial<Record<Result, string>> = {
  pmd_null: 'no page table there (SCAN_PMD_NULL)', pmd_none: 'no page table under the PMD (SCAN_PMD_NONE)',
  page_ro: 'no writable PTE in the range (SCAN_PAGE_RO)', page_null: 'a PTE without a normal page (SCAN_PAGE_NULL)',
  page_anon: 'an anonymous page or anon_vma in the way (SCAN_PAGE_ANON)', page_compound: 'a large folio smaller than PMD size in the range (SCAN_PAGE_COMPOUND)',
  page_lru: 'a folio off the LRU (SCAN_PAGE_LRU)', del_page_lru: 'a folio that could not be isolated (SCAN_DEL_PAGE_LRU)',
  page_count: 'a folio with an extra reference (SCAN_PAGE_COUNT)', truncated: 'nothing in the page cache over the whole range (SCAN_TRUNCATED)',
  vma_check: 'the VMA does not allow a PMD mapping there (SCAN_VMA_CHECK)', pte_non_present: 'a non-present PTE in the range (SCAN_PTE_NON_PRESENT)',
  fail: 'a PTE maps another page, or the PMD could not be installed (SCAN_FAIL)',
  beyond_object: 'not modelled by mmscope: the 2 MiB range runs past the end of the shmem object',
};

// mm/huge_memory.c: hugepage_vma_check(vma, vm_flags, false, false, false) (6.12:
// thp_vma_allowable_order() without TVA_ENFORCE_SYSFS): the sysfs knobs do not count.
// VM_NOHUGEPAGE and VM_NO_KHUGEPAGED (PFN maps, VM_IO/MIXEDMAP) refuse the VMA; it must hold
// a PMD-aligned 2 MiB range (transhuge_vma_suitable at vm_end - HPAGE_PMD_SIZE); shmem:
// shmem_is_huge() / shmem_allowable_huge_orders() with shmem_huge_force, refused only by
// shmem_enabled deny; a regular file needs CONFIG_READ_ONLY_THP_FOR_FS (file_thp_enabled),
// not set in Debian's 6.1 and 6.12 configs nor by default; anonymous: an anon_vma.
function collapseRefusal(k: Kernel, vma: Vma): string | undefined {
  if (vma.has(VM_NOHUGEPAGE)) return 'VM_NOHUGEPAGE';
  if (vma.has(VM_SPECIAL)) return 'a PFN or I/O mapping (VM_NO_KHUGEPAGED)';
  if (!thpVmaSuitableOrder(vma, vma.end - 2 ** 21, HPAGE_PMD_ORDER)) return 'no PMD-aligned 2 MiB range in the VMA (transhuge_vma_suitable)';
  if (vmaIsAnonymous(vma)) return vma.anonVma ? undefined : 'no anon_vma yet (nothing faulted in)';
  if (vma.file?.kind === 'shmem') return k.thp.shmemEnabled === 'deny' ? 'shmem_enabled is deny (shmem_is_huge)' : undefined;
  return 'CONFIG_READ_ONLY_THP_FOR_FS is not set (Debian\'s config and the Kconfig default): only anonymous and shmem memory collapse (file_thp_enabled)';
}

// mm/khugepaged.c: madvise_collapse(), one call per VMA of the range (madvise_walk_vmas
// stops at the first error; a hole in the range gives ENOMEM at the end). Every
// PMD-aligned 2 MiB range inside the VMA is scanned and collapsed ignoring the sysfs knobs
// and khugepaged's limits (max_ptes_none, max_ptes_shared, referenced).
// Anonymous (hpage_collapse_scan_pmd, collapse_huge_page): an already PMD-mapped range
// counts as done; no page table (SCAN_PMD_NULL), no writable PTE (SCAN_PAGE_RO) or a PTE
// without a normal page leave that range and the call ends with EINVAL; a non-anon page
// stops it. A collapse copies every page into a new PMD-size anon folio (none and
// zero-page PTEs read as zeros), unmaps the old PTEs (other processes keep theirs) and
// maps the folio by one PMD, dirty and writable (VM_WRITE), exclusive.
// Shmem: hpage_collapse_scan_file → collapse_file (collapseFile.ts); a range whose folio
// is already PMD-size (SCAN_PTE_MAPPED_HUGEPAGE) goes to collapse_pte_mapped_thp().
function madvise_collapse(k: Kernel, task: Task, start: number, end: number): CollapseResult {
  const vmas = task.mm.overlapping(start, end);
  if (!vmas.length) return { ok: false, errno: 'ENOMEM', why: 'ENOMEM: range not mapped' };
  let covered = start;
  for (const vma of vmas) {
    if (vma.start > covered) covered = -1;
    else if (covered >= 0) covered = vma.end;
    k.tr.call('madvise_collapse');
    const refusal = collapseRefusal(k, vma);
    if (refusal) return { ok: false, errno: 'EINVAL', why: `EINVAL: ${refusal} (hugepage_vma_check)` };
    const r = collapseVma(k, task, vma, Math.max(start, vma.start), Math.min(end, vma.end));
    if (!r.ok) return r;
  }
  if (covered < end) return { ok: false, errno: 'ENOMEM', why: 'ENOMEM: range not fully mapped' };
  return { ok: true };
}

function collapseVma(k: Kernel, task: Task, vma: Vma, start: number, end: number): CollapseResult {
  const size = 2 ** 21;
  const hstart = Math.ceil(start / size) * size, hend = Math.floor(end / size) * size;
  let thps = 0, total = 0;
  let lastFail: Result | undefined;
  const allowed = (v: Vma): boolean => !collapseRefusal(k, v);
  for (let addr = hstart; addr < hend; addr += size) {
    total++;
    let r: Result;
    if (vmaIsAnonymous(vma)) {
      r = scanPmd(k, vma, addr);
      if (r === 'succeed') collapseHugePage(k, vma, addr);
    } else {
      r = hpage_collapse_scan_file(k, task, vma, addr);
      if (r === 'pte_mapped_hugepage') r = collapse_pte_mapped_thp(k, task, addr, allowed);
    }
    if (r === 'succeed' || r === 'pmd_mapped') { thps++; continue; }
    lastFail = r;
    if (!GO_ON.has(r)) break;
  }
  if (thps === total) return { ok: true };
  const errno = madvise_collapse_errno(lastFail);
  return { ok: false, errno, why: `${errno}: ${WHY[lastFail!] ?? lastFail}` };
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
