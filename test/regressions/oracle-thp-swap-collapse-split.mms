# Real-kernel finding (2026-12-05, the oracle's split and MADV_COLLAPSE on Debian 6.1.192 and
# 6.12.118, 0 differ after the fix): from 6.12 a split maps the never-written pages of an anon
# THP as the shared zero page (split-remap-zeropage, mm/migrate.c try_to_map_unused_to_zeropage);
# 6.1 remaps every page. docs/large-folios.md, "Split and collapse on the real kernels".
kernel 6.12
sysctl swap pages 64
process p
mmap p anon at 0x40000000 pages 512 private rw as t
write p t[0]
write p t[1]
madvise p t[0] pageout
expect pte p t[0] swap
read p t[0]
migrate p t[1]
madvise p t[0..511] collapse
expect pte p t[0] huge
split p t[0]
expect pte p t[0] maps anon
expect pte p t[1] maps anon
expect pte p t[2] maps zero
