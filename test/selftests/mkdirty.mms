# tools/testing/selftests/mm/mkdirty.c, Linux 6.12.118 (not in 6.1's tree; its 6.12 file was
# run on the 6.1 kernel too): test_page_migration(), test_page_migration_thp(),
# test_pte_mapped_thp(). Each maps private anonymous memory, dirties it, makes it read-only,
# then does something that rebuilds the page-table entries (migration; PTE-mapping a PMD THP),
# and checks do_test_write_sigsegv(): a write raises SIGSEGV and the page is not modified, i.e.
# the rebuilt entry is not writable (the bug class: pte_mkdirty() making a PTE writable).
# Not expressible: test_ptrace_write(), test_ptrace_write_thp() (a FOLL_FORCE write through
# /proc/self/mem), test_uffdio_copy() (userfaultfd).
# mmap_thp_range(): 2 * thpsize, the thpsize-aligned half (pages 512..1023 of the label).

sysctl thp enabled always
process p

# selftest: mkdirty Page migration
mmap p anon at 0x7f0000000000 pages 1 private rw as m
write p m[0]                             # memset(mem, 1, pagesize)
mprotect p m r
migrate p m[0]                           # mbind(MPOL_LOCAL, MPOL_MF_MOVE)
write p m[0]
expect signal p SIGSEGV
expect pte p m[0] present !write

# selftest: mkdirty Page migration of THP
mmap p anon at 0x7f0000200000 pages 1024 private rw as t
madvise p t[512..1023] hugepage
write p t[512]                           # memset(mem, 1, pagesize): a fresh PMD THP
mprotect p t[512..1023] r
expect pte p t[1023] present             # a THP was populated
migrate p t[512]
write p t[512]
expect signal p SIGSEGV
expect pte p t[512] present !write

# selftest: mkdirty PTE-mapping a THP
mmap p anon at 0x7f0000600000 pages 1024 private rw as u
madvise p u[512..1023] hugepage
write p u[512]
mprotect p u[512..1023] r
expect pte p u[1023] present
mprotect p u[1023..1023] rw              # PTE-map the THP
expect pte p u[512] !huge
write p u[512]
expect signal p SIGSEGV
expect pte p u[512] present !write
