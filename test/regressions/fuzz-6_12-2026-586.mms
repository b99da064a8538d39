# Differential fuzz (npm run fuzz:kernel -- --seed 2026 --real 6.12), shrunk.
# The kernel's answer on 6.12.118+deb12-amd64 (the engine ran as 6.12.118) (Ln: line n of the scenario below these comments):
#   L12 write p1 m0[2]: p1 faults: kernel +2 (=2) (engine +1 (=1))
# Did not reproduce: none of the 29 shrink candidates, and 1 fault (agree) when the file was
# booted again on both kernels. Unexplained; kept so that ci.sh runs it every time.
sysctl fault_around_bytes 4096
file f0 pages 7
file f1 pages 5 cold
shmem s0 pages 4
fbdev fb0 pages 5 backing vmalloc delay 48ms
process p0
process p1
process p2
mmap p0 f0 at 0x7f0000000000 pages 5 offset 2 shared r as m0
mmap p1 fb0 at 0x7f0000100000 pages 3 offset 2 shared rw as m0
mmap p2 s0 at 0x7f0000100000 pages 1 offset 3 shared rw as m0
write p1 m0[2]
writeback f0
exit p2
writeback f1
mkclean f1[2]
mkclean f1[3]
writeback fb0
