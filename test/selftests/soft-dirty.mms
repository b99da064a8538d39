# tools/testing/selftests/mm/soft-dirty.c (selftests/vm/ in 6.1): the same functions in Linux
# 6.1.192 and 6.12.118 (6.12 skips test_hugepage when THP is off). pagemap's soft-dirty bit is
# the PTE's bit OR the VMA's VM_SOFTDIRTY (pagemap_pte_range()), so a "clear" check needs both.
# The cases where the PTE bit alone suffices are in ../soft-dirty-mprotect.mms (v1).

process t

# --- test_simple(): aligned_alloc(pagesize, pagesize) (a heap page), 10000 rounds of
# clear_refs / check 0 / write / check 1 / clear_refs; one round is stated (each round
# starts from the same state).
mmap t anon at 0x7f0000000000 pages 1 private rw as heap
# selftest: soft-dirty Test test_simple
clear_refs t softdirty
expect vma t heap[0] !softdirty
expect pte t heap[0] !softdirty
clear_refs t softdirty
write t heap[0]                          # map[0]++
expect pte t heap[0] softdirty
clear_refs t softdirty
expect vma t heap[0] !softdirty
expect pte t heap[0] !softdirty
write t heap[0]
expect pte t heap[0] softdirty
# selftest-end
munmap t heap

# --- test_vma_reuse(): a new VMA is soft-dirty (VM_SOFTDIRTY from mmap_region()), also when
# it reuses the address of one that clear_refs had cleaned
mmap t anon at 0x7f0000100000 pages 1 private rw as m1
# selftest: soft-dirty Test test_vma_reuse dirty bit of allocated page
expect pte t m1[0] none
expect vma t m1[0] softdirty
# selftest-end
clear_refs t softdirty
munmap t m1
mmap t anon at 0x7f0000100000 pages 1 private rw as m2
# selftest: soft-dirty Test test_vma_reuse dirty bit of reused address page
expect vma t m2[0] softdirty
# selftest-end
munmap t m2

# --- test_hugepage(): memalign(2 MiB), MADV_HUGEPAGE, write every byte: a PMD THP
sysctl thp enabled madvise
mmap t anon at 0x7f0000200000 pages 512 private rw as huge
madvise t huge hugepage
# selftest: soft-dirty Test test_hugepage huge page allocation
write t huge[0..511]
expect pte t huge[0..511] present huge
# selftest: soft-dirty Test test_hugepage huge page dirty bit
clear_refs t softdirty
expect vma t huge[0] !softdirty
expect pte t huge[0] !softdirty
write t huge[0]
expect pte t huge[0] softdirty
clear_refs t softdirty
expect pte t huge[0] !softdirty
# selftest-end
munmap t huge

# --- test_mprotect() anon and file: the "clear" checks (pagemap soft-dirty 0)
mmap t anon at 0x7f0000600000 pages 1 private rw as a
shmem f pages 1                          # "./soft-dirty-test-file" in the guest's /tmp (tmpfs)
mmap t f at 0x7f0000700000 pages 1 shared rw as fm
write t a[0]
write t fm[0]
clear_refs t softdirty
# selftest: soft-dirty Test test_mprotect-anon soft-dirty clear after clear_refs
expect vma t a[0] !softdirty
expect pte t a[0] !softdirty
# selftest: soft-dirty Test test_mprotect-file soft-dirty clear after clear_refs
expect vma t fm[0] !softdirty
expect pte t fm[0] !softdirty
# selftest-end
mprotect t a r
mprotect t fm r
# selftest: soft-dirty Test test_mprotect-anon soft-dirty clear after marking RO
expect vma t a[0] !softdirty
expect pte t a[0] !softdirty
# selftest: soft-dirty Test test_mprotect-file soft-dirty clear after marking RO
expect vma t fm[0] !softdirty
expect pte t fm[0] !softdirty
# selftest-end
mprotect t a rw
mprotect t fm rw
# selftest: soft-dirty Test test_mprotect-anon soft-dirty clear after marking RW
expect vma t a[0] !softdirty
expect pte t a[0] !softdirty
# selftest: soft-dirty Test test_mprotect-file soft-dirty clear after marking RW
expect vma t fm[0] !softdirty
expect pte t fm[0] !softdirty
