// mm/memory.c and arch/x86/mm/fault.c: the page-fault paths (≈6.1–6.17; where versions
// differ the profile says so), the hardware access that needs no fault, zap.

import { holdersNoteWrite } from './pageHolders';
import type { Kernel, Task } from './kernel';
import {
  _PAGE_PRESENT, _PAGE_RW, _PAGE_USER, _PAGE_ACCESSED, _PAGE_DIRTY, X86_PF_PROT, X86_PF_USER, X86_PF_WRITE,
  pte_mkdirty, pte_mkspecial, pte_mkwrite, pte_mkyoung, pte_none, pte_present, pte_special, pte_write,
  pte_protnone, _PAGE_SOFT_DIRTY,
} from './pte';
import { HPAGE_PMD_ORDER, MAX_MEMMAP_PFN, type Memmap, PG_allocated, PageKind, PG_anon_exclusive, PG_dirty, PG_locked, PG_readahead, PG_swapcache, PG_uptodate, ZERO_PFN } from './memmap';
import {
  FAULT_FLAG_MKWRITE, FAULT_FLAG_TRIED, FAULT_FLAG_UNSHARE, FAULT_FLAG_USER, FAULT_FLAG_WRITE, VM_FAULT_DONE_COW, VM_FAULT_ERROR,
  VM_FAULT_LOCKED, VM_FAULT_MAJOR, VM_FAULT_NOPAGE, VM_FAULT_OOPS, VM_FAULT_RETRY, VM_FAULT_SIGBUS,
  VM_FAULT_SIGSEGV, VM_FAULT_FALLBACK, VmFault,
} from './vmOps';
import { VM_EXEC, VM_MAYSHARE, VM_MIXEDMAP, VM_READ, VM_SHARED, VM_WRITE, Vma, linear_page_index } from './vma';
import { anonVmaPrepare } from './anonVma';
import { folio_add_file_rmap_pte, folio_add_new_anon_rmap, folio_add_new_anon_rmap_large, folio_remove_rmap_pte } from './rmapCounts';
import {
  __split_huge_pmd, do_huge_pmd_anonymous_page, do_huge_pmd_wp_page, do_set_pmd, huge_pmd_set_accessed,
  pmdHugeFaultAllowed, zap_huge_pmd,
} from './hugeMemory';
import { PMD_ORDER, highest_order, next_order, thpAnonAllowableOrders, thpVmaSuitableOrders, vmaIsAnonymous } from './thp';
import { folio_mapcount } from './folio';
import { is_migration_pte, is_swap_slot_pte } from './swapEntry';
import { do_swap_page } from './swapin';
import { folio_free_swap, free_swap_and_cache } from './swap';
import { MM_SWAPENTS, type Mm } from './mm';

export type AccessResult = 'ok' | 'SIGSEGV' | 'SIGBUS' | 'oops';

/** How many times the CPU re-executes an access that keeps faulting before the engine
 *  reports a livelock (the kernel would loop forever, e.g. page_mkwrite retry on a
 *  folio with no mapping). */
const MAX_FAULTS_PER_ACCESS = 8;

/**
 * One user-mode access to the page at addr: the MMU uses a present PTE with enough
 * permission (setting ACCESSED, and DIRTY on a write, as the hardware does — never
 * SOFT_DIRTY); otherwise the CPU raises #PF, the kernel handles it, and the access is
 * re-executed.
 */
export function userAccess(k: Kernel, task: Task, addr: number, write: boolean): AccessResult {
  return userAccessRange(k, task, addr, 1, write);
}

/**
 * userAccess() to each of `count` pages from addr, in order (a range statement), stopping
 * after an oops or when the task is gone; returns the last page's result.
 *
 * A page whose present PTE already allows the access and has ACCESSED (and DIRTY on a
 * write) needs no fault and no PTE change: the access only stores to the page (a TLB hit
 * for the real CPU). Such pages are taken a PTE table (or PMD leaf) at a time and their
 * accesses traced as one run (Tracer.hwAccessRun): the same records, in the same order,
 * as userAccess() of each page.
 */
export function userAccessRange(k: Kernel, task: Task, addr: number, count: number, write: boolean): AccessResult {
  const mm = task.mm, memmap = k.memmap;
  const need = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | (write ? _PAGE_RW | _PAGE_DIRTY : 0);
  let last: AccessResult = 'ok';
  let faults = 0; // #PFs the access to page i has raised so far
  for (let i = 0; i < count;) {
    const a = addr + i * 4096;
    if (faults === MAX_FAULTS_PER_ACCESS) {
      k.tr.warn(`access at 0x${a.toString(16)} faulted ${MAX_FAULTS_PER_ACCESS} times without making progress (the kernel would keep faulting)`);
      last = 'ok'; i++; faults = 0;
      continue;
    }
    const t = mm.pt.lookup(a);
    const j0 = (a / 4096) % 512;
    if (t) {
      // the run of pages from here that need nothing but the store
      const F = t.flags, end = Math.min(512, j0 + (count - i));
      let j = j0;
      while (j < end && (F[j] & need) === need) j++;
      // the stores: written[] of each page with a struct page (pfn_valid)
      if (write && j > j0) { markWritten(memmap, t.pfn, j0, j); if (k.heldPfns.size) for (let x = j0; x < j; x++) holdersNoteWrite(k, t.pfn[x]); }
      if (j > j0) {
        k.tr.hwAccessRun(task.pid, a, j - j0, write);
        task.lastSignal = 'none';
        last = 'ok'; i += j - j0; faults = 0;
        continue;
      }
    }
    const flags = t ? t.flags[j0] : 0;
    const ok = (flags & _PAGE_PRESENT) !== 0 && (flags & _PAGE_USER) !== 0 && (!write || (flags & _PAGE_RW) !== 0);
    if (ok) {
      // the hardware sets ACCESSED (and DIRTY) in the PTE
      const pfn = t!.pfn[j0];
      mm.setPte(a, flags | _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0), pfn, write ? 'hardware write (A, D)' : 'hardware access (A)');
      k.tr.hwAccess(task.pid, a, write);
      if (write && memmap.pfnValid(pfn)) memmap.written[pfn] = 1;
      if (write && k.heldPfns.size) holdersNoteWrite(k, pfn);
      task.lastSignal = 'none';
      last = 'ok'; i++; faults = 0;
      continue;
    }
    const errorCode = ((flags & _PAGE_PRESENT) ? X86_PF_PROT : 0) | (write ? X86_PF_WRITE : 0) | X86_PF_USER;
    const r = do_user_addr_fault(k, task, a, errorCode);
    faults++;
    if (r !== 'ok') {
      last = r; i++; faults = 0;
      if (r === 'oops' || !task.alive) return r;
    }
    // else the access is re-executed
  }
  return last;
}

