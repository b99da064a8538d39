// include/linux/mm.h: struct vm_operations_struct and struct vm_fault, as far as the
// model needs them. VM_FAULT_* codes are the kernel's (include/linux/mm_types.h).

import type { Kernel, Task } from './kernel';
import type { KernelFn } from './kernelFunctions';
import type { Vma } from './vma';

export const VM_FAULT_OOM = 0x1;
export const VM_FAULT_SIGBUS = 0x2;
export const VM_FAULT_MAJOR = 0x4;
export const VM_FAULT_SIGSEGV = 0x40;
export const VM_FAULT_NOPAGE = 0x100;
export const VM_FAULT_LOCKED = 0x200;
export const VM_FAULT_RETRY = 0x400;
export const VM_FAULT_DONE_COW = 0x1000;
export const VM_FAULT_COMPLETED = 0x4000;
export const VM_FAULT_FALLBACK = 0x800;
/** engine-only: the handler oopsed (BUG / bad paging request in kernel mode) */
export const VM_FAULT_OOPS = 0x100000;
export const VM_FAULT_ERROR = VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_OOPS;

export const FAULT_FLAG_WRITE = 0x1;
export const FAULT_FLAG_MKWRITE = 0x2;
export const FAULT_FLAG_USER = 0x40;
export const FAULT_FLAG_TRIED = 0x20;
/** GUP asks for an exclusive anonymous page without write access (R/O pins; 5.19+) */
export const FAULT_FLAG_UNSHARE = 0x400;

export interface VmFault {
  vma: Vma;
  /** page-aligned faulting address */
  address: number;
  pgoff: number;
  flags: number;
  task: Task;
  /** PTE snapshot at fault entry (orig_pte) */
  origFlags: number;
  origPfn: number;
  /** vmf->page: PFN of the page the handler returned (0 = none) */
  page: number;
  /** vmf->cow_page */
  cowPage: number;
}

export interface VmOps {
  /** the vm_operations_struct's name, e.g. ext4_file_vm_ops */
  readonly name: string;
  readonly faultName: KernelFn;
  fault(k: Kernel, vmf: VmFault): number;
  /** filemap_map_pages (fault-around), when the ops have ->map_pages */
  readonly mapPages?: boolean;
  readonly pageMkwriteName?: KernelFn;
  pageMkwrite?(k: Kernel, vmf: VmFault): number;
  readonly pfnMkwriteName?: KernelFn;
  pfnMkwrite?(k: Kernel, vmf: VmFault): number;
}

// mm/vma.c: vm_ops_needs_writenotify()
export function vm_ops_needs_writenotify(ops: VmOps | undefined): boolean {
  return !!ops && (!!ops.pageMkwrite || !!ops.pfnMkwrite);
}
