# mapping_wrprotect_range() on a VM_PFNMAP device: special PTEs, no struct page; the
# walk finds PTEs by PFN alone. A shared PFNMAP child keeps RW at fork (copied, only
# dirty and young cleared), so the wrprotect counts it although it is clean.
kernel 6.15
pfnmap regs pages 4
process a
mmap a regs at 0x7f0000000000 pages 4 shared rw as m

write a m[1]                     # vmf_insert_pfn: special PTE; the CPU sets dirty
expect pte a m[1] present write dirty special
fork a as c                      # vma_needs_copy: VM_PFNMAP is always copied
expect pte c m[1] present write !dirty !young special

wrprotect regs[1]
expect result 2
expect walk a:m, c:m
expect pte a m[1] present !write !dirty special
expect pte c m[1] present !write special

write c m[1]                     # do_wp_page -> wp_pfn_shared -> wp_page_reuse
expect faults c 1
expect pte c m[1] write dirty special
