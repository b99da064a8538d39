# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118): which file mappings io_uring may pin. Before 6.5 io_pin_pages() pins first and
# then refuses any file but shmem with EOPNOTSUPP; from 6.5 GUP's check_vma_flags()
# (writable_file_mapping_allowed) refuses a shared mapping whose filesystem tracks dirtying
# with EFAULT and allows a private one (its pages are COW copies). versions.ts
# `longterm-pin-file-check-in-gup`.
file f pages 4
shmem s pages 2
process p
mmap p f at 0x40000000 pages 2 private rw as priv
mmap p f at 0x40100000 pages 2 shared rw as sh
mmap p s at 0x40200000 pages 2 shared rw as sm
read p priv[0]
pin p priv as a
expect result 0
pin p sh as b
expect error EFAULT
pin p sm as c
expect result 0
write p priv[0..1]
expect pin a changed
write p sm[1]
expect pin c changed
exit p
