// A device that maps raw PFNs from its ->fault with vmf_insert_pfn() (VM_PFNMAP, special
// PTEs, no struct page, no pfn_mkwrite), the way many drivers' mmap works.

import type { Kernel } from './kernel';
import { VM_FAULT_NOPAGE, VM_FAULT_SIGBUS, VmFault, VmOps } from './vmOps';
import { pte_mkspecial, pte_none } from './pte';

// mm/memory.c: vmf_insert_pfn() → insert_pfn(mkwrite=false): if no PTE exists, install
// pte_mkspecial(pfn_pte(pfn, vm_page_prot)); returns VM_FAULT_NOPAGE.
export function vmf_insert_pfn(k: Kernel, vmf: VmFault, pfn: number): number {
  const mm = vmf.vma.mm;
  k.tr.call('vmf_insert_pfn');
  if (pte_none(mm.pteFlags(vmf.address), mm.ptePfn(vmf.address))) {
    mm.setPte(vmf.address, pte_mkspecial(vmf.vma.pageProt), pfn, 'insert_pfn: special PTE');
  }
  return VM_FAULT_NOPAGE;
}

function pfnmap_fault(k: Kernel, vmf: VmFault): number {
  const as = vmf.vma.file!;
  if (vmf.pgoff >= as.sizePages) return VM_FAULT_SIGBUS;
  return vmf_insert_pfn(k, vmf, as.backing![vmf.pgoff]);
}

export const pfnmap_vm_ops: VmOps = { name: 'pfnmap_vm_ops', faultName: 'pfnmap_fault', fault: pfnmap_fault };
