# An mprotect of a middle page splits a VMA twice; each split re-inserts the pieces
# into i_mmap behind VMAs with an equal vm_pgoff (kernel-model T12, findings item 9).
file f pages 4
process a
process b
mmap a f at 0x7f0000000000 pages 4 shared rw as m
mmap b f at 0x7e0000000000 pages 4 shared rw as m
write a m[0]
write b m[0]
mkclean f[0]
expect walk a:m, b:m             # mmap order
expect result 2

mprotect a m[1..1] r             # a: [0,0] [1,1] [2,3]
write a m[0]
write b m[0]
mkclean f[0]
expect walk b:m, a:m             # a's piece now sits after b
expect result 2
write a m[1]
expect signal a SIGSEGV          # page 1 is read-only now
