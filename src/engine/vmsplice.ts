// fs/splice.c: vmsplice(2) into a new pipe.
//
// vmsplice_to_pipe() → iter_to_pipe() takes the pages with iov_iter_get_pages2(), which is
// get_user_pages_fast() without FOLL_WRITE (a read GUP, FOLL_GET: a reference, not a pin),
// at most PIPE_DEF_BUFFERS (16) of them for a new pipe, and puts one in each pipe_buffer
// (add_to_pipe). The same in 6.1 and 6.12.

import type { Kernel, Task } from './kernel';
import { ZERO_PFN, isHugeZeroPfn } from './memmap';
import { gup_fault, vm_normal_page } from './memory';
import { Pipe } from './pipe';
import { pte_present } from './pte';
import { PIPE_DEF_BUFFERS } from './uapi';
import { VM_IO, VM_PFNMAP, VM_READ } from './vma';
import { VM_FAULT_ERROR } from './vmOps';

// mm/gup.c: one page of a read GUP (FOLL_GET): check_vma_flags() (no VM_IO/VM_PFNMAP, VM_READ
// without FOLL_FORCE), follow_page_mask(), faultin_page() until the PTE is present. A special
// PTE other than the zero page has no struct page to take (follow_pfn_pte: EFAULT).
function gup_read_page(k: Kernel, task: Task, addr: number): number {
  const mm = task.mm;
  const vma = mm.vma_lookup(addr);
  if (!vma || vma.has(VM_IO | VM_PFNMAP) || !vma.has(VM_READ)) return -1;
  for (let n = 0; n < 4; n++) {
    const f = mm.pteFlags(addr);
    if (pte_present(f)) {
      const pfn = mm.ptePfn(addr);
      if (pfn === ZERO_PFN || isHugeZeroPfn(pfn)) return pfn;
      return vm_normal_page(k, vma, f, pfn) ? pfn : -1;
    }
    if (gup_fault(k, task, vma, addr, false) & VM_FAULT_ERROR) return -1;
  }
  return -1;
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
  k.tr.call(`iter_to_pipe: ${pipe.pfns.length} page${pipe.pfns.length === 1 ? '' : 's'} (add_to_pipe)${pipe.pfns.length ? ': pfn ' + pipe.pfns.map((p) => '0x' + p.toString(16)).join(' ') : ''}`);
  if (!pipe.pfns.length) return { pipe, bytes: 0, errno: 'EFAULT' };
  return { pipe, bytes: pipe.pfns.length * 4096 };
}
