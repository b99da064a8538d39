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
import { ZERO_PFN, isHugeZeroPfn } from './memmap';
import { gup_follow, vm_normal_page } from './memory';
import { GUP_PIN_COUNTING_BIAS } from './dmaPinned';
import { PageHolder } from './pageHolders';
import { IO_BUFFER_MAX_BYTES } from './uapi';
import { VM_IO, VM_PFNMAP, VM_SHARED, VM_WRITE, Vma } from './vma';
import { vm_ops_needs_writenotify } from './vmOps';

export class PinnedBuffer extends PageHolder {
  readonly kind = 'pin';
  /** why registration failed (the pins taken were dropped again) */
  errno?: 'EFAULT' | 'EOPNOTSUPP';
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
