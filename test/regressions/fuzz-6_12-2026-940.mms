# Differential fuzz (npm run fuzz:kernel -- --seed 2026 --real 6.12), scenario 940, not shrunk
# (the run shrank two per kernel). The kernel's answer on 6.12.118+deb12-amd64 (the engine ran as 6.12.118)
# (Ln: line n of the scenario below these comments):
#   L19 writeback fb0: work run 1: kernel 0: [0] p0:m0, p1:m0* =1 (engine 0: [0] none =0)
# The kernel's work fired on its timer during L14 (exit p1), before p1's VMA was gone; the
# engine's clock reached the work only at L19's flush, after the exit (folio not mapped:
# folio_mkclean returns 0 without a walk). Now a timing window (compareTrace.ts, "elsewhere").
file f0 pages 1
file f1 pages 1 cold
shmem s0 pages 6
fbdev fb0 pages 5 backing vmalloc delay 48ms
process p0
process p1
process p2
mmap p0 fb0 at 0x7f0000100000 pages 5 shared rw as m0
mmap p1 fb0 at 0x7f0000100000 pages 3 shared rw as m0
mmap p2 s0 at 0x7f0000100000 pages 3 offset 2 private rw as m0
mmap p1 f0 at 0x7f0000200000 pages 1 private rw as m1
mmap p0 f0 at 0x7f0000200000 pages 1 private rw as m1
write p1 m0[0]
exit p1
mprotect p0 m0 rw
wait 5ms
mkclean f0[0]
mmap p2 fb0 at 0x7f0000200000 pages 2 offset 3 shared r as m1
writeback fb0
write p2 m1[1]
mmap p0 anon at 0x7f0000600000 pages 7 shared rw as m3
writeback f0
