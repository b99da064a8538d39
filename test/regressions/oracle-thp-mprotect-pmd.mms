# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ after the fix): mprotect r then rw of a dirty exclusive PMD THP.
# change_huge_pmd() tries can_change_pmd_writable() only from 6.2 (mprotect-pmd-writable):
# on 6.1 the PMD stays read-only and the next write faults (do_huge_pmd_wp_page reuses the
# exclusive THP); on 6.12 the PMD is writable at once. The engine had applied 6.1's PTE rule
# (a dirty PTE may be upgraded) to the PMD too. Then munmap of a part splits the PMD.
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as buf
write p buf[0..511]
mprotect p buf[0..511] r
expect pte p buf[0] present huge !write
mprotect p buf[0..511] rw
expect pte p buf[0] present huge
write p buf[1]
expect faults p 1
munmap p buf[100..199]
expect pte p buf[0] present !huge
expect folio p buf[0] large
