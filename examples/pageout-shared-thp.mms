# MADV_PAGEOUT and MADV_COLD of a THP two processes map: p by its PMD, c (p's fork child,
# which unmapped the first page) by PTEs. madvise_cold_or_pageout_pte_range() leaves a
# large folio alone when it takes it to be shared, and what "shared" means changed
# (versions.ts `madv-cold-*`, docs/kernel-findings.md §19): 6.1 asks page_mapcount() of the
# page the PMD maps, the head, which only p maps: 1, so p's one-page pageout splits the THP
# (test/regressions/oracle-6_1-pageout-shared-thp.mms). From 6.10 folio_likely_mapped_shared()
# calls a PMD-mapped folio with any other mapping shared: the THP is left alone. c's PTE walk
# skips the folio at every release (6.1: page_mapcount of c's page counts p's PMD too).
# Measured on Debian 6.1.192 and 6.12.118.
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x40000000 pages 512 private rw as buf
write p buf[0]
fork p as c
munmap c buf[0]                  # c's PMD becomes PTEs for pages 1..511
madvise p buf[5] pageout
expect pte p buf[0] huge
expect folio p buf[5] large
expect pte c buf[5] present

madvise c buf[1..511] cold       # the PTE batch is shared: skipped, not split
expect folio c buf[5] large
expect pte p buf[5] huge
