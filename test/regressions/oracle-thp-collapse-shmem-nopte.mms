# Real-kernel finding (2026-12-05, MADV_COLLAPSE of shmem, Debian 6.1.192 and
# 6.12.118, 0 differ on both), by a process with no page table over the range: the page
# cache is collapsed either way (the other process's PTEs unmapped). 6.12.118 installs
# the caller's PMD (collapse_pte_mapped_thp: find_pmd_or_thp_or_none gives SCAN_PMD_NONE);
# 6.1.192 fails with EINVAL (retract_page_tables gives the caller SCAN_PMD_NONE). With no
# PMD page at all (nothing mapped in that 1 GiB: SCAN_PMD_NULL) both fail with EINVAL.
kernel 6.12
shmem s pages 1024
process a
process b
mmap a s at 0x7f0000000000 pages 1024 shared rw as m
mmap b s at 0x7e0000000000 pages 1024 shared rw as m
write b m[0]
write b m[1]
read a m[600]                    # a's PMD page exists; the range m[0..511] has no PTE table
madvise a m[0..511] collapse
expect result 0
expect pte a m[0..511] present huge
expect pte b m[0] none
expect folio s[0] large order 9   # collapsed in every version
read b m[0]
expect folio b m[0] large order 9

shmem t pages 512
process c
mmap c t at 0x7c0000000000 pages 512 shared rw as n
mmap b t at 0x7b0000000000 pages 512 shared rw as n
write b n[0]
madvise c n[0..511] collapse     # nothing mapped in c's 1 GiB there: SCAN_PMD_NULL
expect error EINVAL
expect pte b n[0] none
read b n[0]
expect folio b n[0] large order 9
