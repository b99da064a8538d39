# Differential fuzz (npm run fuzz:kernel -- --seed 2026 --real 6.12), shrunk.
# The kernel's answer on 6.12.118+deb12-amd64 (the engine ran as 6.12.118) (Ln: line n of the scenario below these comments):
#   L12 write p2 m1[0..1]: p2 faults: kernel +2 (=4) (engine +1 (=3))
# The kernel's deferred work fired on its timer between the two writes (real time), so page
# 1 faulted again; the engine's clock had not moved (no wait). Now a timing window.
sysctl fault_around_bytes 4096
file f0 pages 3
shmem s0 pages 1
fbdev fb0 pages 6 backing vmalloc delay 48ms
process p0
process p1
process p2
mmap p0 anon at 0x7f0000000000 pages 8 shared r as m0
mmap p2 f0 at 0x7f0000100000 pages 1 offset 2 shared r as m0
mmap p2 fb0 at 0x7f0000200000 pages 3 offset 3 shared rw as m1
write p2 m1[1..2]
write p2 m1[0..1]
