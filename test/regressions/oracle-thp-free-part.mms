# Real-kernel finding (2026-12-05, the oracle's split and MADV_COLLAPSE on Debian 6.1.192 and
# 6.12.118, 0 differ after the fix): from 6.12 a split maps the never-written pages of an anon
# THP as the shared zero page (split-remap-zeropage, mm/migrate.c try_to_map_unused_to_zeropage);
# 6.1 remaps every page. docs/large-folios.md, "Split and collapse on the real kernels".
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 513 private rw as buf
write p buf[0]
madvise p buf[0..3] free
expect pte p buf[0..511] present !huge
expect folio p buf[100] !large
expect pte p buf[100] maps zero
