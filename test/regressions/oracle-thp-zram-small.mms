# Real-kernel finding (2026-12-05, THP swap-out on zram, Debian 6.1.192 and
# 6.12.118, 0 differ): a zram device of 600 pages has no whole free cluster (cluster 0 holds
# the header, cluster 1 is cut short), so add_to_swap() of a THP fails and the THP is split
# ("Fallback to swap normal pages") and swapped out page by page. docs/kernel-findings.md §21.
kernel 6.12
sysctl swap pages 600 sync
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as buf
write p buf[0..511]
madvise p buf[0..511] pageout
expect walk try_to_migrate p:buf
expect pte p buf[0] swap
