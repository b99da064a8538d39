# The order of an rmap walk over an anon_vma after mremap. After fork, a's VMA and c's
# are in the anon_vma's interval tree with the same key (the same vm_pgoff), a's first.
# mremap moves a's VMA (move_vma → copy_vma: a new VMA keeping vm_pgoff, linked by
# anon_vma_clone with a new anon_vma_chain, inserted after the equal keys already there;
# the old chain goes with the old VMA). So the walks of try_to_migrate and
# remove_migration_ptes (migrate), and of try_to_unmap (pageout), now reach c first — for
# a's own folio too, where c has no PTE to change. (Measured on Debian 6.1.192 and
# 6.12.118 through the kprobe events: docs/real-kernel.md.)
sysctl swap pages 16
process a
mmap a anon at 0x7f0000000000 pages 2 private rw as h
write a h[0..1]
fork a as c
mremap a h to 0x7a0000000000     # move_vma: a's VMA and its chain are new

migrate a h[0]                   # the folio a and c share
expect walk try_to_migrate c:h, a:h
expect walk remove_migration_ptes c:h, a:h
expect pte a h[0] present !write same c h[0]

write a h[1]                     # a copies h[1]: its own folio, in the same anon_vma
madvise a h[0..1] pageout        # h[0] is mapped twice: not isolated
expect pte a h[0] present
expect pte a h[1] swap !present
expect walk try_to_unmap c:h, a:h    # c's VMA first: no PTE of this folio there
