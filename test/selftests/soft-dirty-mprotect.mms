# tools/testing/selftests/mm/soft-dirty.c, test_mprotect() (test_mprotect_anon(),
# test_mprotect_file()); the same function in Linux 6.1.192 (selftests/vm) and 6.12.118.
# The selftest reads /proc/self/pagemap's soft-dirty bit, which is the PTE's soft-dirty bit
# OR the VMA's VM_SOFTDIRTY (pagemap_pte_range()). The checks that the bit is SET are
# stated here by the PTE bit alone (it is sufficient). The checks that it is CLEAR need the
# VMA's flag as well (language v2 `expect vma ... !softdirty`): test/selftests/v2/soft-dirty.mms.
# The file case opens "./soft-dirty-test-file" in the working directory, which is tmpfs
# (/tmp) in the oracle's guest, so the object here is shmem.

process t
mmap t anon at 0x7f0000000000 pages 1 private rw as anon1
shmem f pages 1
mmap t f at 0x7f0000100000 pages 1 shared rw as file1

# selftest: soft-dirty Test test_mprotect-anon dirty bit of new written page
write t anon1[0]                         # *map = 1
expect pte t anon1[0] present write softdirty
# selftest-end
clear_refs t softdirty                   # clear_softdirty()
expect pte t anon1[0] present !write !softdirty
mprotect t anon1 r
expect pte t anon1[0] !softdirty
mprotect t anon1 rw
expect pte t anon1[0] !softdirty
# selftest: soft-dirty Test test_mprotect-anon soft-dirty after rewritten
write t anon1[0]                         # *map = 2
expect pte t anon1[0] present write softdirty
# selftest-end

# selftest: soft-dirty Test test_mprotect-file dirty bit of new written page
write t file1[0]
expect pte t file1[0] present write softdirty maps f[0]
# selftest-end
clear_refs t softdirty
expect pte t file1[0] present !write !softdirty
mprotect t file1 r
mprotect t file1 rw
expect pte t file1[0] !write !softdirty  # soft-dirty tracking keeps write-notify
# selftest: soft-dirty Test test_mprotect-file soft-dirty after rewritten
write t file1[0]
expect pte t file1[0] present write softdirty maps f[0]
