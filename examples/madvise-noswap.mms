# MADV_PAGEOUT, COLD, FREE and DONTNEED without a swap device (checked on real 6.1 and 6.12):
# pageout cannot swap the anonymous folio (add_to_swap fails: activate), cold makes the
# PTE old, free makes it old and clean, dontneed zaps it (the next read maps the zero page).
process p
mmap p anon at 0x7f0000000000 pages 4 private rw as h
write p h[0..3]
madvise p h[0] pageout
expect pte p h[0] present write
madvise p h[1] cold
expect pte p h[1] present !young
fork p as c
madvise p h[2] free
expect pte p h[2] present !dirty
madvise p h[3] dontneed
expect pte p h[3] none
read p h[3]
expect pte p h[3] maps zero
expect faults p 5
