# MADV_PAGEOUT of a whole PMD-mapped THP. madvise_cold_or_pageout_pte_range() makes the PMD
# old and isolates the THP whole; shrink_folio_list() checks its references as one folio
# (before 6.9: folio_referenced over the PMD; from 6.9 MADV_PAGEOUT ignores references),
# then add_to_swap() of the large folio fails and split_folio_to_list() splits it: one
# try_to_migrate walk over the folio, one remove_migration_ptes walk per page. From 6.12 that
# split maps every page no one wrote as the shared zero page and frees it
# (try_to_map_unused_to_zeropage), so only the written pages go to swap; 6.1 swaps all 512.
# Measured on Debian 6.1.192 and 6.12.118 through the kprobe events (the same walks).
kernel 6.12
sysctl swap pages 1024
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as buf
write p buf[0]                   # one fault: do_huge_pmd_anonymous_page
write p buf[5]                   # no fault: the PMD is writable
expect pte p buf[0..511] present huge dirty

madvise p buf[0..511] pageout
expect walk try_to_migrate p:buf
expect pte p buf[0] swap !present
expect pte p buf[5] swap
expect pte p buf[1..4] present !huge !dirty maps zero
expect pte p buf[6..511] maps zero
expect folio p buf[5] swapcache !large

read p buf[5]                    # the swap cache still has it: a minor fault
expect pte p buf[5] present !huge
expect faults p 2 major 0
