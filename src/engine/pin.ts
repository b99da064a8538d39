// io_uring/rsrc.c: io_uring_register(IORING_REGISTER_BUFFERS) — a registered ("fixed")
// buffer: io_sqe_buffer_register() → io_pin_pages() → pin_user_pages(FOLL_WRITE |
// FOLL_LONGTERM) over the whole range (mm/gup.c). A long-term R/W pin, as RDMA and VFIO take
// them too:
// - FOLL_WRITE: every page is followed for a write: a PTE that does not allow it faults with
//   FAULT_FLAG_WRITE first (COW is broken, the zero page replaced, a shared anonymous page
//   made exclusive), so the pinned page is the one the process writes to afterwards.
// - FOLL_PIN: try_grab_folio() adds GUP_PIN_COUNTING_BIAS (1024) to a small folio's refcount;
//   a large folio gets one reference and one _pincount. folio_maybe_dma_pinned() reads them
//   back, and the mm is marked MMF_HAS_PINNED (mm_set_has_pinned_flag).
// - At most 1 GiB (io_buffer_validate: EFAULT before anything is pinned).
// - All or nothing: if a page cannot be pinned, the pages pinned so far are unpinned and
//   registration fails with EFAULT (faults already taken stay).
// - Which mappings may be pinned: row `longterm-pin-file-check-in-gup` of versions.ts.
// The ring is a file: held by the registering process and the children it forks later,
// unpinned when the last holder exits (io_ring_ctx_free → io_sqe_buffers_unregister →
// unpin_user_pages). Not modelled: FOLL_LONGTERM's migration of pages out of ZONE_MOVABLE
// and CMA pageblocks (check_and_migrate_movable_folios; the model has neither), and 6.12's
// io_coalesce_buffer(), which keeps one pin per fully covered large folio instead of one
// per page (the folio stays maybe-DMA-pinned either way).

import type { Kernel, Task } from './kernel';
import { PG_anon_exclusive, ZERO_PFN, isHugeZeroPfn } from './memmap';
import { gup_fault, gup_follow, vm_normal_page } from './memory';
import { GUP_PIN_COUNTING_BIAS } from './dmaPinned';
import { PageHolder } from './pageHolders';
import { pte_present, pte_protnone, pte_special, pte_write } from './pte';
import { IO_BUFFER_MAX_BYTES } from './uapi';
import { VM_IO, VM_PFNMAP, VM_READ, VM_SHARED, VM_WRITE, Vma, is_cow_mapping } from './vma';
import { VM_FAULT_ERROR, VM_FAULT_OOM, vm_ops_needs_writenotify } from './vmOps';

export class PinnedBuffer extends PageHolder {
  readonly kind = 'pin';
  /** why registration failed (the pins taken were dropped again) */
  errno?: 'EFAULT' | 'EOPNOTSUPP' | 'ENOMEM';
  protected readonly releaseFn = 'unpin_user_pages' as const;
  // mm/gup.c: try_grab_folio(FOLL_PIN) / gup_put_folio(FOLL_PIN)
  protected grab(k: Kernel, head: number): void {
    const mm = k.memmap;
    if (mm.order[head]) { mm.refcount[head]++; mm.pincount.set(head, (mm.pincount.get(head) ?? 0) + 1); }
    else mm.refcount[head] += GUP_PIN_COUNTING_BIAS;
  }
  protected put(k: Kernel, head: number): boolean {
    const mm = k.memmap;
    if (mm.order[head]) {
      const n = (mm.pincount.get(head) ?? 1) - 1;
      if (n) mm.pincount.set(head, n); else mm.pincount.delete(head);
      return --mm.refcount[head] <= 0;
    }
    return (mm.refcount[head] -= GUP_PIN_COUNTING_BIAS) <= 0;
  }
}

// mm/vma.c (mm/mmap.c before 6.12): vma_needs_dirty_tracking() — a shared writable mapping
// whose filesystem wants write notification or can write back.
function vma_needs_dirty_tracking(vma: Vma): boolean {
  if ((vma.flags & (VM_WRITE | VM_SHARED)) !== (VM_WRITE | VM_SHARED)) return false;
  if (vm_ops_needs_writenotify(vma.ops)) return true;
  return !vma.has(VM_PFNMAP) && !!vma.file && vma.file.canWriteback;
}

// mm/gup.c: check_vma_flags() for FOLL_PIN | FOLL_WRITE | FOLL_LONGTERM.
function check_vma_flags(k: Kernel, vma: Vma): boolean {
  if (vma.has(VM_IO | VM_PFNMAP)) return false;
  // 6.5+: writable_file_mapping_allowed() — no long-term write pin of a file page whose
  // dirtying the filesystem tracks (vma_is_anonymous: no vm_ops)
  if (k.profile.has('longterm-pin-file-check-in-gup') && vma.ops && vma_needs_dirty_tracking(vma)) return false;
  return vma.has(VM_WRITE);
}

