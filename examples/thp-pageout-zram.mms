# MADV_PAGEOUT of a PMD-mapped THP on zram (`sync`: a non-rotational block device with
# swap clusters): add_to_swap() gets the folio a whole free cluster (6.1–6.9:
# swap_alloc_cluster; 6.10+: scan_swap_map_slots with the folio's order), try_to_unmap()
# splits the PMD into PTEs (TTU_SPLIT_HUGE_PMD) and gives page i the swap entry slot + i in
# one rmap walk, one swap_writepage() writes the folio, and zram completes it at once: the
# folio leaves the swap cache whole and is freed. No split_folio (no try_to_migrate).
# With a swap file instead (examples/thp-pageout.mms) add_to_swap() fails and the THP is split.
kernel 6.12
sysctl swap pages 1024 sync
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as buf
write p buf[0..511]
expect pte p buf[0..511] present huge dirty
madvise p buf[0..511] pageout
expect pte p buf[0] swap !present
expect pte p buf[511] swap
expect walk try_to_unmap p:buf
expect walk try_to_migrate none
# swap-in stays order 0 (alloc_swap_folio considers only orders below the PMD's)
read p buf[5]
expect pte p buf[5] present !huge
expect pte p buf[4] swap
expect pte p buf[6] swap
expect faults p 2
