# Real-kernel finding (2026-12-05, v2 differential fuzz seed 12 #18; Debian 6.1.192 (no
# zero-page remap there) and 6.12.118): split of a THP written after clear_refs.
# remove_migration_pte() (mm/migrate.c, 6.12) gives the written page the migration entry's
# soft-dirty exactly (pte_clear_soft_dirty after pte_mkdirty); try_to_map_unused_to_zeropage()
# maps the never-written pages as the zero page from vm_page_prot alone: not soft-dirty.
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as t
write p t[283]
clear_refs p softdirty
split p t[16]
expect pte p t[283] !huge dirty !softdirty maps anon
expect pte p t[16] maps zero !softdirty
