# mmap between two anonymous mappings, the one after it already faulted (it has an
# anon_vma), the one before not. Linux 6.12: vma_merge_new_range checks prev with the new range's
# own (no) anon_vma, then next, whose anon_vma is compatible with prev's (none): prev grows
# over both and takes next's anon_vma (dup_anon_vma): one VMA.
kernel 6.12
process a
mmap a anon at 0x10000000 pages 1 private rw as p
mmap a anon at 0x10002000 pages 1 private rw as n
write a n[0]
mmap a anon at 0x10001000 pages 1 private rw as m
expect vmas a 1
expect vma a m[0] start 0x10000000 end 0x10003000 pgoff 0x10000 anon_vma
expect pte a n[0] present write dirty maps anon