/** memmap.written of the pages P[from..to) that have a struct page (pfn_valid()). */
function markWritten(memmap: Memmap, P: Uint32Array, from: number, to: number): void {
  const written = memmap.written, flags = memmap.flags, lim = Math.min(MAX_MEMMAP_PFN, flags.length);
  for (let j = from; j < to; j++) {
    const pfn = P[j];
    if (pfn < lim && (flags[pfn] & PG_allocated) !== 0) written[pfn] = 1;
  }
}

// arch/x86/mm/fault.c: do_user_addr_fault() — find the VMA, access_error(), then
// handle_mm_fault(), retrying with FAULT_FLAG_TRIED after VM_FAULT_RETRY.
function do_user_addr_fault(k: Kernel, task: Task, addr: number, errorCode: number): AccessResult {
  const tr = k.tr;
  tr.faultBegin(task.pid, addr, errorCode);
  tr.call('do_user_addr_fault');
  const vma = task.mm.vma_lookup(addr);
  if (!vma) {
    tr.call('bad_area');
    return raise(k, task, addr, 'SIGSEGV');
  }
  if (access_error(errorCode, vma)) {
    tr.call('bad_area_access_error');
    return raise(k, task, addr, 'SIGSEGV');
  }
  let flags = FAULT_FLAG_USER | (errorCode & X86_PF_WRITE ? FAULT_FLAG_WRITE : 0);
  for (;;) {
    const ret = handle_mm_fault(k, task, vma, addr, flags);
    mm_account_fault(k, task, flags, ret);
    if (ret & VM_FAULT_RETRY) {
      // Before 6.7 every retry carries FAULT_FLAG_TRIED. From 6.7 file read faults run
      // first under the per-VMA lock and the fallback under mmap_lock adds TRIED only
      // when VM_FAULT_MAJOR was set ("fix major fault accounting when retrying under
      // per-VMA lock"); see docs/kernel-findings.md.
      if (!k.profile.has('vma-lock-retry-minor') || (ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED)) {
        tr.call('do_user_addr_fault: VM_FAULT_RETRY → retry with FAULT_FLAG_TRIED');
        flags |= FAULT_FLAG_TRIED;
      } else tr.call('do_user_addr_fault: VM_FAULT_RETRY → retry under mmap_lock');
      continue;
    }
    if (ret & VM_FAULT_OOPS) {
      tr.faultEnd(task.pid, addr, 'oops');
      return 'oops';
    }
    if (ret & VM_FAULT_SIGBUS) { tr.call('do_sigbus'); return raise(k, task, addr, 'SIGBUS'); }
    if (ret & VM_FAULT_SIGSEGV) return raise(k, task, addr, 'SIGSEGV');
    tr.faultEnd(task.pid, addr, (ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED) ? 'major' : 'minor');
    return 'ok';
  }
}

function raise(k: Kernel, task: Task, addr: number, sig: 'SIGSEGV' | 'SIGBUS'): AccessResult {
  task.lastSignal = sig;
  k.tr.faultEnd(task.pid, addr, sig === 'SIGSEGV' ? 'sigsegv' : 'sigbus');
  k.tr.signal(task.pid, sig);
  return sig;
}

// arch/x86/mm/fault.c: access_error()
function access_error(errorCode: number, vma: Vma): boolean {
  if (errorCode & X86_PF_WRITE) return !vma.has(VM_WRITE);
  if (errorCode & X86_PF_PROT) return true; // read fault on a present PTE: protection keys
  return !vma.has(VM_READ | VM_WRITE | VM_EXEC); // !vma_is_accessible()
}

/**
 * mm/gup.c: faultin_page() → handle_mm_fault() for get_user_pages (MADV_POPULATE_*): no
 * FAULT_FLAG_USER, no signal; counted in the task's fault counters like any fault
 * (mm_account_fault() counts before it looks at regs). `unshare`: follow_page_mask() said
 * -EMLINK (gup_must_unshare), so the fault is FAULT_FLAG_UNSHARE (never with WRITE).
 * Returns the VM_FAULT_* bits.
 */
