# tools/testing/selftests/mm/madv_populate.c (selftests/vm/ in 6.1): the same test functions
# in Linux 6.1.192 and 6.12.118. SIZE is 2 MiB (512 pages); mmap(0, SIZE, ...) of private
# anonymous memory. The guest boots with THP `enabled` = always (Debian's default), so the
# scenario sets it too; the selftest's assertions do not depend on it.
# "range is populated" is pagemap's present-or-swapped (pagemap_is_populated()); soft-dirty is
# the PTE bit OR the VMA's VM_SOFTDIRTY (pagemap_pte_range()).

sysctl thp enabled always
process p

# --- test_prot_read(): PROT_READ
mmap p anon at 0x7f0000000000 pages 512 private r as ro
# selftest: madv_populate test_prot_read
madvise p ro populate_read
expect pte p ro[0..511] present
# selftest: madv_populate test_prot_read #2
madvise p ro populate_write
expect error EINVAL
# selftest-end
munmap p ro

# --- test_prot_write(): PROT_WRITE (no PROT_READ). On x86 the PTEs of such a VMA are readable
# too (PAGE_COPY), but GUP's check_vma_flags() wants VM_READ for a read, so
# faultin_page_range() refuses MADV_POPULATE_READ (EINVAL); a write needs only VM_WRITE.
mmap p anon at 0x7f0000200000 pages 512 private w as pw
# selftest: madv_populate test_prot_write
madvise p pw populate_read
expect error EINVAL
# selftest: madv_populate test_prot_write #2
madvise p pw populate_write
expect pte p pw[0] present write # madvise() returned 0 (a refusal would be an error here)
# selftest-end
munmap p pw

# --- test_holes(): a hole at page 1
mmap p anon at 0x7f0000400000 pages 512 private rw as h
munmap p h[1..1]
# selftest: madv_populate test_holes
madvise p h[0..511] populate_read
expect error ENOMEM
# selftest: madv_populate test_holes #2
madvise p h[0..511] populate_write
expect error ENOMEM
# selftest: madv_populate test_holes #3
madvise p h[0..1] populate_read
expect error ENOMEM
# selftest: madv_populate test_holes #4
madvise p h[0..1] populate_write
expect error ENOMEM
# selftest: madv_populate test_holes #5
madvise p 0x7f0000401000 pages 1 populate_read
expect error ENOMEM
# selftest: madv_populate test_holes #6
madvise p 0x7f0000401000 pages 1 populate_write
expect error ENOMEM
# selftest-end
munmap p h[0..0]
munmap p h[2..511]

# --- test_populate_read()
mmap p anon at 0x7f0000800000 pages 512 private rw as r
# selftest: madv_populate test_populate_read
expect pte p r[0..511] none
# selftest: madv_populate test_populate_read #2
madvise p r populate_read
expect pte p r[0] present        # madvise() returned 0 (a refusal would be an error here)
# selftest: madv_populate test_populate_read #3
expect pte p r[0..511] present
# selftest-end
munmap p r

# --- test_populate_write()
mmap p anon at 0x7f0000c00000 pages 512 private rw as w
# selftest: madv_populate test_populate_write
expect pte p w[0..511] none
# selftest: madv_populate test_populate_write #2
madvise p w populate_write
expect pte p w[0] write
# selftest: madv_populate test_populate_write #3
expect pte p w[0..511] present write
# selftest-end
munmap p w

# --- test_softdirty()
mmap p anon at 0x7f0001000000 pages 512 private rw as s
clear_refs p softdirty
# selftest: madv_populate test_softdirty
expect vma p s[0] !softdirty
expect pte p s[0..511] !softdirty
# selftest: madv_populate test_softdirty #2
madvise p s populate_read
expect pte p s[0..511] present
# selftest: madv_populate test_softdirty #3
expect vma p s[0] !softdirty
expect pte p s[0..511] !softdirty
# selftest: madv_populate test_softdirty #4
madvise p s populate_write
expect pte p s[0..511] present write
# selftest: madv_populate test_softdirty #5
expect pte p s[0..511] softdirty
