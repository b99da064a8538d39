# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and 6.12.118, 0 differ after
# the fix; 6.12.118 shown): (1) MADV_PAGEOUT of a whole PMD-mapped THP with no swap device
# splits it on both kernels: shrink_folio_list()'s add_to_swap() fails and a large folio falls
# back to split_folio_to_list() before the order-0 pages are activated (the engine kept it whole).
# (2) MADV_COLD over a PTE-mapped THP its VMA covers whole keeps it whole from 6.10 ("mm:
# madvise: avoid split during MADV_PAGEOUT and MADV_COLD"): the batch's PTEs old, the folio
# deactivated; 6.1.192 splits it (page_mapcount(page) is 1). docs/kernel-findings.md §20.
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x40000000 pages 512 private rw as buf
write p buf[0]
madvise p buf[0..511] pageout
expect folio p buf[3] !large
expect pte p buf[3] present
process q
mmap q anon at 0x80000000 pages 512 private rw as t
write q t[0]
mprotect q t[500] r              # the PMD becomes PTEs ...
mprotect q t[500] rw             # ... and the VMA merges back: one VMA, a PTE-mapped THP
madvise q t[0..511] cold
expect folio q t[3] large
expect pte q t[3] present !young
expect pte q t[0] present !young
