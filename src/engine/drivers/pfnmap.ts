// A device that maps raw PFNs from its ->fault with vmf_insert_pfn() (VM_PFNMAP, special
// PTEs, no struct page, no pfn_mkwrite), the way many drivers' mmap works.

import { AddressSpace } from '../addressSpace';
import type { FileOperations } from '../fileOperations';
import type { Kernel } from '../kernel';
import { VM_DONTDUMP, VM_DONTEXPAND, VM_IO, VM_PFNMAP } from '../vma';
import { VM_FAULT_NOPAGE, VM_FAULT_SIGBUS, VmFault, VmOps } from '../vmOps';
import { pte_mkspecial, pte_none } from '../pte';

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

// The driver's ->mmap: remap-style device memory (VM_PFNMAP | VM_IO | VM_DONTEXPAND |
// VM_DONTDUMP, as remap_pfn_range / vm_flags_set in such drivers), faults via pfnmap_vm_ops.
export const pfnmap_fops: FileOperations = {
  name: 'pfnmap_fops', mmap: () => ({ ops: pfnmap_vm_ops, flags: VM_PFNMAP | VM_IO | VM_DONTEXPAND | VM_DONTDUMP }),
};

/** A device that maps raw PFNs with vmf_insert_pfn (no struct page behind them). */
export function pfnmap_create(k: Kernel, name: string, pages: number): AddressSpace {
  const as = new AddressSpace(k.ids.mapping++, name, 'pfnmap', pages, false, 'noop_dirty_folio');
  as.fops = pfnmap_fops;
  as.backing = new Uint32Array(pages);
  const first = k.memmap.reserveNoPage(pages);
  for (let i = 0; i < pages; i++) as.backing[i] = first + i;
  return k.registerObject(as);
}
