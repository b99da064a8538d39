# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 (no mTHP: not observable) and
# 6.12.118, 0 differ after the fix): splitting a PTE-mapped anon mTHP unmaps it with
# try_to_migrate, whose try_to_migrate_one() marks the folio dirty when a PTE was dirty ("Set
# the dirty flag on the folio now the pte is gone", mm/rmap.c), so after the split every page
# is PG_dirty (kpageflags D); the engine had left the folio clean.
kernel 6.12
sysctl thp enabled never
sysctl thp anon 64K always
process p
mmap p anon at 0x7f0000000000 pages 32 private rw as buf
write p buf[0..31]
mprotect p buf[2..3] r
expect pte p buf[2] present !write
expect folio p buf[2] large
munmap p buf[4..7]
expect folio p buf[0] large
split p buf[0]
expect folio p buf[0] !large                # and PG_dirty: the oracle compares kpageflags D of every page
expect folio p buf[20] large
write p buf[2]
expect signal p SIGSEGV
