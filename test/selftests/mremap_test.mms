# tools/testing/selftests/mm/mremap_test.c (selftests/vm/ in 6.1): remap_region() via
# run_mremap_test_case() and mremap_expand_merge(), read in Linux 6.1.192 and 6.12.118.
# remap_region(): a MAP_SHARED anonymous source at an address with exactly the named alignment
# (get_source_mapping(): aligned, and not aligned to twice that), its first threshold (4 MiB)
# written with a pattern, mremap(MREMAP_MAYMOVE|MREMAP_FIXED) to a destination with the named
# alignment after the source's end (the address arithmetic of remap_region() done by hand),
# then the pattern is compared at the destination. "Pattern preserved" is stated as: the
# written pages are still present and dirty at the destination, moved by move_page_tables()
# (no fault). One process per case.
# The 1KB-misaligned cases use an address that is not page-aligned: the kernel refuses it with
# EINVAL (mmap: the hint of MAP_FIXED_NOREPLACE; mremap: new_addr & ~PAGE_MASK), as the v2
# checker does for an unaligned address.

# selftest: mremap_test mremap - Source and Destination Regions Overlapping
process p0
mmap p0 anon at 0x7f0000001000 pages 1 shared rw as s
write p0 s[0]
mremap p0 s to 0x7f0000001000
expect error EINVAL
exit p0

# selftest: mremap_test mremap - Destination Address Misaligned (1KB-aligned)
process p15
mmap p15 anon at 0x7f0000001000 pages 1 shared rw as s
write p15 s[0]
mremap p15 s to 0x7f0000002400           # src + size + 1 KiB, 1 KiB-aligned
expect error EINVAL
exit p15

# selftest: mremap_test mremap - Source Address Misaligned (1KB-aligned)
process p16
mmap p16 anon at 0x7f0000000400 pages 1 shared rw as s
expect error EINVAL
exit p16

# selftest: mremap_test 8KB mremap - Source PTE-aligned, Destination PTE-aligned
process p1
mmap p1 anon at 0x7f0000001000 pages 2 shared rw as s
write p1 s[0..1]                # memcpy(src_addr, rand_addr, threshold)
mremap p1 s to 0x7f0000005000
expect vma p1 s[0] start 0x7f0000005000 pages 2
expect pte p1 s[0..1] present dirty
expect faults p1 2
exit p1

# selftest: mremap_test 2MB mremap - Source 1MB-aligned, Destination PTE-aligned
process p2
mmap p2 anon at 0x7f0000100000 pages 512 shared rw as s
write p2 s[0..511]                # memcpy(src_addr, rand_addr, threshold)
mremap p2 s to 0x7f0000301000
expect vma p2 s[0] start 0x7f0000301000 pages 512
expect pte p2 s[0..511] present dirty
expect faults p2 512
exit p2

# selftest: mremap_test 2MB mremap - Source 1MB-aligned, Destination 1MB-aligned
process p3
mmap p3 anon at 0x7f0000100000 pages 512 shared rw as s
write p3 s[0..511]                # memcpy(src_addr, rand_addr, threshold)
mremap p3 s to 0x7f0000500000
expect vma p3 s[0] start 0x7f0000500000 pages 512
expect pte p3 s[0..511] present dirty
expect faults p3 512
exit p3

# selftest: mremap_test 4MB mremap - Source PMD-aligned, Destination PTE-aligned
process p4
mmap p4 anon at 0x7f0000200000 pages 1024 shared rw as s
write p4 s[0..1023]                # memcpy(src_addr, rand_addr, threshold)
mremap p4 s to 0x7f0000601000
expect vma p4 s[0] start 0x7f0000601000 pages 1024
expect pte p4 s[0..1023] present dirty
expect faults p4 1024
exit p4

# selftest: mremap_test 4MB mremap - Source PMD-aligned, Destination 1MB-aligned
process p5
mmap p5 anon at 0x7f0000200000 pages 1024 shared rw as s
write p5 s[0..1023]                # memcpy(src_addr, rand_addr, threshold)
mremap p5 s to 0x7f0000700000
expect vma p5 s[0] start 0x7f0000700000 pages 1024
expect pte p5 s[0..1023] present dirty
expect faults p5 1024
exit p5

# selftest: mremap_test 4MB mremap - Source PMD-aligned, Destination PMD-aligned
process p6
mmap p6 anon at 0x7f0000200000 pages 1024 shared rw as s
write p6 s[0..1023]                # memcpy(src_addr, rand_addr, threshold)
mremap p6 s to 0x7f0000a00000
expect vma p6 s[0] start 0x7f0000a00000 pages 1024
expect pte p6 s[0..1023] present dirty
expect faults p6 1024
exit p6

# selftest: mremap_test 2GB mremap - Source PUD-aligned, Destination PTE-aligned
process p7
mmap p7 anon at 0x7f0040000000 pages 524288 shared rw as s
write p7 s[0..1023]                # memcpy(src_addr, rand_addr, threshold)
mremap p7 s to 0x7f00c0001000
expect vma p7 s[0] start 0x7f00c0001000 pages 524288
expect pte p7 s[0..1023] present dirty
expect faults p7 1024
exit p7

