# MADV_COLLAPSE of a PTE-mapped range into one PMD-mapped THP, shared by fork, then split.
# madvise_collapse() (mm/khugepaged.c, 6.1+) collapses whatever the sysfs knobs say:
# hpage_collapse_scan_pmd() accepts none and zero-page PTEs, collapse_huge_page() copies
# the written pages into a new THP (the rest stays zeroes) and maps it by one dirty PMD.
# split_folio() then freezes the PMD into migration entries (young and dirty kept) and
# remaps every page; from 6.12 (remap_page(RMP_USE_SHARED_ZEROPAGE)) a page that holds
# only zeroes is mapped as the shared zero page instead, in every process, and freed.
kernel 6.12
process p
mmap p anon at 0x40000000 pages 512 private rw as t
write p t[0]
write p t[1]
read p t[2]                      # the zero page
expect pte p t[0] present !huge
madvise p t[0..511] collapse
expect pte p t[0..511] present huge write dirty
expect folio p t[0] large order 9
fork p as c                      # copy_huge_pmd: both map the PMD read-only
expect pte c t[0..511] present huge !write

split p t[5]                     # debugfs split_huge_pages on the real kernel
expect result 0
expect pte p t[0] present !huge !write dirty maps anon
expect pte c t[1] present !huge !write dirty maps anon
expect folio p t[0] !large mapcount 2
expect pte p t[2..511] present !dirty maps zero
expect pte c t[2..511] present !dirty maps zero
expect pte c t[0] same p t[0]