export function gup_fault(k: Kernel, task: Task, vma: Vma, addr: number, write: boolean, unshare = false): number {
  const tr = k.tr;
  tr.faultBegin(task.pid, addr, write ? X86_PF_WRITE : 0);
  tr.call('faultin_page');
  let flags = write ? FAULT_FLAG_WRITE : unshare ? FAULT_FLAG_UNSHARE : 0;
  for (;;) {
    const ret = handle_mm_fault(k, task, vma, addr, flags);
    mm_account_fault(k, task, flags, ret);
    if (ret & VM_FAULT_RETRY) { flags |= FAULT_FLAG_TRIED; continue; }
    tr.faultEnd(task.pid, addr, ret & VM_FAULT_SIGBUS ? 'sigbus' : ret & VM_FAULT_SIGSEGV ? 'sigsegv' : ret & VM_FAULT_OOPS ? 'oops'
      : (ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED) ? 'major' : 'minor');
    return ret;
  }
}

/**
 * mm/gup.c: __get_user_pages() for one page: follow_page_mask() finds a present PTE that
 * allows the access (a write needs a writable one: can_follow_write_pte without FOLL_FORCE),
 * else faultin_page() and again. Returns 0 once the PTE allows it, the fault's
 * VM_FAULT_ERROR bits (the caller turns them into its errno), or -1 when four rounds did not
 * get there.
 */
export function gup_follow(k: Kernel, task: Task, vma: Vma, addr: number, write: boolean): number {
  for (let n = 0; n < 4; n++) {
    const f = task.mm.pteFlags(addr);
    if (pte_present(f) && (!write || pte_write(f))) return 0;
    const ret = gup_fault(k, task, vma, addr, write);
    if (ret & VM_FAULT_ERROR) return ret & VM_FAULT_ERROR;
  }
  return -1;
}

// mm/memory.c: mm_account_fault() — RETRY is accounted on completion, errors never;
// major iff VM_FAULT_MAJOR or a FAULT_FLAG_TRIED retry.
function mm_account_fault(k: Kernel, task: Task, flags: number, ret: number): void {
  if (ret & VM_FAULT_RETRY) return;
  if (ret & VM_FAULT_ERROR) return;
  if ((ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED)) task.majFlt++;
  else task.minFlt++;
}

// mm/memory.c: handle_mm_fault() → __handle_mm_fault() → handle_pte_fault()
function handle_mm_fault(k: Kernel, task: Task, vma: Vma, addr: number, flags: number): number {
  const mm = task.mm;
  const t = mm.pt.lookup(addr), ti = (addr / 4096) % 512;
  const vmf: VmFault = {
    vma, address: addr, pgoff: linear_page_index(vma, addr), flags, task,
    origFlags: t ? t.flags[ti] : 0, origPfn: t ? t.pfn[ti] : 0, page: 0, cowPage: 0,
  };
  k.tr.call('handle_mm_fault');
  // __handle_mm_fault(): the PMD level first. pmd_none (no PTE table): an anonymous VMA
  // that may have a PMD THP tries create_huge_pmd(); a PMD leaf takes the huge paths.
  if (!t && pmdHugeFaultAllowed(k, vma)) {
    k.tr.call('create_huge_pmd');
    const ret = do_huge_pmd_anonymous_page(k, vmf);
    if (!(ret & VM_FAULT_FALLBACK)) return ret;
  } else if (t?.leaf) {
    if ((flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) && !pte_write(vmf.origFlags)) {
      // wp_huge_pmd(): anonymous → do_huge_pmd_wp_page(); a file/shmem PMD (no
      // ->huge_fault in the model's filesystems) is split — zapped — and the PTE level
      // handles the write (do_shared_fault → finish_fault → do_set_pmd again).
      k.tr.call('wp_huge_pmd');
      const ret = vmaIsAnonymous(vma) ? do_huge_pmd_wp_page(k, vmf)
        : (__split_huge_pmd(k, vma, addr - (addr % 2 ** 21), 'wp_huge_pmd: write-notify or COW on the PTE level'), VM_FAULT_FALLBACK);
      if (!(ret & VM_FAULT_FALLBACK)) return ret;
      // split: handle_pte_fault() on the new PTE
      vmf.origFlags = mm.pteFlags(addr); vmf.origPfn = mm.ptePfn(addr);
    } else {
      huge_pmd_set_accessed(k, vmf);
      return 0;
    }
  }
  if (pte_none(vmf.origFlags, vmf.origPfn)) {
    // do_pte_missing()
    if (!vma.ops) return do_anonymous_page(k, vmf);
    return do_fault(k, vmf);
  }
  if (!pte_present(vmf.origFlags)) {
    if (is_swap_slot_pte(vmf.origFlags)) {
      const ret = do_swap_page(k, vmf);
      if (ret & VM_FAULT_ERROR) return ret;
      // a write fault do_swap_page() did not resolve: do_wp_page() on the new PTE
      if (vmf.flags & FAULT_FLAG_WRITE) {
        vmf.origFlags = mm.pteFlags(addr); vmf.origPfn = mm.ptePfn(addr);
        if (!pte_write(vmf.origFlags)) return ret | do_wp_page(k, vmf);
      }
      return ret;
    }
    // a migration entry exists only inside `migrate` (migration_entry_wait); others are not modelled
    k.tr.call(is_migration_pte(vmf.origFlags) ? 'handle_pte_fault: migration entry' : 'handle_pte_fault: non-present entry not modelled');
    return VM_FAULT_SIGBUS;
  }
  if (pte_protnone(vmf.origFlags)) return VM_FAULT_SIGSEGV; // do_numa_page: not modelled
  let entry = vmf.origFlags;
  if (flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) {
    if (!pte_write(entry)) return do_wp_page(k, vmf);
    if (flags & FAULT_FLAG_WRITE) entry = pte_mkdirty(entry);
  }
  entry = pte_mkyoung(entry);
  if (entry !== vmf.origFlags) mm.setPte(addr, entry, vmf.origPfn, 'handle_pte_fault: ptep_set_access_flags');
  else k.tr.call('handle_pte_fault: spurious fault');
  return 0;
}

