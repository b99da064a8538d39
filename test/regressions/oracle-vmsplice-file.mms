# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ): a pipe holding file pages sees a write through another process's shared
# mapping of the same page; a private mapping's COW copy leaves the pipe's page cache page as it was.
file f pages 4
process a
process b
mmap a f at 0x40000000 pages 4 shared rw as m
mmap b f at 0x40000000 pages 4 shared rw as m
read a m[0..1]
vmsplice a m[0..1] as fp
write b m[1]
expect pipe fp changed
mmap a f at 0x50000000 pages 4 private rw as pm
read a pm[2]
vmsplice a pm[2] as pp
write a pm[2]
expect pipe pp unchanged
expect pte a pm[2] write maps anon
