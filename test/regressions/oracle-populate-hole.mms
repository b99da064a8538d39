# Real-kernel finding (2026-12-05, madv_populate.c test_holes step by step on Debian 6.1.192
# and 6.12.118): MADV_POPULATE_WRITE over a range with a hole returns ENOMEM on both, but
# 6.1 populates the VMA after the hole (madvise_walk_vmas() calls madvise_populate() per
# VMA and reports the hole at the end) and 6.12 stops at the hole (since 6.10
# madvise_populate() runs over the whole range). versions.ts madvise-populate-stops-at-hole.
process p
mmap p anon at 0x40000000 pages 4 private rw as h
munmap p h[1]
madvise p h populate_write
expect error ENOMEM
expect pte p h[0] present write
expect pte p h[2..3] none
expect faults p 1
exit p
