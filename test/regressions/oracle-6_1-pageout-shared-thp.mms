# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192, with examples/pageout-shared-thp.mms
# at 6.12.118, 0 differ on both): MADV_PAGEOUT of one page of p's PMD-mapped THP asks
# page_mapcount(head) != 1 at 6.1 (mm/madvise.c madvise_cold_or_pageout_pte_range); c does not
# map the head, so it is 1 and the THP is split. From 6.10 folio_likely_mapped_shared() leaves it
# alone. docs/kernel-findings.md §20.
kernel 6.1
sysctl thp enabled always
process p
mmap p anon at 0x40000000 pages 512 private rw as buf
write p buf[0]
fork p as c
munmap c buf[0]
madvise p buf[5] pageout
expect pte p buf[0] !huge
expect folio p buf[5] !large
expect walk try_to_migrate p:buf, c:buf
