# scripts/selftests/probes/ropin_unshare.c: mmscope's own probe, not a kernel selftest (run
# with cow.c on the gup kernels, docs/selftests.md). Does a long-term R/O pin unshare what it
# pins? gup_test's PIN_LONGTERM_BENCHMARK takes pin_user_pages(FOLL_LONGTERM) without
# FOLL_WRITE and drops it; the probe then reads /proc/self/pagemap: unshared means anonymous
# (not a file page, not the zero page) and exclusively mapped. Anonymous pages are unshared
# at both releases (5.19); the shared zero page and page-cache pages of private writable
# mappings only from 6.2 (gup_must_unshare, versions.ts ro-longterm-pin-unshares-cow-mappings),
# which is why cow.c's "R/O longterm GUP pin" cases on non-anonymous memory would fail on 6.1
# (its gup_test cannot run them: no PIN_LONGTERM_TEST_START before 6.2).

# selftest: ropin_unshare R/O long-term pin of the shared zeropage in a private mapping
process p0
mmap p0 anon at 0x7e0000000000 pages 1 private rw as m
read p0 m[0]
pin p0 m as b0 readonly
expect pte p0 m[0] present maps anon     # unshared: a new anonymous page, exclusive
exit p0

# selftest: ropin_unshare R/O long-term pin of a page-cache page in a private memfd mapping
shmem memfd pages 1                      # memfd_create() + fallocate(): one page
process p1
mmap p1 memfd at 0x7e0000100000 pages 1 private rw as m
read p1 m[0]
pin p1 m as b1 readonly
expect pte p1 m[0] present maps anon
exit p1

# selftest: ropin_unshare R/O long-term pin of a page-cache page in a shared memfd mapping
process p2
mmap p2 memfd at 0x7e0000200000 pages 1 shared rw as m
read p2 m[0]
pin p2 m as b2 readonly
expect pte p2 m[0] present maps memfd[0] # a shared mapping is not a COW mapping: never unshared
exit p2

# selftest: ropin_unshare R/O long-term pin of an anonymous page shared with a child
process p3
mmap p3 anon at 0x7e0000300000 pages 1 private rw as m
write p3 m[0]                            # memset(anon, 1, pagesize)
fork p3 as c3
pin p3 m as b3 readonly
expect pte p3 m[0] present maps anon !same c3 m[0]   # copied: exclusive to the parent
exit c3
exit p3
