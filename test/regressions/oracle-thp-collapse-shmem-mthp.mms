# Real-kernel finding (2026-12-05, MADV_COLLAPSE of shmem over shmem mTHP, Debian 6.1.192
# and 6.12.118, 0 differ on both): 6.12.118 collapses shared anonymous memory held in 64K
# folios (hugepages-64kB/shmem_enabled) into one PMD-size folio (collapse_file copies large
# folios from 6.12: collapse-file-large-folios; 6.11 gave SCAN_PAGE_COMPOUND), and the
# forked child, whose emptied table retract_page_tables freed, refaults it by a PMD.
# 6.1.192 has no per-size shmem knob: order-0 folios, the same collapse.
kernel 6.12
sysctl thp shmem 64K always
process a
mmap a anon at 0x40000000 pages 512 shared rw as m
write a m[0]
write a m[17]
expect folio a m[3] large
fork a as b
read b m[20]
madvise a m[0..511] collapse
expect result 0
expect folio a m[3] large mapcount 1
read b m[20]
expect pte b m[300] present
