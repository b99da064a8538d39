# Swap entries after MADV_PAGEOUT (disk swap): WILLNEED reads one back into the swap cache,
# DONTNEED and FREE drop entries (free_swap_and_cache), fork shares one (copy_nonpresent_pte:
# no longer exclusive), and every swap-in here is a swap-cache hit: minor.
sysctl swap pages 32
process p
mmap p anon at 0x7f0000000000 pages 4 private rw as h
write p h[0..3]
madvise p h[0..3] pageout
expect pte p h[0..3] swap
madvise p h[0] willneed
read p h[0]
expect pte p h[0] present
madvise p h[1] dontneed
expect pte p h[1] none
madvise p h[2] free
expect pte p h[2] none
fork p as c
read c h[3]
expect pte c h[3] present !write
write p h[3]
expect pte p h[3] write dirty
expect faults p 6 major 0
expect faults c 1 major 0
