# Real-kernel finding (2026-12-05, the oracle on Debian 6.1.192 and
# 6.12.118): fork of a pinned PMD-mapped THP splits the parent's PMD (copy_huge_pmd:
# folio_try_dup_anon_rmap_pmd fails for a maybe-pinned folio) and copies each page into the
# child (copy_present_page); the parent keeps the whole folio, writable, so the pin stays
# reliable. docs/language.md "Pinned buffers".
sysctl thp enabled always
process p
mmap p anon at 0x40000000 pages 512 private rw as h
write p h[0]
expect pte p h[0] huge
pin p h as b
fork p as c
expect pte p h[0] present write !huge
expect pte p h[511] present write
expect pte c h[0] present write dirty !same p h[0]
expect pte c h[300] present write dirty !same p h[300]
write p h[0..511]
expect faults p 1
expect pin b changed
exit c
exit p
