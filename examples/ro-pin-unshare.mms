# A long-term R/O pin (a device that only reads the memory: VFIO, RDMA; here gup_test's
# PIN_LONGTERM_TEST_START) must pin the page the process will write to next, or the device
# reads stale data. GUP makes sure of it by unsharing first (gup_must_unshare →
# FAULT_FLAG_UNSHARE): a page that is not exclusively this process's anonymous page is made
# so (reused, or copied and mapped read-only). Anonymous pages shared after fork at every
# release; the shared zero page only from 6.2. Run it as 6.1 (the inspector's kernel picker,
# or `mmscope check --kernel 6.1.192`) to see the zero page pinned as it is, and the pin miss
# the write. docs/language.md "Pinned buffers".
process p
mmap p anon at 0x1000000 pages 2 private rw as heap

write p heap[0]                  # an anonymous page ...
fork p as c                      # ... now shared with the child
pin p heap[0] as dev readonly    # unshare: a copy for p, mapped read-only; the child keeps the old page
expect pte p heap[0] present !write !same c heap[0]
write p heap[0]                  # reuses the pinned, exclusive page: the device sees the write
expect pin dev changed

read p heap[1]                   # the shared zero page, read-only
pin p heap[1] as zero readonly   # 6.2+: replaced by a zeroed anonymous page first
expect pte p heap[1] present !write maps anon
write p heap[1]
expect pin zero changed
exit c
exit p
