# Real-kernel finding (2026-12-05, v2 differential fuzz seed 12 #18; Debian 6.1.192 (no
# zero-page remap) and 6.12.118, 0 differ): a THP split after clear_refs. The PMD split
# freezes into migration entries that keep the PMD's soft-dirty; remove_migration_pte()
# (6.12) gives a written page that soft-dirty exactly, try_to_map_unused_to_zeropage() gives
# it to the zero PTE. With the PMD soft-dirty again (a write after clear_refs) every page is
# soft-dirty; the engine had made all freeze PTEs soft-dirty through pte_mkdirty.
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
expect pte p t[16] maps zero softdirty
