# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ): `migrate` of a page of a shmem THP two processes map by PMDs (tmpfs huge=always) moves
# the whole folio on both kernels (move_pages → migrate_pages; try_to_migrate and
# remove_migration_ptes walk i_mmap once each, a: then b:), the PMDs stay PMDs at the new PFN.
# The engine used to split it and move every page. docs/kernel-findings.md §20.
kernel 6.12
shmem s pages 512 huge always
process a
process b
mmap a s at 0x7f0000000000 pages 512 shared rw as m
mmap b s at 0x7e0000000000 pages 512 shared rw as m
write a m[3]
read b m[10]
migrate a m[5]
expect result 0
expect walk try_to_migrate a:m, b:m
expect walk remove_migration_ptes a:m, b:m
expect pte a m[0] huge
expect pte b m[10] present huge same a m[10]
expect folio s[100] large order 9 folio_mapcount 2
migrate s[7]
expect result 0
expect pte a m[7] same s[7]
