# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ after the fix): a write after MADV_FREE redirties the PMD THP; MADV_PAGEOUT's
# try_to_unmap splits the PMD and its first PTE is dirty, so the MADV_FREE page check puts it
# back, sets the folio swap-backed again and ends the walk: every page stays mapped (by PTEs
# now). From 6.9 MADV_PAGEOUT leaves the PMD young (`!pageout && pmd_young(orig_pmd)` in
# madvise_cold_or_pageout_pte_range), which 6.12.118 shows in the PTEs after the split.
kernel 6.12
sysctl swap pages 2048
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as buf
write p buf[0..511]
madvise p buf[0..511] free
write p buf[100]
madvise p buf[0..511] pageout
expect pte p buf[0] present
expect pte p buf[100] present dirty
read p buf[3]
expect faults p 1
