# mremap without MREMAP_MAYMOVE grows a mapping in place only when the pages after it are
# free (vma_expandable); otherwise the syscall fails with ENOMEM. The growth merges with
# the next VMA when it becomes adjacent and compatible (vma_merge_extend).
kernel 6.12
process a
mmap a anon at 0x10000000 pages 2 private rw as x
mmap a anon at 0x10003000 pages 1 private r as guard
mremap a x pages 4                                # page 3 is taken by guard
expect error ENOMEM
expect vma a x[0] pages 2
mremap a x pages 3                                # page 2 is free: grows in place
expect vma a x[2] start 0x10000000 pages 3
write a x[2]
expect pte a x[2] present write
mprotect a guard r
mprotect a guard rw                               # same flags as x now: merged
expect vmas a 1
mremap a x[0..0] pages 2                          # x[0..0] does not end the VMA: ENOMEM
expect error ENOMEM
mremap a 0x20000000 pages 1 pages 2               # no VMA there
expect error EFAULT
mremap a x pages 1                                # shrinking always works
expect vma a x[0] pages 1
