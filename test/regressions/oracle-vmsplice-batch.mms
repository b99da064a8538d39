# Real-kernel finding (2026-12-05, differential fuzz v2 seed 12 on Debian 6.1.192 and
# 6.12.118): iter_to_pipe() loops while the range has bytes left, not while the pipe has room,
# so a vmsplice longer than the pipe's 16 buffers takes the next batch of 16 too: its pages
# are faulted in (the zero page here), add_to_pipe() refuses the first with -EAGAIN and the
# references are put again. The result is still the 16 pages spliced.
process p
mmap p anon at 0x40000000 pages 40 private rw as m
vmsplice p m as v
expect result 65536
expect pte p m[0..31] present !write maps zero
expect pte p m[32..39] none
expect faults p 32
write p m[20]
expect pipe v unchanged
write p m[3]
expect pipe v unchanged
exit p
