# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and 6.12.118, 0 differ after
# the fix; 6.12.118 shown): MADV_FREE's sharing test of a large folio. (1) p's PMD-mapped THP,
# PTE-mapped by its child except the head: madvise_free_huge_pmd() skips it on 6.1.192
# (total_mapcount 512 != 1) and 6.12.118 (folio_likely_mapped_shared); the engine tested
# page_mapcount(head) (1) and split it at 6.1. (2) q's PTE-mapped THP without its first page:
# 6.1.192 (6.1.50's backport: folio_estimated_sharers, 0 != 1) ends the walk, 6.12.118
# (folio_likely_mapped_shared: exclusive) splits it. docs/kernel-findings.md §20.
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x40000000 pages 512 private rw as buf
write p buf[0]
fork p as c
munmap c buf[0]
madvise p buf[5] free
expect folio p buf[5] large
process q
mmap q anon at 0x80000000 pages 512 private rw as t
write q t[0]
munmap q t[0]                    # the PMD becomes PTEs for pages 1..511
madvise q t[1..511] free
expect folio q t[5] !large
