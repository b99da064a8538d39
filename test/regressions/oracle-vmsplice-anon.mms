# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ): vmsplice(2) (fs/splice.c vmsplice_to_pipe → iter_to_pipe) takes one
# reference per page, at most 16 (PIPE_DEF_BUFFERS); the pipe's references keep a COW fault on
# a shared page from reusing it (wp_can_reuse_anon_folio), an exclusive page is reused and the
# pipe sees the write; EFAULT without VM_READ; a hole-free untouched range maps the zero page.
# docs/language.md "vmsplice and pipes".
process p
mmap p anon at 0x40000000 pages 20 private rw as m
write p m[0..19]
vmsplice p m as full
expect result 65536
write p m[3]
expect pipe full changed
fork p as c
vmsplice c m[5] as cp
madvise c m[5] dontneed
write p m[5]
expect pipe cp unchanged
expect pte p m[5] write maps anon
vmsplice p m[6] as pb
fork p as d
madvise p m[6] dontneed
write d m[6]
expect pipe pb unchanged
mmap p anon at 0x50000000 pages 2 private none as n
vmsplice p n as q
expect error EFAULT
mmap p anon at 0x51000000 pages 2 private w as wo
vmsplice p wo as q2
expect error EFAULT
mmap p anon at 0x52000000 pages 2 private rw as z
vmsplice p z as zp
expect result 8192
expect pte p z[0] present maps zero
expect faults p 23
write p z[0]
expect pipe zp unchanged
exit c
exit d