// mm/gup.c: __get_user_pages() for one page: follow_page_mask() with FOLL_WRITE needs a
// writable PTE (can_follow_write_pte), else faultin_page() with FAULT_FLAG_WRITE. A special
// PTE has no struct page to pin.
function gup_pin_page(k: Kernel, task: Task, vma: Vma, addr: number): number {
  if (gup_follow(k, task, vma, addr, true) !== 0) return -1;
  const f = task.mm.pteFlags(addr), pfn = task.mm.ptePfn(addr);
  if (pfn === ZERO_PFN || isHugeZeroPfn(pfn)) return -1;
  return vm_normal_page(k, vma, f, pfn) ? pfn : -1;
}

/**
 * io_uring_register(IORING_REGISTER_BUFFERS) of [start, start + pages * 4096) by task, as
 * buffer `name`. Returns the buffer (registered or not) and, on failure, the errno.
 */
export function io_sqe_buffer_register(k: Kernel, task: Task, name: string, start: number, pages: number): { buf: PinnedBuffer; errno?: 'EFAULT' | 'EOPNOTSUPP' } {
  k.tr.call('io_sqe_buffer_register');
  k.tr.call('pin_user_pages');
  const buf = new PinnedBuffer(name);
  buf.holders.add(task);
  k.pageHolders.set(name, buf);
  // io_buffer_validate(): "arbitrary limit, but we need something"
  if (pages * 4096 > IO_BUFFER_MAX_BYTES) { buf.released = true; buf.errno = 'EFAULT'; return { buf, errno: buf.errno }; }
  task.mm.hasPinned = true; // mm_set_has_pinned_flag()
  const vmas: Vma[] = [];
  for (let i = 0; i < pages; i++) {
    const addr = start + i * 4096;
    const vma = task.mm.vma_lookup(addr);
    const pfn = vma && check_vma_flags(k, vma) ? gup_pin_page(k, task, vma, addr) : -1;
    if (pfn < 0) { buf.release(k); buf.errno = 'EFAULT'; return { buf, errno: buf.errno }; }
    buf.hold(k, pfn);
    vmas.push(vma!);
  }
  // 6.1-6.4, io_uring's own check after pinning: no file-backed memory but shmem (and hugetlbfs)
  if (!k.profile.has('longterm-pin-file-check-in-gup') && vmas.some((v) => !!v.file && v.file.kind !== 'shmem')) {
    buf.release(k);
    buf.errno = 'EOPNOTSUPP';
    return { buf, errno: buf.errno };
  }
  k.tr.call(`io_pin_pages: ${buf.pfns.length} page${buf.pfns.length === 1 ? '' : 's'} pinned (FOLL_WRITE | FOLL_LONGTERM): pfn ${buf.pfns.map((p) => '0x' + p.toString(16)).join(' ')}`);
  return { buf };
}

// ---------------------------------------------------------------------------------------
// A long-term R/O pin: pin_user_pages(FOLL_LONGTERM) / pin_user_pages_fast() without
// FOLL_WRITE, as mm/gup_test.c's PIN_LONGTERM_TEST_START takes it (cow.c's R/O pin tests;
// a device that only reads the memory, as VFIO and RDMA pin it). Such a pin is reliable only
// if the pinned page is the one the process will write to later: GUP makes sure of it by
// unsharing (gup_must_unshare → FAULT_FLAG_UNSHARE, memory.ts do_wp_page) — a page that is
// not exclusively this process's anonymous page is made so (reused, or copied into a new
// anonymous page mapped read-only) before it is pinned. Anonymous pages since 5.19; the
// shared zero page and page-cache pages of private writable mappings from 6.2 (versions.ts
// `ro-longterm-pin-unshares-cow-mappings`): at 6.1 they are pinned as they are, and the
// write fault that follows replaces them in the page table.

/**
 * include/linux/mm.h (mm/internal.h from 6.4): gup_must_unshare() for FOLL_PIN without
 * FOLL_WRITE on a read-only entry, `page` the page it maps (the head for a PMD-mapped THP,
 * whose PageAnonExclusive lives there). vma undefined: GUP-fast, which cannot look.
 */
export function gup_must_unshare(k: Kernel, vma: Vma | undefined, page: number): boolean {
  const mm = k.memmap;
  if (page === ZERO_PFN || isHugeZeroPfn(page) || !mm.folioTestAnon(page)) {
    if (!k.profile.has('ro-longterm-pin-unshares-cow-mappings')) return false;
    // "We only care about writable private ("COW") mappings where we have to break COW early."
    return !vma || is_cow_mapping(vma.flags);
  }
  return !mm.test(page, PG_anon_exclusive);
}

/** The struct page a present entry maps: vm_normal_page(), or the zero page (follow_page_pte). */
function followPage(k: Kernel, vma: Vma, flags: number, pfn: number): number {
  if (pfn === ZERO_PFN || isHugeZeroPfn(pfn)) return pfn;
  return vm_normal_page(k, vma, flags, pfn);
}