// include/linux/mm.h: maybe_mkwrite()
export function maybe_mkwrite(flags: number, vma: Vma): number { return vma.has(VM_WRITE) ? pte_mkwrite(flags) : flags; }

// mm/memory.c: do_anonymous_page() — zero page on read, a new exclusive anon folio on write.
function do_anonymous_page(k: Kernel, vmf: VmFault): number {
  const { vma, address } = vmf;
  k.tr.call('do_anonymous_page');
  if (vma.has(VM_SHARED)) return VM_FAULT_SIGBUS;
  if (!(vmf.flags & FAULT_FLAG_WRITE)) {
    // Use the zero-page for reads: pte_mkspecial(pfn_pte(my_zero_pfn(), vm_page_prot)).
    vma.mm.setPte(address, pte_mkspecial(vma.pageProt), ZERO_PFN, 'do_anonymous_page: zero page');
    return 0;
  }
  anonVmaPrepare(vma);
  const order = alloc_anon_folio(k, vmf);
  let entry = vma.pageProt;
  if (vma.has(VM_WRITE)) entry = pte_mkwrite(pte_mkdirty(entry));
  if (order) {
    // folio_add_new_anon_rmap() + set_ptes() over the aligned range, nr_pages PTEs
    const nr = 1 << order, addr = Math.floor(address / (nr * 4096)) * nr * 4096;
    const head = k.memmap.allocFolio(order, PageKind.Anon);
    folio_add_new_anon_rmap_large(k, head, vma, addr, false);
    vma.mm.setPtes(addr, nr, entry, head, ANON_FOLIO_WHY[order] ??= `do_anonymous_page: new anon folio, order ${order}`);
    return 0;
  }
  const pfn = k.memmap.allocPage(PageKind.Anon);
  folio_add_new_anon_rmap(k, pfn, vma, address);
  vma.mm.setPte(address, entry, pfn, 'do_anonymous_page: new anon folio');
  return 0;
}

/** the reasons of do_anonymous_page's set_ptes() by order (one string each, interned once) */
const ANON_FOLIO_WHY: string[] = [];

// mm/memory.c: alloc_anon_folio() (6.8+) — the large orders below PMD_ORDER enabled for
// the VMA (thp_vma_allowable_orders) whose naturally aligned range lies inside it
// (thp_vma_suitable_orders); the highest whose range in the PTE table is all pte_none;
// else order 0. Returns the order.
function alloc_anon_folio(k: Kernel, vmf: VmFault): number {
  if (!k.profile.has('anon-mthp')) return 0;
  const vma = vmf.vma, mm = vma.mm;
  let orders = thpAnonAllowableOrders(k, vma, (1 << PMD_ORDER) - 1);
  orders = thpVmaSuitableOrders(vma, vmf.address, orders);
  if (!orders) return 0;
  k.tr.call('alloc_anon_folio');
  for (let o = highest_order(orders); o; o = next_order(orders, o)) {
    const nr = 1 << o, addr = Math.floor(vmf.address / (nr * 4096)) * nr * 4096;
    if (pte_range_none(mm, addr, nr)) return o;
  }
  return 0;
}

// mm/memory.c: pte_range_none() — nr PTEs from addr (inside one PTE table) all pte_none.
function pte_range_none(mm: Mm, addr: number, nr: number): boolean {
  const t = mm.pt.lookup(addr);
  if (!t) return true;
  const F = t.flags, P = t.pfn, i0 = (addr / 4096) % 512;
  for (let i = i0; i < i0 + nr; i++) if (F[i] !== 0 || P[i] !== 0) return false;
  return true;
}

// mm/memory.c: do_fault() — branches on VM_SHARED (not VM_MAYSHARE).
function do_fault(k: Kernel, vmf: VmFault): number {
  if (!(vmf.flags & FAULT_FLAG_WRITE)) return do_read_fault(k, vmf);
  if (!vmf.vma.has(VM_SHARED)) return do_cow_fault(k, vmf);
  return do_shared_fault(k, vmf);
}

// mm/memory.c: should_fault_around()
function should_fault_around(k: Kernel, vmf: VmFault): boolean {
  return !!vmf.vma.ops?.mapPages && (k.faultAroundBytes >> 12) > 1;
}

// mm/memory.c: do_read_fault()
function do_read_fault(k: Kernel, vmf: VmFault): number {
  k.tr.call('do_read_fault');
  if (should_fault_around(k, vmf)) {
    const ret = do_fault_around(k, vmf);
    if (ret) return ret;
  }
  let ret = __do_fault(k, vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) return ret;
  ret |= finish_fault(k, vmf);
  unlockPage(k, vmf.page);
  return ret;
}

