# Differential fuzz (npm run fuzz:kernel -- --seed 7 --real series), shrunk.
# The kernel's answer on 6.12.118 (the engine ran as 6.12.118+mapping-wrprotect-range) (Ln: line n of the scenario below these comments):
#   L7 write p2 m0[3]: p2 m0[0..3] pages: kernel -s -s -s Axsm1 (engine -s -s -s Axsm1): page identity:
#   kernel "same page as L5 p1 m0[2]" (the PFN p1's shared-anon page had before p1 exited), engine
#   "a new page". PFN reuse after a free, not the same page: identity now starts afresh after exit/munmap.
process p1
process p2
mmap p1 anon at 0x7f0000100000 pages 7 shared r as m0
mmap p2 anon at 0x7f0000100000 pages 4 private rw as m0
read p1 m0[2]
exit p1
write p2 m0[3]
