# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ): the 6.1 side of oracle-migrate-softdirty.mms. After clear_refs, a
# dirty page migrated and a dirty PMD THP split come back soft-dirty on 6.1.192:
# remove_migration_pte() before 6.9 has no `else pte_clear_soft_dirty()`, and x86's
# pte_mkdirty() of the dirty migration entry sets _PAGE_SOFT_DIRTY with _PAGE_DIRTY. The
# engine had left the split's PTEs clean at 6.1.
kernel 6.1
sysctl thp enabled always
process p
mmap p anon at 0x10000000 pages 2 private rw as a
mmap p anon at 0x7f0000000000 pages 512 private rw as t
write p a[0..1]
write p t[0..3]
expect pte p t[0] huge
clear_refs p softdirty
expect pte p a[0..1] present !write dirty !softdirty
migrate p a[0]
expect pte p a[0] present dirty softdirty
expect pte p a[1] present dirty !softdirty
split p t[0]
expect pte p t[0..3] !huge dirty softdirty
# a PTE-mapped THP (mprotect split its PMD; 6.1's split leaves the PTEs clean, the folio
# dirty): the page written since is put back soft-dirty by the folio's split, the others not
mmap p anon at 0x7e0000000000 pages 512 private rw as u
write p u[0..3]
mprotect p u[16..31] r
write p u[0]
clear_refs p softdirty
split p u[0]
expect pte p u[0] dirty softdirty
expect pte p u[1] !softdirty
