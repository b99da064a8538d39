# tools/testing/selftests/mm/cow.c, Linux 6.12.118 (not in 6.1's tree; its 6.12 file was
# also run on the 6.1 kernel): run_non_anon_test_cases() with test_cow() ("Basic COW"),
# via run_with_zeropage(), run_with_memfd() and run_with_tmpfile().
# Each maps one page twice: `mem` private writable, `smem` a second mapping (read-only);
# both are read (populated), then mem is written (memset 0xff) and the selftest checks
# "Other mapping not modified": the write went to a private anonymous copy, smem still
# maps the original page.
# tmpfile() creates its file in /tmp, which is tmpfs in the oracle's guest: a shmem file
# (the same code path as the memfd, shmem_fault()).

process p

# selftest: cow Basic COW ... with shared zeropage
mmap p anon at 0x7f0000000000 pages 1 private rw as zmem
mmap p anon at 0x7f0000100000 pages 1 private r as zsmem
read p zmem[0]
read p zsmem[0]
expect pte p zmem[0] present !write maps zero
expect pte p zsmem[0] present !write maps zero
write p zmem[0]
expect pte p zmem[0] present write dirty maps anon
expect pte p zsmem[0] present maps zero

# selftest: cow Basic COW ... with memfd
shmem memfd pages 1                      # memfd_create() + fallocate(): one page
mmap p memfd at 0x7f0000200000 pages 1 private rw as mmem
mmap p memfd at 0x7f0000300000 pages 1 shared r as msmem
read p mmem[0]
read p msmem[0]
expect pte p mmem[0] present !write maps memfd[0]
expect pte p msmem[0] present maps memfd[0]
write p mmem[0]
expect pte p mmem[0] present write dirty maps anon
expect pte p msmem[0] present maps memfd[0]

# selftest: cow Basic COW ... with tmpfile
shmem tmpf pages 1                       # tmpfile() in tmpfs, ftruncate to one page
mmap p tmpf at 0x7f0000400000 pages 1 private rw as tmem
mmap p tmpf at 0x7f0000500000 pages 1 shared r as tsmem
read p tmem[0]
read p tsmem[0]
write p tmem[0]
expect pte p tmem[0] present write dirty maps anon
expect pte p tsmem[0] present maps tmpf[0]
