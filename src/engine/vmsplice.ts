// fs/splice.c: vmsplice(2) into a new pipe.
//
// vmsplice_to_pipe() → iter_to_pipe() takes the pages with iov_iter_get_pages2(), which is
// get_user_pages_fast() without FOLL_WRITE (a read GUP, FOLL_GET: a reference, not a pin),
// in batches of up to 16, and puts each in a pipe_buffer (add_to_pipe) while the pipe has
// room: PIPE_DEF_BUFFERS (16) for a new pipe. The loop runs while the range has bytes left,
// not while the pipe has room, so when the range is longer the next batch is taken too (its
// pages faulted in), add_to_pipe() refuses it with -EAGAIN and its references are put again.
// A page that cannot be had ends the batch, and the next batch starts at it (EFAULT: the
// loop ends). The same in 6.1 and 6.12 (measured on the oracle: a 239-page vmsplice of
// untouched anonymous memory maps 32 zero pages).

import type { Kernel, Task } from './kernel';
import { ZERO_PFN, isHugeZeroPfn } from './memmap';
import { gup_follow, vm_normal_page } from './memory';
import { Pipe } from './pipe';
import { PIPE_DEF_BUFFERS } from './uapi';
import { VM_IO, VM_PFNMAP, VM_READ } from './vma';

// mm/gup.c: one page of a read GUP (FOLL_GET): check_vma_flags() (no VM_IO/VM_PFNMAP, VM_READ
// without FOLL_FORCE), follow_page_mask(), faultin_page() until the PTE is present. A special
// PTE other than the zero page has no struct page to take (follow_pfn_pte: EFAULT).
function gup_read_page(k: Kernel, task: Task, addr: number): number {
  const mm = task.mm;
  const vma = mm.vma_lookup(addr);
  if (!vma || vma.has(VM_IO | VM_PFNMAP) || !vma.has(VM_READ)) return -1;
  if (gup_follow(k, task, vma, addr, false) !== 0) return -1;
  const f = mm.pteFlags(addr), pfn = mm.ptePfn(addr);
  if (pfn === ZERO_PFN || isHugeZeroPfn(pfn)) return pfn;
  return vm_normal_page(k, vma, f, pfn) ? pfn : -1;
}

/**
 * vmsplice(fd, {start, pages * 4096}) by task into a new pipe. Returns the pipe (also when
 * nothing was spliced) and the bytes spliced; EFAULT when not even the first page could be had.
 */
export function vmsplice(k: Kernel, task: Task, name: string, start: number, pages: number): { pipe: Pipe; bytes: number; errno?: 'EFAULT' } {
  k.tr.call('vmsplice_to_pipe');
  const pipe = new Pipe(name);
  pipe.holders.add(task);
  k.pageHolders.set(name, pipe);
  const n = Math.min(pages, PIPE_DEF_BUFFERS);
  for (let i = 0; i < n; i++) {
    const pfn = gup_read_page(k, task, start + i * 4096);
    if (pfn < 0) break;
    pipe.hold(k, pfn);
  }
  if (pipe.pfns.length === PIPE_DEF_BUFFERS && pages > PIPE_DEF_BUFFERS) {
    // the next batch: faulted in and referenced, refused by the full pipe, put again
    let got = 0;
    for (let i = PIPE_DEF_BUFFERS; i < Math.min(pages, 2 * PIPE_DEF_BUFFERS); i++, got++) if (gup_read_page(k, task, start + i * 4096) < 0) break;
    if (got) k.tr.call(`iter_to_pipe: the next ${got} page${got === 1 ? '' : 's'} taken, add_to_pipe: -EAGAIN (the pipe is full), put again`);
  }
  k.tr.call(`iter_to_pipe: ${pipe.pfns.length} page${pipe.pfns.length === 1 ? '' : 's'} (add_to_pipe)${pipe.pfns.length ? ': pfn ' + pipe.pfns.map((p) => '0x' + p.toString(16)).join(' ') : ''}`);
  if (!pipe.pfns.length) return { pipe, bytes: 0, errno: 'EFAULT' };
  return { pipe, bytes: pipe.pfns.length * 4096 };
}
