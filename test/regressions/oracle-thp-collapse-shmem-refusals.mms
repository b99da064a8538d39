# Real-kernel finding (2026-12-05, MADV_COLLAPSE refusals for shmem, Debian 6.1.192 and
# 6.12.118, 0 differ on both): hugepage_vma_check (6.12: thp_vma_allowable_order without
# TVA_ENFORCE_SYSFS) ignores the tmpfs huge= and shmem_enabled never, but shmem_enabled deny
# (shmem_is_huge checks deny before shmem_huge_force), VM_NOHUGEPAGE, and a VMA with no
# PMD-aligned 2 MiB range (transhuge_vma_suitable at vm_end - HPAGE_PMD_SIZE) give EINVAL.
kernel 6.12
shmem s pages 512
process a
mmap a s at 0x7f0000000000 pages 512 shared rw as m
write a m[0]
sysctl thp shmem_enabled deny
madvise a m[0..511] collapse
expect error EINVAL
sysctl thp shmem_enabled never
madvise a m[0..511] nohugepage
madvise a m[0..511] collapse
expect error EINVAL
madvise a m[0..511] hugepage
mmap a s at 0x7e0000000000 pages 511 shared rw as n
read a n[0]
madvise a n[0..510] collapse
expect error EINVAL
madvise a m[0..511] collapse
expect result 0
