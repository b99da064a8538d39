# Real-kernel finding (2026-12-05, the oracle's split and MADV_COLLAPSE on Debian 6.1.192 and
# 6.12.118, 0 differ after the fix): from 6.12 a split maps the never-written pages of an anon
# THP as the shared zero page (split-remap-zeropage, mm/migrate.c try_to_map_unused_to_zeropage);
# 6.1 remaps every page. docs/large-folios.md, "Split and collapse on the real kernels".
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as v
write p v[0]
write p v[5]
split p v[77]
expect pte p v[0] !huge write dirty maps anon
expect pte p v[5] write dirty maps anon
expect pte p v[77] maps zero
expect folio p v[5] !large mapcount 1
