# PMD-mapped THP split by mprotect. With `enabled always` a fault in a 2M-aligned range of
# an anonymous VMA maps the whole 2M by one PMD: the huge zero folio on a read
# (use_zero_page 1), a new THP on a write (do_huge_pmd_anonymous_page). mprotect of part
# of it splits the VMA, and vma_adjust_trans_huge splits the PMD (__split_huge_pmd) into
# 512 PTEs that keep the PMD's write, dirty and soft-dirty bits; the folio stays one
# order-9 folio, now PTE-mapped (512 mappings), until split_folio splits it. From 6.12 that
# split maps each page no one ever wrote (all zeroes) as the shared zero page and frees it
# (remap_page(RMP_USE_SHARED_ZEROPAGE) -> try_to_map_unused_to_zeropage); measured on
# Debian 6.12.118 (6.1.192 remaps every page).
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 1024 private rw as buf

read p buf[0]                    # the huge zero folio, read-only, one fault
expect pte p buf[0..511] present huge !write maps zero
write p buf[512]                 # a new anon THP, writable and dirty
expect pte p buf[512..1023] present huge write dirty maps anon
expect folio p buf[700] large order 9 folio_mapcount 1 mapcount 1
expect faults p 2

mprotect p buf[512..515] r       # __split_huge_pmd: the PMD becomes 512 PTEs
expect pte p buf[512..515] present !huge !write dirty softdirty
expect pte p buf[516..1023] present !huge write dirty softdirty
expect folio p buf[600] large order 9 folio_mapcount 512 mapcount 1

write p buf[1]                   # do_huge_pmd_wp_page on the zero PMD: split, copy one page
expect pte p buf[1] present !huge write maps anon
expect pte p buf[2] present !huge !write maps zero
expect faults p 3

write p buf[600]                 # no fault: the PTE is writable
split p buf[600]                 # split_folio: 512 order-0 folios
expect result 0
expect folio p buf[600] !large mapcount 1
expect pte p buf[600] present write dirty maps anon
expect pte p buf[601] present !write !dirty maps zero   # never written: the zero page