// mm/memory.c: do_fault_around() — the window of fault_around_bytes aligned by PTE index
// (virtual address), clipped to the VMA and to the PTE table.
function do_fault_around(k: Kernel, vmf: VmFault): number {
  const nrPages = k.faultAroundBytes >> 12;
  const pteOff = (vmf.address / 4096) % 512;
  const vmaOff = vmf.pgoff - vmf.vma.pgoff;
  const fromPte = Math.max(pteOff - (pteOff % nrPages), pteOff - Math.min(pteOff, vmaOff));
  const toPte = Math.min(fromPte + nrPages, 512, pteOff + vmf.vma.pages - vmaOff) - 1;
  k.tr.call('do_fault_around');
  return filemap_map_pages(k, vmf, vmf.pgoff + fromPte - pteOff, vmf.pgoff + toPte - pteOff);
}

// mm/filemap.c: filemap_map_pages() + next_uptodate_folio(): map every cached neighbour
// that is uptodate, unlocked, not PG_readahead and inside i_size, read-only by prot,
// young (x86 does not want old prefaulted PTEs); NOPAGE if the faulting page got mapped.
function filemap_map_pages(k: Kernel, vmf: VmFault, start: number, end: number): number {
  const vma = vmf.vma, as = vma.file!, mm = k.memmap;
  const fileEnd = as.sizePages - 1;
  if (end > fileEnd) end = fileEnd;
  k.tr.call('filemap_map_pages');
  let ret = 0;
  // filemap_map_pmd(): the first folio, PMD-size, with pmd_none → do_set_pmd()
  const first = as.folioAt(start);
  if (first && mm.order[first] >= HPAGE_PMD_ORDER && !vma.mm.pt.lookup(vmf.address) &&
    mm.folioTest(first, PG_uptodate) && !mm.folioTest(first, PG_locked)) {
    if (!(do_set_pmd(k, vmf, mm.head(first), false) & VM_FAULT_FALLBACK)) return VM_FAULT_NOPAGE;
  }
  if (vma.mm.isPmdMapped(vmf.address)) return VM_FAULT_NOPAGE;
  for (let index = start; index <= end; index++) {
    const pfn = as.folioAt(index);
    if (!pfn) continue;
    const f = mm.flags[mm.head(pfn)];
    if (f & PG_locked) continue;
    if (!(f & PG_uptodate) || (f & PG_readahead)) continue;
    const addr = vma.start + (index - vma.pgoff) * 4096;
    if (!pte_none(vma.mm.pteFlags(addr), vma.mm.ptePfn(addr))) continue;
    if (addr === vmf.address) ret = VM_FAULT_NOPAGE;
    set_pte_range(k, vmf, pfn, addr, false, addr === vmf.address ? 'filemap_map_pages' : 'filemap_map_pages (fault-around)');
  }
  return ret;
}

// mm/memory.c: __do_fault() — call ->fault; lock the page unless it came back locked.
function __do_fault(k: Kernel, vmf: VmFault): number {
  const ops = vmf.vma.ops!;
  k.tr.call('__do_fault');
  k.tr.call(ops.faultName);
  const ret = ops.fault(k, vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_DONE_COW)) return ret;
  if (!(ret & VM_FAULT_LOCKED)) lockPage(k, vmf.page);
  return ret;
}

function lockPage(k: Kernel, pfn: number): void { if (pfn && k.memmap.pfnValid(pfn)) k.memmap.flags[k.memmap.head(pfn)] |= PG_locked; }
function unlockPage(k: Kernel, pfn: number): void { if (pfn && k.memmap.pfnValid(pfn)) k.memmap.flags[k.memmap.head(pfn)] &= ~PG_locked; }

// mm/memory.c: set_pte_range() (do_set_pte() before 6.5): mk_pte with vm_page_prot;
// a write makes it dirty (and writable if VM_WRITE); from 6.16 ("mm: set the pte dirty
// if the folio is already dirty") a read fault makes a PTE that the prot already allows
// to write dirty when the folio is dirty (x86 ≤6.15: clean); rmap + RSS.
function set_pte_range(k: Kernel, vmf: VmFault, pfn: number, addr: number, write: boolean, why: string): void {
  const vma = vmf.vma;
  let entry = vma.pageProt;
  if (write) entry = maybe_mkwrite(pte_mkdirty(entry), vma);
  else if (k.profile.has('set-pte-dirty-if-folio-dirty') && pte_write(entry) && k.memmap.test(pfn, PG_dirty)) entry = pte_mkdirty(entry);
  if (write && !vma.has(VM_SHARED)) folio_add_new_anon_rmap(k, pfn, vma, addr);
  else folio_add_file_rmap_pte(k, pfn, vma);
  vma.mm.setPte(addr, entry, pfn, why);
}

