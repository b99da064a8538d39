# Real-kernel finding (2026-12-05, v2 differential fuzz seed 11 #16; Debian 6.1.192 and
# 6.12.118 both differed): after mremap moved the middle pages of a label, `madvise ...
# dontneed` of LABEL[0..N] dropped only the pages left in place on the engine (it advised the
# span from the address of LABEL[0] to that of LABEL[N], a hole in the middle); the oracle
# advises every page the label names, one madvise(2) per run, and the kernel zapped the moved
# pages too. A label keeps naming its pages wherever they are (language v2): the engine now
# makes one call per run for madvise, mprotect and munmap.
kernel 6.12
process p
mmap p anon at 0x7f0000000000 pages 64 private rw as t
write p t[0..63]
mremap p t[8..39] to 0x7e0001010000
madvise p t[0..47] dontneed
expect pte p t[0] none
expect pte p t[20] none
expect pte p t[47] none
expect pte p t[48] present
write p t[0..47]
mprotect p t[4..43] r
expect pte p t[3] write
expect pte p t[4..43] !write
munmap p t[6..41]
expect vmas p 4