# selftest: mremap_test 2GB mremap - Source PUD-aligned, Destination 1MB-aligned
process p8
mmap p8 anon at 0x7f0040000000 pages 524288 shared rw as s
write p8 s[0..1023]                # memcpy(src_addr, rand_addr, threshold)
mremap p8 s to 0x7f00c0100000
expect vma p8 s[0] start 0x7f00c0100000 pages 524288
expect pte p8 s[0..1023] present dirty
expect faults p8 1024
exit p8

# selftest: mremap_test 2GB mremap - Source PUD-aligned, Destination PMD-aligned
process p9
mmap p9 anon at 0x7f0040000000 pages 524288 shared rw as s
write p9 s[0..1023]                # memcpy(src_addr, rand_addr, threshold)
mremap p9 s to 0x7f00c0200000
expect vma p9 s[0] start 0x7f00c0200000 pages 524288
expect pte p9 s[0..1023] present dirty
expect faults p9 1024
exit p9

# selftest: mremap_test 2GB mremap - Source PUD-aligned, Destination PUD-aligned
process p10
mmap p10 anon at 0x7f0040000000 pages 524288 shared rw as s
write p10 s[0..1023]                # memcpy(src_addr, rand_addr, threshold)
mremap p10 s to 0x7f0140000000
expect vma p10 s[0] start 0x7f0140000000 pages 524288
expect pte p10 s[0..1023] present dirty
expect faults p10 1024
exit p10

# selftest: mremap_test mremap expand merge
process p11
mmap p11 anon at 0x7f0000000000 pages 3 private rw as e
munmap p11 e[1..1]
mremap p11 e[0..0] pages 2            # grow in place into the hole
expect vma p11 e[0] start 0x7f0000000000 pages 3
expect vmas p11 1
exit p11

# selftest: mremap_test mremap expand merge offset
process p12
mmap p12 anon at 0x7f0000000000 pages 3 private rw as e
munmap p12 e[2..2]
mremap p12 e[1..1] pages 2            # grow the middle page in place into the freed last one
expect vma p12 e[0] start 0x7f0000000000 pages 3
expect vmas p12 1
exit p12

# Linux 6.12.118 only (test_cases[13], [14]):
# selftest: mremap_test 5MB mremap - Source 1MB-aligned, Destination 1MB-aligned
process p13
mmap p13 anon at 0x7f0000100000 pages 1280 shared rw as s
write p13 s[0..1023]
mremap p13 s to 0x7f0000700000
expect vma p13 s[0] start 0x7f0000700000 pages 1280
expect pte p13 s[0..1023] present dirty
expect faults p13 1024
exit p13

# selftest: mremap_test 5MB mremap - Source 1MB-aligned, Dest 1MB-aligned with 40MB Preamble
process p14
mmap p14 anon at 0x7f0000100000 pages 1280 shared rw as s
write p14 s[0..1023]
mmap p14 anon at 0x7f0000700000 pages 10240 shared rw as pre    # dest - 40 MiB
write p14 pre[0..10239]                  # memcpy(dest_preamble_addr, rand_addr, 40 MiB)
mremap p14 s to 0x7f0002f00000
expect vma p14 s[0] start 0x7f0002f00000 pages 1280
expect pte p14 s[0..1023] present dirty
expect pte p14 pre[0..10239] present dirty
expect faults p14 11264
exit p14

# Linux 6.12.118 only, mremap_move_within_range(): 20 MiB private anonymous, all written;
# src = ptr + 6 MiB (2 MiB-aligned), dest = src - 2 MiB; the upper MiB of src moves onto the
# upper MiB of dest inside the same VMA; the lower MiB of src must be intact (not moved).
# selftest: mremap_test mremap mremap move within range
process p17
mmap p17 anon at 0x7f0000000000 pages 5120 private rw as m
write p17 m[0..5119]                     # memset(ptr, 0, size) (+ the pattern into src)
mremap p17 m[1792..2047] to 0x7f0000500000
expect pte p17 m[1536..1791] present write dirty
expect vma p17 m[1536] start 0x7f0000600000
expect pte p17 m[1792..2047] present dirty
expect faults p17 5120
exit p17

# Linux 6.12.118 only, mremap_move_1mb_from_start(): two 6 MiB MAP_SHARED anonymous regions
# from get_source_mapping() with the alignment 1 MiB + 256 KiB: the loop steps the address by
# 0x140000 from mmap_min_addr (65536) + 40 MiB and keeps the first address a with
# !(a & 0x13ffff) and (a & 0x140000): 0x2e40000 for src, 0x3840000 for dest (the next one that
# does not overlap src). The first 2 MiB of src are written, the first MiB of dest unmapped,
# then src's second MiB moves onto dest's second MiB (MREMAP_FIXED replaces what is there);
# src's first MiB must be intact.
# selftest: mremap_test mremap move 1mb from start at 1MB+256KB aligned src
process p18
mmap p18 anon at 0x2e40000 pages 1536 shared rw as s
mmap p18 anon at 0x3840000 pages 1536 shared rw as d
write p18 s[0..511]                      # memcpy(src, rand_addr, 2 MiB)
munmap p18 d[0..255]
mremap p18 s[256..511] to 0x3940000
expect pte p18 s[0..255] present dirty
expect vma p18 s[0] start 0x2e40000 pages 256
expect pte p18 s[256..511] present dirty
expect faults p18 512
