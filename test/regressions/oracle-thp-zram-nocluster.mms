# Real-kernel finding (2026-12-05, THP swap-out on zram, Debian 6.1.192 and
# 6.12.118, 0 differ): a THP gets a whole free swap cluster or is split. Order-0 slots on zram
# come from a per-CPU cluster taken from the free clusters (scan_swap_map_try_ssd_cluster;
# cluster 0 holds the header), so after one order-0 swap-out a 1024-slot zram has no free
# cluster and the THP is split (try_to_migrate) before swap-out. docs/kernel-findings.md §21.
kernel 6.12
sysctl swap pages 1024 sync
sysctl thp enabled always
process p
mmap p anon at 0x7e0000000000 pages 1 private rw as s
mmap p anon at 0x7f0000000000 pages 512 private rw as buf
write p s[0]
madvise p s[0] pageout
expect pte p s[0] swap
write p buf[0..511]
expect pte p buf[0..511] present huge
madvise p buf[0..511] pageout
expect walk try_to_migrate p:buf
expect pte p buf[0] swap
