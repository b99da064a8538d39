# Real-kernel finding (2026-12-05, the oracle's split and MADV_COLLAPSE on Debian 6.1.192 and
# 6.12.118, 0 differ after the fix): from 6.12 a split maps the never-written pages of an anon
# THP as the shared zero page (split-remap-zeropage, mm/migrate.c try_to_map_unused_to_zeropage);
# 6.1 remaps every page. docs/large-folios.md, "Split and collapse on the real kernels".
kernel 6.12
shmem s pages 512 huge always
process a
mmap a s at 0x7f0000000000 pages 512 shared rw as m
write a m[3]
expect pte a m[0..511] present huge write dirty
expect folio s[0] large order 9
split s[100]
expect folio s[0] !large
expect pte a m[3] !huge
expect pte a m[4] !huge
