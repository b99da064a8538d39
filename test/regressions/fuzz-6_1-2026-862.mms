# Differential fuzz (npm run fuzz:kernel -- --seed 2026 --real 6.1), shrunk.
# The kernel's answer on 6.1.0-57-amd64 (the engine ran as 6.1.192) (Ln: line n of the scenario below these comments):
#   L6 write p0 m1[0]: p0 faults: kernel +1 (=2) (engine +0 (=1))
# The kernel's deferred work fired on its timer (48 ms of real time) during the fork, so the
# second write faulted again; the engine's clock had not moved (no wait). Now a timing window.
fbdev fb0 pages 2 backing vmalloc delay 48ms
process p0
mmap p0 fb0 at 0x7f0000300000 pages 1 offset 1 shared rw as m1
write p0 m1[0]
fork p0 as c1
write p0 m1[0]
