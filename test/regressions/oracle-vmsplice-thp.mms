# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118, 0 differ): vmsplice of a PMD-mapped THP takes 16 references on the folio;
# after fork do_huge_pmd_wp_page does not reuse it (refcount > 1) and a PTE-mapped THP's page
# is never reused (a large folio), so neither write reaches the pipe.
kernel 6.12
sysctl thp enabled always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as t
write p t[0]
expect pte p t[0] present
fork p as c
vmsplice c t as tp
expect result 65536
madvise c t dontneed
write p t[0]
expect pipe tp unchanged
expect pte p t[0] write
vmsplice p t[100] as ex
write p t[100]
expect pipe ex unchanged
exit c
