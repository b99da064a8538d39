# tools/testing/selftests/mm/cow.c, Linux 6.12.118 (Debian linux-source-6.12; cow.c is not
# in 6.1's tree, its 6.12 file was run on the 6.1 kernel too): run_with_base_page() with
# test_cow_in_parent() and test_cow_in_parent_mprotect() (do_test_cow_in_parent()).
# The selftest maps one private anonymous page, populates it (memset 1), forks; the child
# keeps a copy and waits; the parent (optionally mprotect R, then RW) writes the page
# (memset 0xff); the child compares: "No leak from parent into child".
# In the model: the parent's write must COW (a fault, a new writable PTE), the child keeps
# its own read-only PTE to the old page and reads it without a fault.
# (Language v2 states the leak directly: `expect pte parent mem[0] !same child mem[0]`.)

process parent
mmap parent anon at 0x7f0000000000 pages 1 private rw as mem
mmap parent anon at 0x7f0000100000 pages 1 private rw as mem2

# selftest: cow Basic COW after fork() ... with base page
write parent mem[0]                      # memset(mem, 1, pagesize): populate
fork parent as child
expect pte parent mem[0] present !write maps anon
expect pte child mem[0] present !write maps anon
read child mem[0]                        # the child's copy (child_memcmp_fn)
write parent mem[0]                      # memset(mem, 0xff, size)
expect faults parent 2
expect pte parent mem[0] present write dirty maps anon
read child mem[0]                        # memcmp(): still the old page, no fault
expect faults child 0
expect pte child mem[0] present !write maps anon

# selftest: cow Basic COW after fork() with mprotect() optimization ... with base page
write parent mem2[0]
fork parent as child2
read child2 mem2[0]
mprotect parent mem2 r
mprotect parent mem2 rw
# the page is shared with child2: mprotect must not map it writable (can_change_pte_writable)
expect pte parent mem2[0] present !write
write parent mem2[0]
expect pte parent mem2[0] present write dirty maps anon
expect faults parent 4
read child2 mem2[0]
expect faults child2 0
expect pte child2 mem2[0] present !write maps anon
