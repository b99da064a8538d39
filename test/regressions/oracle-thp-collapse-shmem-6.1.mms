# Real-kernel finding (2026-12-05, MADV_COLLAPSE of shmem on Debian 6.1.192 and 6.12.118,
# 0 differ on both): 6.12.118 maps b's next read by a PMD (retract_page_tables freed its
# emptied table, collapse-file-retract-all), 6.1.192 by 16 PTEs of the THP (fault-around
# over the kept table). 6.1's pagemap gives every page of a PMD mapping the head page's
# PM_MMAP_EXCLUSIVE (page_mapcount(pmd_page())): the oracle's comparison now does so before
# 6.11. The caller's table is retracted and its PMD set (set_huge_pmd at 6.1,
# collapse_pte_mapped_thp from 6.6); a later MADV_COLLAPSE by b finds the THP in the page
# cache (SCAN_PTE_MAPPED_HUGEPAGE) and maps it by a PMD (6.1; 6.12: already PMD-mapped).
# A MAP_PRIVATE mapping that COWed a page (anon_vma) keeps its table and its anon page.
# Shared anonymous memory is shmem too. A regular file: EINVAL (no READ_ONLY_THP_FOR_FS).
kernel 6.1
shmem s pages 512
process a
process b
process c
mmap a s at 0x7f0000000000 pages 512 shared rw as m
mmap b s at 0x7e0000000000 pages 512 shared rw as m
mmap c s at 0x7d0000000000 pages 512 private rw as m
write a m[0]
read b m[2]
write c m[1]                     # a COW copy: c's VMA gets an anon_vma
read c m[0]
madvise a m[0..511] collapse
expect result 0
expect pte a m[0..511] present huge
expect pte b m[0] none
expect pte c m[0] none
expect pte c m[1] present maps anon   # collapse_file unmaps page-cache pages only
read b m[40]                     # 6.1: b's emptied table stays: PTEs of the THP (m[100] none)
expect pte b m[40] present
expect folio b m[40] large order 9 mapcount 2
madvise b m[0..511] collapse     # SCAN_PTE_MAPPED_HUGEPAGE → collapse_pte_mapped_thp
expect result 0
expect pte b m[0..511] present huge
expect folio b m[40] mapcount 2
read c m[7]
expect pte c m[7] present !huge
madvise c m[0..511] collapse     # an anon page in c's table: SCAN_FAIL
expect error EINVAL
expect result 22

process d
mmap d anon at 0x40000000 pages 512 shared rw as q
write d q[5]
madvise d q[0..511] collapse
expect result 0
expect pte d q[0..511] present huge write !dirty
expect folio d q[5] large order 9 dirty

file f pages 512
mmap d f at 0x7c0000000000 pages 512 shared r as r
read d r[0]
madvise d r[0..511] collapse     # file_thp_enabled: CONFIG_READ_ONLY_THP_FOR_FS is not set
expect error EINVAL
expect pte d r[0] present !huge

shmem e pages 512
mmap d e at 0x7b0000000000 pages 512 shared rw as z
madvise d z[0..511] collapse     # nothing in the page cache: SCAN_TRUNCATED
expect error EINVAL