// mm/memory.c: finish_fault() — install the PTE for vmf->page (or the COW page).
//
// Large folios: with pmd_none and a PMD-size page-cache folio, do_set_pmd() maps it by one
// PMD (when aligned); under a PMD leaf there is nothing to do. From 6.11 (`finish-fault-
// large-folio`) a shmem VMA maps every page of a large folio at once when the folio lies
// inside the VMA and the PTE table and all its PTEs are none; otherwise one page.
function finish_fault(k: Kernel, vmf: VmFault): number {
  const write = (vmf.flags & FAULT_FLAG_WRITE) !== 0;
  const cow = write && !vmf.vma.has(VM_SHARED);
  const pfn = cow ? vmf.cowPage : vmf.page;
  const vma = vmf.vma, mm = vma.mm, memmap = k.memmap;
  k.tr.call('finish_fault');
  if (!cow && pfn && memmap.order[pfn] >= HPAGE_PMD_ORDER && !mm.pt.lookup(vmf.address)) {
    if (!(do_set_pmd(k, vmf, memmap.head(pfn), write) & VM_FAULT_FALLBACK)) return 0;
  }
  if (mm.isPmdMapped(vmf.address)) return VM_FAULT_NOPAGE;
  if (!cow && pfn && memmap.order[pfn] && vma.file?.kind === 'shmem' && k.profile.has('finish-fault-large-folio')) {
    const head = memmap.head(pfn), nr = 1 << memmap.order[pfn], idx = pfn - head;
    const vmaOff = vmf.pgoff - vma.pgoff, pteOff = (vmf.address / 4096) % 512;
    if (vmaOff >= idx && vmaOff + (nr - idx) <= vma.pages && pteOff >= idx && pteOff + (nr - idx) <= 512) {
      const addr = vmf.address - idx * 4096;
      let none = true;
      for (let i = 0; i < nr && none; i++) none = pte_none(mm.pteFlags(addr + i * 4096), mm.ptePfn(addr + i * 4096));
      if (none) {
        for (let i = 0; i < nr; i++) set_pte_range(k, vmf, head + i, addr + i * 4096, write, `finish_fault: set_pte_range (${nr} pages)`);
        return 0;
      }
    }
  }
  if (!pte_none(mm.pteFlags(vmf.address), mm.ptePfn(vmf.address))) return VM_FAULT_NOPAGE;
  set_pte_range(k, vmf, pfn, vmf.address, write, 'finish_fault: set_pte_range');
  return 0;
}

// mm/memory.c: do_cow_fault() — private write: copy the object's page into a new anon
// folio; page_mkwrite is never called and the source page is never mapped.
function do_cow_fault(k: Kernel, vmf: VmFault): number {
  k.tr.call('do_cow_fault');
  anonVmaPrepare(vmf.vma);
  let ret = __do_fault(k, vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_DONE_COW)) return ret;
  vmf.cowPage = k.memmap.allocPage(PageKind.Anon);
  k.tr.call('copy_user_highpage');
  ret |= finish_fault(k, vmf);
  unlockPage(k, vmf.page);
  return ret;
}

// mm/memory.c: do_shared_fault() — ->fault, then ->page_mkwrite, then the PTE, then
// fault_dirty_shared_page().
function do_shared_fault(k: Kernel, vmf: VmFault): number {
  k.tr.call('do_shared_fault');
  let ret = __do_fault(k, vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) return ret;
  if (vmf.vma.ops?.pageMkwrite) {
    unlockPage(k, vmf.page);
    const tmp = do_page_mkwrite(k, vmf);
    if (!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) return tmp;
  }
  ret |= finish_fault(k, vmf);
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)) { unlockPage(k, vmf.page); return ret; }
  fault_dirty_shared_page(k, vmf);
  return ret;
}

// mm/memory.c: do_page_mkwrite() — if the hook did not return the folio locked, lock it
// and retry the fault (return 0) when folio->mapping is NULL.
function do_page_mkwrite(k: Kernel, vmf: VmFault): number {
  const ops = vmf.vma.ops!;
  const saved = vmf.flags;
  vmf.flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE | (saved & FAULT_FLAG_USER);
  k.tr.call('do_page_mkwrite');
  k.tr.call(ops.pageMkwriteName!);
  let ret = ops.pageMkwrite!(k, vmf);
  vmf.flags = saved;
  if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) return ret;
  if (!(ret & VM_FAULT_LOCKED)) {
    lockPage(k, vmf.page);
    if (!k.memmap.mapping[vmf.page]) {
      unlockPage(k, vmf.page);
      k.tr.call('do_page_mkwrite: folio->mapping == NULL: retry');
      return 0;
    }
    ret |= VM_FAULT_LOCKED;
  }
  return ret;
}

// mm/page-writeback.c: folio_mark_dirty() — a_ops->dirty_folio of folio_mapping(), or
// noop_dirty_folio() when there is none; returns whether it newly dirtied the folio.
export function folio_mark_dirty(k: Kernel, pfn: number): boolean {
  const mapId = k.memmap.mapping[pfn];
  const as = mapId > 0 ? k.objects.get(mapId) : undefined;
  k.tr.call(as ? as.dirtyFolioName : 'noop_dirty_folio');
  if (k.memmap.test(pfn, PG_dirty)) return false;
  k.memmap.setFlag(pfn, PG_dirty);
  return true;
}

// mm/memory.c: fault_dirty_shared_page()
function fault_dirty_shared_page(k: Kernel, vmf: VmFault): void {
  k.tr.call('fault_dirty_shared_page');
  folio_mark_dirty(k, vmf.page);
  unlockPage(k, vmf.page);
}

// mm/memory.c: vm_normal_page() on x86 (pte_special exists): special PTEs have no
// refcounted page (PFNMAP/MIXEDMAP, the zero page); else the struct page of the PFN.
export function vm_normal_page(k: Kernel, vma: Vma, flags: number, pfn: number): number {
  if (pte_special(flags)) return 0;
  if (vma.has(VM_MIXEDMAP) && !k.memmap.pfnValid(pfn)) return 0;
  return k.memmap.pfnValid(pfn) ? pfn : 0;
}

