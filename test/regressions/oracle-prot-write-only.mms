# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ): PROT_WRITE alone (`w`): a read faults in and maps read-only (x86
# access_error asks vma_is_accessible; vm_get_page_prot gives PAGE_COPY/PAGE_SHARED as for rw),
# GUP refuses a read without VM_READ (MADV_POPULATE_READ EINVAL), a write needs only VM_WRITE.
kernel 6.12
file f pages 8
process p
mmap p anon at 0x40000000 pages 4 private w as a
read p a[0]
expect signal p none
expect pte p a[0] present !write maps zero
write p a[1]
expect pte p a[1] present write dirty maps anon
madvise p a[2..3] populate_read
expect error EINVAL
madvise p a[2..3] populate_write
expect pte p a[2..3] present write
mmap p f at 0x50000000 pages 4 shared w as s
read p s[0]
expect pte p s[0] present !write
write p s[1]
expect pte p s[1] present write dirty
mprotect p s[1] r
expect pte p s[1] present !write
mprotect p s[0..1] w
write p s[0]
expect pte p s[0] write
mmap p f at 0x60000000 pages 4 private w as q
read p q[0]
expect pte p q[0] present !write maps f[0]
write p q[0]
expect pte p q[0] present write maps anon
fork p as c
read c a[1]
expect pte c a[1] present !write
write c a[1]
expect pte c a[1] write
mprotect p a[0..3] none
read p a[0]
expect signal p SIGSEGV
