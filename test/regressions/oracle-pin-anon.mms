# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118): io_uring_register(IORING_REGISTER_BUFFERS) pins every page for a write
# (pin_user_pages FOLL_WRITE | FOLL_LONGTERM): a shared anonymous page is unshared, the zero
# page replaced; fork gives the child a copy of a pinned exclusive page at once
# (copy_present_page) and leaves the parent's PTE writable, a pinned PMD is split first
# (copy_huge_pmd), so the process's later writes reach the pinned pages; a page shared
# before the pin is not pinned-shared; clear_refs leaves a writable pinned PTE alone
# (pte_is_pinned). docs/language.md "Pinned buffers".
sysctl thp enabled never
process p
mmap p anon at 0x40000000 pages 8 private rw as m
write p m[0..3]
pin p m[0..3] as b
expect result 0
expect faults p 4
expect pte p m[0..3] present write
fork p as c
expect pte p m[0..3] present write
expect pte c m[0..3] present write dirty !same p m[0]
write p m[0..3]
expect faults p 4
expect pin b changed
read c m[0..3]
expect faults c 0
# the zero page and a page shared with a child are replaced by the pin's write fault
read p m[4]
fork p as d
pin p m[4..5] as z
expect pte p m[4] present write !same d m[4]
expect pte d m[4] present !write
write d m[4]
expect pin z unchanged
write p m[5]
expect pin z changed
exit d
exit c
# no VM_WRITE: EFAULT, nothing stays pinned
mprotect p m[6..7] r
pin p m[6..7] as ro
expect error EFAULT
# the R/O-mapping test: write-protected by clear_refs, the exclusive page is reused
mmap p anon at 0x40100000 pages 2 private rw as n
write p n[0..1]
pin p n as r
mprotect p n r
clear_refs p softdirty
expect pte p m[0] present write softdirty
expect pte p n[0] present !write !softdirty
mprotect p n rw
expect pte p n[0] present !write
write p n[0..1]
expect faults p 11
expect pin r changed
exit p