/** For gup_must_unshare: the page whose PageAnonExclusive tells (a PMD leaf: its head). */
function exclusiveFlagPage(k: Kernel, task: Task, addr: number, page: number): number {
  return task.mm.isPmdMapped(addr) && !isHugeZeroPfn(page) ? k.memmap.head(page) : page;
}

// mm/gup.c: __get_user_pages() for one page without FOLL_WRITE: follow_page_mask() takes a
// present entry unless it is read-only and gup_must_unshare() (-EMLINK: faultin_page() with
// FAULT_FLAG_UNSHARE), else faultin_page() for a read, and again. Returns the page, or the
// errno: a special entry with no struct page (follow_pfn_pte) and a fault's SIGBUS/SIGSEGV
// are EFAULT, OOM is ENOMEM.
function gup_follow_ro(k: Kernel, task: Task, vma: Vma, addr: number): number | 'EFAULT' | 'ENOMEM' {
  for (let n = 0; n < 4; n++) {
    const mm = task.mm, f = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
    let unshare = false;
    if (pte_present(f) && !pte_protnone(f)) {
      const page = followPage(k, vma, f, pfn);
      if (!page) return 'EFAULT';
      if (pte_write(f) || !gup_must_unshare(k, vma, exclusiveFlagPage(k, task, addr, page))) return page;
      k.tr.call('gup_must_unshare: read-only and not exclusively anonymous → FAULT_FLAG_UNSHARE');
      unshare = true;
    }
    const ret = gup_fault(k, task, vma, addr, false, unshare);
    if (ret & VM_FAULT_OOM) return 'ENOMEM';
    if (ret & VM_FAULT_ERROR) return 'EFAULT';
  }
  return 'EFAULT';
}

// mm/gup.c: gup_fast_pte_range() / gup_fast_pmd_leaf() for one page, lockless: a present,
// user-accessible entry with a struct page, that is writable or need not unshare (asked
// without the VMA: a non-anonymous page at 6.2+ always falls back). gup_fast_pte_range()
// leaves a special PTE (the zero page, PFNMAP) to the slow path; gup_fast_pmd_leaf() has no
// such test, so at 6.1 the huge zero folio is taken lockless. R/O long-term pins of any folio
// are allowed (gup_fast_folio_allowed refuses only FOLL_WRITE pins of file pages).
function gup_fast_one(k: Kernel, task: Task, addr: number): number {
  const mm = task.mm, f = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
  if (!pte_present(f) || pte_protnone(f)) return 0;
  if (pte_special(f) || !(isHugeZeroPfn(pfn) || k.memmap.pfnValid(pfn))) return 0;
  if (!pte_write(f) && gup_must_unshare(k, undefined, exclusiveFlagPage(k, task, addr, pfn))) return 0;
  return pfn;
}

/**
 * mm/gup_test.c: PIN_LONGTERM_TEST_START — a long-term R/O pin of [start, start + pages *
 * 4096) by task, as buffer `name`; `fast`: pin_user_pages_fast() (lockless first, the rest
 * through the slow path), else pin_user_pages(). The slow path checks each VMA
 * (check_vma_flags: VM_IO/VM_PFNMAP and, without FOLL_WRITE, no VM_READ are EFAULT; a hole
 * too). All or nothing: a page that cannot be pinned ends the test's loop, which unpins
 * every page (pin_longterm_test_stop) and returns the error.
 */
export function pin_longterm_ro(k: Kernel, task: Task, name: string, start: number, pages: number, fast: boolean): { buf: PinnedBuffer; errno?: 'EFAULT' | 'ENOMEM' } {
  k.tr.call('pin_longterm_test_start');
  const buf = new PinnedBuffer(name);
  buf.holders.add(task);
  k.pageHolders.set(name, buf);
  task.mm.hasPinned = true; // mm_set_has_pinned_flag()
  let i = 0;
  if (fast) {
    k.tr.call('pin_user_pages_fast');
    for (; i < pages; i++) {
      const pfn = gup_fast_one(k, task, start + i * 4096);
      if (!pfn) break;
      buf.hold(k, pfn);
    }
    k.tr.call(`gup_fast: ${i} of ${pages} page${pages === 1 ? '' : 's'} pinned lockless${i < pages ? '; the rest through the slow path' : ''}`);
  }
  if (i < pages) k.tr.call('pin_user_pages');
  for (; i < pages; i++) {
    const addr = start + i * 4096;
    const vma = task.mm.vma_lookup(addr);
    const r = !vma || vma.has(VM_IO | VM_PFNMAP) || !vma.has(VM_READ) ? 'EFAULT' : gup_follow_ro(k, task, vma, addr);
    if (typeof r === 'string') { buf.release(k); buf.errno = r; return { buf, errno: r }; }
    buf.hold(k, r);
  }
  return { buf };
}
