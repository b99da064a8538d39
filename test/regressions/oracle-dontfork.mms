# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ): MADV_DONTFORK / MADV_DOFORK (mm/madvise.c madvise_vma_behavior →
# madvise_update_vma): the range becomes its own VMA with VM_DONTCOPY, which dup_mmap() does
# not copy, so the child faults there with SIGSEGV; MADV_DOFORK clears it and the VMAs merge
# back.
kernel 6.12
process p
mmap p anon at 0x10000000 pages 8 private rw as m
write p m[0..7]
madvise p m[4..7] dontfork
expect vmas p 2
fork p as c
expect vmas c 1
expect pte c m[0] present !write same p m[0]
expect pte c m[4] !present
read c m[4]
expect signal c SIGSEGV
madvise p m[4..7] dofork
expect vmas p 1
fork p as d
expect pte d m[4] present same p m[4]
write d m[4]
expect pte d m[4] present write !same p m[4]
