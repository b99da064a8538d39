# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ): after clear_refs, what soft-dirty a dirty page has once a migration
# entry was put back (mm/migrate.c remove_migration_pte, for migrate_pages and for a split's
# remap_page). From 6.9 the PTE keeps exactly the entry's bit (`else pte =
# pte_clear_soft_dirty(pte)` after pte_mkdirty()); before, x86's pte_mkdirty() of a dirty
# entry of a dirty folio sets soft-dirty again: 6.1.192 showed every page of these soft-dirty
# (oracle-6_1-migrate-softdirty.mms states 6.1), 6.12.118 none (this file). Row
# remove-migration-pte-soft-dirty (6.9). The engine had followed 6.1 for migrate_pages and
# 6.12 for a PMD split at every release.
kernel 6.12
sysctl thp enabled always
sysctl thp anon 64K always
process p
mmap p anon at 0x10000000 pages 2 private rw as a
mmap p anon at 0x20000000 pages 16 private rw as m
mmap p anon at 0x7f0000000000 pages 512 private rw as t
write p a[0..1]
write p m[0..15]
write p t[0..3]
expect pte p t[0] huge
clear_refs p softdirty
expect pte p a[0..1] present !write dirty !softdirty
migrate p a[0]
expect pte p a[0] present dirty !softdirty
migrate p m[0]
expect pte p m[0..15] present dirty !softdirty
split p t[0]
expect pte p t[0..3] !huge dirty !softdirty
