# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118): the page status move_pages(2) gives where there is no folio to move
# (mm/migrate.c add_page_for_migration before 6.12, add_folio_for_migration from 6.12;
# `migrate PROC LABEL[I]` follows it). The zero page is EFAULT at both (FOLL_DUMP "to ignore
# special (like zero) pages", then is_zero_folio()); a swap entry is ENOENT at both (no folio
# mapped there: the swap cache is not looked up); VM_PFNMAP is EFAULT (vma_migratable());
# nothing mapped in a shared file VMA is ENOENT. Nothing mapped in private anonymous memory
# is where they differ: 6.1's follow_page(FOLL_DUMP) ends in no_page_table(), EFAULT for an
# anonymous VMA, and 6.12's folio_walk_start() finds no folio, ENOENT (this file's `expect`
# lines state 6.12; oracle-6_1-migrate-errno.mms states 6.1). The engine had said ENOENT for
# the zero page and migrated the swap cache's folio.
kernel 6.12
sysctl swap pages 64
file f pages 2
pfnmap regs pages 2
process a
mmap a anon at 0x10000000 pages 4 private rw as h
mmap a f at 0x20000000 pages 2 shared rw as m
mmap a regs at 0x30000000 pages 2 shared rw as r
read a h[1]
expect pte a h[1] present !write special
migrate a h[1]
expect error EFAULT
migrate a h[0]
expect error ENOENT
migrate a m[0]
expect error ENOENT
write a h[2]
madvise a h[2] pageout
expect pte a h[2] swap
migrate a h[2]
expect error ENOENT
expect pte a h[2] swap
write a h[3]
migrate a h[3]
expect result 0
# last: the oracle's guest has no pfnmap driver, so what follows runs on the engine alone
write a r[0]
migrate a r[0]
expect error EFAULT
