# Real-kernel finding (2026-12-05, v2 differential fuzz seed 11 #91; Debian 6.1.192 agreed,
# 6.12.118 differed, 0 differ after the fix): clear_refs softdirty clears the PMD's
# soft-dirty bit; mprotect of part of the THP then splits the PMD, and
# __split_huge_pmd_locked() (mm/huge_memory.c) does pte_mkdirty() for a dirty PMD from 6.2
# ("NOTE: this may set soft-dirty too on some archs": x86 sets _PAGE_SOFT_DIRTY with it),
# so on 6.12 every PTE is soft-dirty again; 6.1 does no pte_mkdirty (clean, not soft-dirty).
# The engine had set the PTEs' soft-dirty from the PMD's alone.
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 600 private rw as t
write p t[1..373]
clear_refs p softdirty
expect pte p t[0] huge !softdirty
mprotect p t[16..511] r
expect pte p t[0..511] !huge dirty softdirty
write p t[0]
expect pte p t[0] write dirty softdirty