// mm/memory.c: do_wp_page() — write to a present read-only PTE, or (FAULT_FLAG_UNSHARE,
// 5.19+) GUP's request for an exclusive anonymous page to pin read-only: an anonymous page
// that can be reused is only marked exclusive (the PTE stays read-only), anything else is
// copied into a new anonymous page mapped read-only (wp_page_copy). GUP asks to unshare a
// page in a shared mapping never, and a non-anonymous page only from 6.2
// (gup_must_unshare); 6.1 returns at once for one ("No anonymous page -> nothing to do").
function do_wp_page(k: Kernel, vmf: VmFault): number {
  const vma = vmf.vma;
  const unshare = (vmf.flags & FAULT_FLAG_UNSHARE) !== 0;
  k.tr.call('do_wp_page');
  vmf.page = vm_normal_page(k, vma, vmf.origFlags, vmf.origPfn);
  if (vma.has(VM_SHARED | VM_MAYSHARE) && !unshare) {
    if (!vmf.page) return wp_pfn_shared(k, vmf);
    return wp_page_shared(k, vmf);
  }
  const pfn = vmf.page;
  if (pfn && k.memmap.folioTestAnon(pfn)) {
    if (k.memmap.test(pfn, PG_anon_exclusive) || wp_can_reuse_anon_folio(k, pfn, vma)) {
      k.memmap.setFlag(pfn, PG_anon_exclusive);
      if (unshare) { k.tr.call('do_wp_page: unshare: the page is exclusive, the PTE stays read-only'); return 0; }
      wp_page_reuse(k, vmf, 'wp_page_reuse (exclusive anon folio)');
      return 0;
    }
  } else if (unshare && !k.profile.has('ro-longterm-pin-unshares-cow-mappings')) {
    return 0;
  }
  return wp_page_copy(k, vmf);
}

// mm/memory.c: wp_can_reuse_anon_folio() (6.5+; the same test was inline in do_wp_page
// before): reuse iff this is the only reference; then folio_move_anon_rmap(). An order-0
// folio in the swap cache may hold that one extra reference, and is dropped from the swap
// cache (folio_free_swap) before the test.
// A large folio (a page of a PTE-mapped THP): until 6.8 the same refcount test (a large
// folio has a reference per mapping, so it is reused only when this is its last
// mapping); 6.9-6.14 never (versions.ts `cow-no-reuse-large-folio`); from 6.15
// __wp_can_reuse_large_anon_folio(): more than one mapping, every mapping in this mm, and
// no reference beyond the mappings (`cow-reuse-pte-mapped-thp`). (Large folios never enter the swap cache in the model:
// reclaim splits them first.)
function wp_can_reuse_anon_folio(k: Kernel, pfn: number, vma: Vma): boolean {
  k.tr.call('wp_can_reuse_anon_folio');
  const mm = k.memmap, head = mm.head(pfn);
  if (mm.order[pfn] && k.profile.has('cow-reuse-pte-mapped-thp')) {
    const total = folio_mapcount(mm, pfn);
    if (total <= 1) return false;
    if (mappingsInMm(k, vma.mm, head) !== total || mm.refcount[head] !== total) return false;
  } else if (mm.order[pfn]) {
    if (k.profile.has('cow-no-reuse-large-folio')) return false;
    if (mm.refcount[head] !== 1) return false;
  } else {
    const swapcache = mm.test(pfn, PG_swapcache) ? 1 : 0;
    if (mm.refcount[pfn] > 1 + swapcache) return false;
    if (swapcache) folio_free_swap(k, pfn);
    if (mm.refcount[pfn] !== 1) return false;
  }
  k.tr.call('folio_move_anon_rmap');
  for (let p = head; p < head + (1 << mm.order[pfn]); p++) mm.setMapping(p, -vma.anonVma!.id);
  return true;
}

/** How many of a large folio's mappings (PTE and PMD) are in `mm` (folio_mm_id tracking). */
function mappingsInMm(k: Kernel, mm: Vma['mm'], head: number): number {
  const memmap = k.memmap, nr = 1 << memmap.order[head];
  let n = 0;
  for (const v of mm.vmas) {
    if (!v.anonVma) continue;
    for (let p = head; p < head + nr; p++) {
      const addr = v.start + (memmap.index[p] - v.pgoff) * 4096;
      if (addr < v.start || addr >= v.end) continue;
      if (mm.isPmdMapped(addr)) { if (p === head && mm.ptePfn(addr) === head) n += 1; continue; }
      if (mm.ptePfn(addr) === p && pte_present(mm.pteFlags(addr))) n++;
    }
  }
  return n;
}

// mm/memory.c: wp_page_reuse() — young, dirty (+soft-dirty), writable if VM_WRITE.
function wp_page_reuse(k: Kernel, vmf: VmFault, why: string): void {
  k.tr.call('wp_page_reuse');
  const entry = maybe_mkwrite(pte_mkdirty(pte_mkyoung(vmf.origFlags)), vmf.vma);
  vmf.vma.mm.setPte(vmf.address, entry, vmf.origPfn, why);
}

// mm/memory.c: wp_pfn_shared() — no struct page: ->pfn_mkwrite if any, else reuse.
function wp_pfn_shared(k: Kernel, vmf: VmFault): number {
  k.tr.call('wp_pfn_shared');
  const ops = vmf.vma.ops;
  if (ops?.pfnMkwrite) {
    k.tr.call(ops.pfnMkwriteName!);
    const ret = ops.pfnMkwrite(k, vmf);
    if (ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)) return ret;
  }
  wp_page_reuse(k, vmf, 'wp_pfn_shared: wp_page_reuse');
  return 0;
}

