# MADV_POPULATE_READ / _WRITE (faultin_page_range): get_user_pages faults, counted as the
# task's own faults; a read populate of a file mapping faults around (one fault, two PTEs).
file f pages 4
process p
mmap p anon at 0x7f0000000000 pages 4 private rw as h
madvise p h[0..1] populate_read
expect pte p h[0..1] maps zero
madvise p h[0..3] populate_write
expect pte p h[0..3] write dirty
expect faults p 6
mmap p f at 0x7e0000000000 pages 4 shared rw as m
madvise p m[0..1] populate_write
expect pte p m[0..1] write dirty
expect folio f[0] dirty
madvise p m[2..3] populate_read
expect pte p m[2..3] present !write
expect faults p 9
