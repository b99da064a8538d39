# VMA merging (language v2): three mmaps of one file by one process become one VMA
# (vma_merge_new_range; each process opens the file once, so vm_file matches), an
# mprotect of the middle splits it into three and mprotect back merges them again
# (vma_merge_existing_range → commit_merge). Each merge takes the growing VMA out of
# i_mmap and re-inserts it, so it lands behind b's VMA with the same vm_pgoff.
kernel 6.12
file f pages 8
process a
process b
mmap a f at 0x10000000 pages 2 shared rw as x
mmap b f at 0x20000000 pages 8 shared rw as w    # another process: never merged with a
mmap a f at 0x10004000 pages 2 offset 4 shared rw as z
expect vmas a 2
expect i_mmap f a:x, b:w, a:z
mmap a f at 0x10002000 pages 2 offset 2 shared rw as y
expect vmas a 1                                  # x, y and z are one VMA now
expect vma a y[1] start 0x10000000 end 0x10006000 pgoff 0 shared read write
expect i_mmap f b:w, a:x                         # x was removed and re-inserted: after b
read a z[1]                                      # fault-around covers the whole merged VMA
expect pte a x[0] present !write
expect pte a z[1] present

mprotect a y[0..1] r                             # split in three (no neighbour matches)
expect vmas a 3
expect i_mmap f b:w, a:x, a:y, a:z
expect vma a y[0] pages 2 pgoff 2 read !write
mprotect a y[0..1] rw                            # prev and next match: both removed
expect vmas a 1
expect i_mmap f b:w, a:x

write a y[0]
mkclean f[2]
expect walk b:w, a:x                             # the VMA is named by its lowest page's label
expect result 1
