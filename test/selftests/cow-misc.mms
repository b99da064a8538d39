# madvise hugepage/collapse, expect pte huge), expect pte same
# tools/testing/selftests/mm/cow.c, Linux 6.12.118 (not in 6.1's tree; its 6.12 file was run
# on the 6.1 kernel too):
#  - run_with_base_page_swap() with test_cow_in_parent() / test_cow_in_parent_mprotect();
#  - run_with_huge_zeropage() with test_cow() ("Basic COW ... with huge zeropage");
#  - run_anon_thp_test_cases(): do_test_anon_thp_collapse() ANON_THP_COLLAPSE_UNSHARED and
#    ANON_THP_COLLAPSE_FULLY_SHARED on a PMD THP (PTE-mapped first by an mprotect of one page).
#  - ANON_THP_COLLAPSE_LOWER_SHARED / UPPER_SHARED: half of the THP under MADV_DONTFORK at the
#    fork, MADV_DOFORK after it (the VMAs merge again), then MADV_COLLAPSE in the parent.
# "No leak from parent into child" is stated as "parent and child no longer map the same
# page" (first and last page of the range).

sysctl thp enabled always
sysctl swap pages 12288                  # the guest's 48 MiB swap file

# selftest: cow Basic COW after fork() ... with swapped out base page
process a
mmap a anon at 0x7e0000000000 pages 1 private rw as mem
madvise a mem nohugepage
write a mem[0]                           # memset(mem, 1, pagesize)
madvise a mem pageout
expect pte a mem[0] swap                 # pagemap_is_swapped(), else the selftest skips
fork a as ac
write a mem[0]
read ac mem[0]
expect pte a mem[0] present write !same ac mem[0]
exit ac
exit a

# selftest: cow Basic COW after fork() with mprotect() optimization ... with swapped out base page
process b
mmap b anon at 0x7e0000000000 pages 1 private rw as mem
madvise b mem nohugepage
write b mem[0]
madvise b mem pageout
expect pte b mem[0] swap
fork b as bc
mprotect b mem r
mprotect b mem rw
write b mem[0]
read bc mem[0]
expect pte b mem[0] present write !same bc mem[0]
exit bc
exit b

# selftest: cow Basic COW ... with huge zeropage
process z
mmap z anon at 0x7e0000000000 pages 1024 private rw as mm
mmap z anon at 0x7e0000400000 pages 1024 private r as sm
madvise z mm[512..1023] hugepage
madvise z sm[512..1023] hugepage
read z mm[512]
read z sm[512]
expect pte z mm[513] present huge maps zero      # populated by the huge zero page
expect pte z sm[513] present huge maps zero
write z mm[512..1023]                    # memset(mem, 0xff, size)
expect pte z mm[512] present write maps anon
expect pte z sm[512..1023] present maps zero     # "Other mapping not modified"

# selftest: cow Basic COW after fork() when collapsing before fork()
process c
mmap c anon at 0x7e0000000000 pages 1024 private rw as mem
madvise c mem[512..1023] hugepage
write c mem[512]
expect pte c mem[1023] present
write c mem[512..1023]
mprotect c mem[513..513] r               # PTE-map the THP
mprotect c mem[513..513] rw
madvise c mem[512..1023] collapse
fork c as cc
write c mem[512..1023]
read cc mem[512..1023]
expect pte c mem[512] present write !same cc mem[512]
expect pte c mem[1023] present write !same cc mem[1023]
exit cc
exit c

# selftest: cow Basic COW after fork() when collapsing after fork() (fully shared)
process d
mmap d anon at 0x7e0000000000 pages 1024 private rw as mem
madvise d mem[512..1023] hugepage
write d mem[512]
expect pte d mem[1023] present
write d mem[512..1023]
mprotect d mem[513..513] r
mprotect d mem[513..513] rw
fork d as dc
# The kernel refuses this collapse on 6.1.192 and 6.12.118 (the selftest then SKIPs,
# "MADV_COLLAPSE failed: Invalid argument"): after fork() no PTE of the range is writable, so
# hpage_collapse_scan_pmd() ends with SCAN_PAGE_RO, which madvise_collapse_errno() turns into
# EINVAL (mm/khugepaged.c). The scenario states that refusal.
madvise d mem[512..1023] collapse
expect error EINVAL

# selftest: cow Basic COW after fork() when collapsing after fork() (lower shared)
process e
mmap e anon at 0x7e0000000000 pages 1024 private rw as mem
madvise e mem[512..1023] hugepage
write e mem[512]
expect pte e mem[1023] present
write e mem[512..1023]
mprotect e mem[513..513] r
mprotect e mem[513..513] rw
madvise e mem[768..1023] dontfork        # do not COW-share this half
fork e as ec
madvise e mem[512..1023] dofork         # the VMAs merge again, so the range can collapse
# One half of the range is COW-shared (read-only PTEs), the other half writable: the scan
# finds a writable PTE, and MADV_COLLAPSE ignores max_ptes_shared (hpage_collapse_scan_pmd),
# so the collapse succeeds (the selftest would SKIP otherwise) and the parent maps a new THP.
madvise e mem[512..1023] collapse
expect pte e mem[512] present huge
write e mem[512..1023]                  # memset(mem, 0xff, size)
read ec mem[512..767]                   # the child's memcmp() of the half it shares
expect pte e mem[512] present write !same ec mem[512]
expect pte e mem[767] present write !same ec mem[767]
exit ec
exit e

# selftest: cow Basic COW after fork() when collapsing after fork() (upper shared)
process f
mmap f anon at 0x7e0000000000 pages 1024 private rw as mem
madvise f mem[512..1023] hugepage
write f mem[512]
expect pte f mem[1023] present
write f mem[512..1023]
mprotect f mem[513..513] r
mprotect f mem[513..513] rw
madvise f mem[512..767] dontfork        # do not COW-share this half
fork f as fc
madvise f mem[512..1023] dofork         # the VMAs merge again, so the range can collapse
# One half of the range is COW-shared (read-only PTEs), the other half writable: the scan
# finds a writable PTE, and MADV_COLLAPSE ignores max_ptes_shared (hpage_collapse_scan_pmd),
# so the collapse succeeds (the selftest would SKIP otherwise) and the parent maps a new THP.
madvise f mem[512..1023] collapse
expect pte f mem[512] present huge
write f mem[512..1023]                  # memset(mem, 0xff, size)
read fc mem[768..1023]                   # the child's memcmp() of the half it shares
expect pte f mem[768] present write !same fc mem[768]
expect pte f mem[1023] present write !same fc mem[1023]
exit fc
exit f
