# `migrate` of a page of a THP: migrate_pages() moves the whole folio (mm/migrate.c; x86-64
# migrates THPs whole, src/engine/migrateLarge.ts). try_to_migrate() is one rmap walk over the
# folio: p's and c's PMDs become PMD migration entries (set_pmd_migration_entry); the data
# moves to a new THP; remove_migration_ptes() maps it where the entries were: still by PMDs,
# still write-protected after fork. q's PTE-mapped THP (its PMD split by mprotect) keeps its
# PTEs, each page at its place in the new folio, and stays one large folio; both walks visit
# each of the three VMAs the mprotect left. Nothing is split,
# so at 6.12 no never-written page turns into the zero page (a split would: split-remap-zeropage).
# The real-kernel oracle realises `migrate` with move_pages(2) to the guest's other NUMA node
# (MPOL_MF_MOVE_ALL), which migrates the page's whole folio; measured on Debian 6.1.192 and
# 6.12.118. (MADV_SOFT_OFFLINE would split the THP and move only the one page.)
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x40000000 pages 512 private rw as buf
write p buf[0]                   # a PMD-mapped THP: buf[0..511]
fork p as c
migrate p buf[3]
expect result 0
expect walk try_to_migrate p:buf, c:buf
expect walk remove_migration_ptes p:buf, c:buf
expect pte p buf[0] huge
expect folio p buf[3] large
expect pte p buf[3] present !write same c buf[3]
expect pte p buf[100] maps anon

process q
mmap q anon at 0x80000000 pages 512 private rw as t
write q t[0]                     # q's THP
mprotect q t[100] r              # splits the PMD and the VMA: PTEs, one large folio still
migrate q t[1]
expect result 0
expect walk try_to_migrate q:t[0], q:t[100], q:t[101]
expect walk remove_migration_ptes q:t[0], q:t[100], q:t[101]
expect folio q t[1] large
expect pte q t[1] !huge
expect pte q t[1] present write
expect pte q t[100] present !write
expect pte q t[200] maps anon
