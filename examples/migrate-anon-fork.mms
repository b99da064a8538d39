# The rmap walks of migration and reclaim over anonymous folios a parent and its child
# share after fork. try_to_migrate() and remove_migration_ptes() walk the anon_vma's
# interval tree: the parent's VMA, then the child's (anon_vma_fork() links the child to
# the parent's anon_vma). MADV_PAGEOUT skips a folio mapped twice; the one the child's
# COW left to the parent alone is reclaimed: try_to_unmap() reaches p, and is done there
# (folio_not_mapped), before the child's VMA. (The real-kernel oracle realises
# `migrate PROC LABEL[I]` with move_pages(2) to the other NUMA node and sees the walks through kprobes.)
sysctl swap pages 16
process p
mmap p anon at 0x7f0000000000 pages 2 private rw as h
write p h[0..1]
fork p as c

migrate p h[0]                   # the folio both map
expect result 0
expect walk try_to_migrate p:h, c:h
expect walk remove_migration_ptes p:h, c:h
expect pte p h[0] present !write same c h[0]

write c h[1]                     # c copies h[1]: p's folio is mapped once again
madvise p h[0..1] pageout
expect pte p h[0] present        # mapped twice: not isolated
expect pte p h[1] swap !present
expect walk try_to_unmap p:h
expect walk p:h
expect walk remove_migration_ptes p:h, c:h   # still the migration's
