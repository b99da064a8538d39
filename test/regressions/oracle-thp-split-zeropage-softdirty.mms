# Real-kernel finding (2026-12-05, v2 differential fuzz seed 12 #18; Debian 6.1.192 (no
# zero-page remap) and 6.12.118): split of a THP whose PMD is soft-dirty again (a write
# after clear_refs). try_to_map_unused_to_zeropage() (mm/migrate.c, 6.12) maps the
# never-written pages as the zero page from vm_page_prot alone: not soft-dirty, although
# their migration entries were; the written pages keep it. The engine kept it on both.
# (Not covered here: 6.1.192's remove_migration_pte() has no pte_clear_soft_dirty, so a
# split after clear_refs without a later write leaves dirty pages soft-dirty there.)
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as t
write p t[283]
clear_refs p softdirty
write p t[300]
expect pte p t[0] huge softdirty
split p t[16]
expect pte p t[283] !huge dirty softdirty maps anon
expect pte p t[300] softdirty maps anon
expect pte p t[16] maps zero !softdirty
