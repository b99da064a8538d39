# Real-kernel finding (2026-12-05, v2 differential fuzz seed 11 #9; Debian 6.1.192 differed,
# 6.12.118 agreed): 6.1 has no hugepages-2048kB/enabled (mTHP sysfs came in 6.8), so
# `sysctl thp anon 2M always` fails there (ENOENT) and the read faults 512 times on the zero
# page; the engine at 6.1.192 (run without a kernel line, as the oracle runs files) had set
# the knob and mapped the huge zero page with one fault. No kernel line on purpose.
sysctl thp anon 2M always
process p
mmap p anon at 0x7f0000000000 pages 512 private rw as t
read p t[0..511]
write p t[3]
madvise p t[0..511] hugepage
write p t[300]
