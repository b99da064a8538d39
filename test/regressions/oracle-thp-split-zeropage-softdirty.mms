# Real-kernel finding (2026-12-05, v2 differential fuzz seed 12 #18; Debian 6.1.192 agreed
# (no zero-page remap there), 6.12.118 differed): split of a THP written after clear_refs.
# remove_migration_pte() makes the written page's PTE dirty, and x86 pte_mkdirty() soft-dirty;
# try_to_map_unused_to_zeropage() (mm/migrate.c) maps the never-written pages as the zero
# page from vm_page_prot alone: not soft-dirty. The engine kept the entry's soft-dirty there.
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as t
write p t[283]
clear_refs p softdirty
split p t[16]
expect pte p t[283] !huge dirty softdirty maps anon
expect pte p t[16] maps zero !softdirty
