# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ after the fix): MADV_FREE of a whole PMD THP (madvise_free_huge_pmd: PMD
# old and clean, folio lazyfree), then MADV_PAGEOUT: shrink_folio_list() takes the lazyfree
# folio to try_to_unmap(TTU_SPLIT_HUGE_PMD), whose "MADV_FREE page check" discards every PTE
# (no reference but the rmaps, not dirty): all 512 pages become none and the folio is freed;
# a later read maps the zero page. The engine had kept the THP mapped (no unmap of a
# PMD-mapped lazyfree folio).
kernel 6.12
sysctl swap pages 2048
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as buf
write p buf[0..511]
madvise p buf[0..511] free
expect pte p buf[0] present huge
madvise p buf[0..511] pageout
expect pte p buf[0] !present
expect pte p buf[300] !present
read p buf[3]
expect pte p buf[3] present
expect faults p 2