// mm/memory.c: wp_page_shared() — page_mkwrite, then reuse, then fault_dirty_shared_page.
function wp_page_shared(k: Kernel, vmf: VmFault): number {
  k.tr.call('wp_page_shared');
  const ops = vmf.vma.ops;
  if (ops?.pageMkwrite) {
    const tmp = do_page_mkwrite(k, vmf);
    if (!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE))) return tmp;
    // finish_mkwrite_fault(): the PTE is rechecked under the PTL, then reused.
    k.tr.call('finish_mkwrite_fault');
    const mm = vmf.vma.mm;
    if (mm.pteFlags(vmf.address) !== vmf.origFlags || mm.ptePfn(vmf.address) !== vmf.origPfn) {
      unlockPage(k, vmf.page);
      return VM_FAULT_NOPAGE;
    }
    wp_page_reuse(k, vmf, 'wp_page_shared: wp_page_reuse after page_mkwrite');
  } else {
    wp_page_reuse(k, vmf, 'wp_page_shared: wp_page_reuse');
    lockPage(k, vmf.page);
  }
  fault_dirty_shared_page(k, vmf);
  return 0;
}

// mm/memory.c: wp_page_copy() — COW: a new exclusive anon folio (zeroed for the zero page).
function wp_page_copy(k: Kernel, vmf: VmFault): number {
  const vma = vmf.vma, mm = vma.mm;
  k.tr.call('wp_page_copy');
  anonVmaPrepare(vma);
  const old = vmf.page;
  const isZero = vmf.origPfn === ZERO_PFN;
  k.tr.call(isZero ? 'wp_page_copy: alloc zeroed folio (was the zero page)' : 'copy_user_highpage');
  const pfn = k.memmap.allocPage(PageKind.Anon);
  folio_add_new_anon_rmap(k, pfn, vma, vmf.address);
  // FAULT_FLAG_UNSHARE: read-only and clean, the old PTE's soft-dirty kept; else dirty and
  // writable if VM_WRITE
  const entry = vmf.flags & FAULT_FLAG_UNSHARE
    ? (vma.pageProt & ~_PAGE_SOFT_DIRTY) | (vmf.origFlags & _PAGE_SOFT_DIRTY)
    : maybe_mkwrite(pte_mkdirty(vma.pageProt), vma);
  mm.setPte(vmf.address, entry, pfn, vmf.flags & FAULT_FLAG_UNSHARE ? 'wp_page_copy: unshare: new anon folio, read-only' : 'wp_page_copy: new anon folio');
  if (old) folio_remove_rmap_pte(k, old, vma);
  return 0;
}

// mm/memory.c: zap_pte_range() / zap_present_ptes() for [start, end) of one VMA.
// evenCows=false (unmap_mapping_range without even_cows) keeps anon (COWed) folios.
// Dirty PTE → folio_mark_dirty() for file folios; returns the number of PTEs zapped.
export function zap_pte_range(k: Kernel, vma: Vma, start: number, end: number, evenCows: boolean, why: string): number {
  const mm = vma.mm;
  let zapped = 0;
  for (let addr = start; addr < end; addr += 4096) {
    let t = mm.pt.lookup(addr);
    if (!t) { addr = (Math.floor(addr / 2 ** 21) + 1) * 2 ** 21 - 4096; continue; }
    if (t.leaf) {
      // zap_pmd_range(): a whole PMD in the range is zapped as one; part of it splits first
      if (addr === t.base && end - addr >= 2 ** 21) {
        const page = t.pfn[0];
        if (evenCows || !k.memmap.folioTestAnon(page)) { zap_huge_pmd(k, vma, addr, why); zapped++; }
        addr = t.base + 2 ** 21 - 4096;
        continue;
      }
      __split_huge_pmd(k, vma, t.base, `${why}: __split_huge_pmd`);
      t = mm.pt.lookup(addr);
      if (!t) { addr = (Math.floor(addr / 2 ** 21) + 1) * 2 ** 21 - 4096; continue; }
    }
    const i = (addr / 4096) % 512;
    const flags = t.flags[i], pfn = t.pfn[i];
    if (pte_none(flags, pfn)) continue;
    if (!pte_present(flags)) {
      // zap_nonpresent_ptes(): a swap entry is a COWed page too (should_zap_cows)
      if (!evenCows || !is_swap_slot_pte(flags)) continue;
      mm.setPte(addr, 0, 0, why);
      mm.rss[MM_SWAPENTS]--;
      free_swap_and_cache(k, pfn);
      zapped++;
      if (t.used === 0) mm.pt.freeIfEmpty(addr);
      continue;
    }
    const page = vm_normal_page(k, vma, flags, pfn);
    if (!evenCows && page && k.memmap.folioTestAnon(page)) continue;
    mm.setPte(addr, 0, 0, why);
    zapped++;
    if (page) {
      if (!k.memmap.folioTestAnon(page)) {
        if (flags & _PAGE_DIRTY) folio_mark_dirty(k, page);
      }
      folio_remove_rmap_pte(k, page, vma);
    }
    if (t.used === 0) mm.pt.freeIfEmpty(addr);
  }
  return zapped;
}


// mm/memory.c: fault_around_bytes_set() (debugfs fault_around_bytes): the window is
// rounddown_pow_of_two(val) bytes, at least one page. (The checker refuses values above
// PTRS_PER_PTE pages and warns about 0, as the kernel's -EINVAL / one-page floor.)
export function fault_around_bytes_set(k: Kernel, val: number): void {
  const pages = Math.max(1, Math.floor(val / 4096));
  k.faultAroundBytes = 2 ** Math.floor(Math.log2(pages)) * 4096;
}
