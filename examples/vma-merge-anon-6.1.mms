# mmap between two anonymous mappings, the one after it already faulted (it has an
# anon_vma), the one before not. Linux 6.1: mmap_region checks next first and passes next's
# anon_vma to the prev check; prev's anon_vma_chain is empty (not list_is_singular), so
# only next grows over the new range: two VMAs.
kernel 6.1
process a
mmap a anon at 0x10000000 pages 1 private rw as p
mmap a anon at 0x10002000 pages 1 private rw as n
write a n[0]
mmap a anon at 0x10001000 pages 1 private rw as m
expect vmas a 2
expect vma a m[0] start 0x10001000 end 0x10003000 pgoff 0x10001 anon_vma
expect vma a p[0] pages 1 !anon_vma
