# Real-kernel finding (2026-12-05, v2 differential fuzz seed 12 #77; Debian 6.1.192 agreed
# here, 6.12.118 differed): a huge=always tmpfs file mapped by a VMA too small for a PMD
# (munmap left 61 pages). From 6.11 shmem_suitable_orders() (mm/shmem.c) keeps only the
# orders thp_vma_suitable_orders() allows for any VMA, so the kernel faulted order-0 folios;
# the engine applied that to shared anonymous memory only and allocated a 2M folio.
kernel 6.12
shmem s0 pages 512 huge always
process p
mmap p s0 at 0x7f0002000000 pages 512 shared rw as s
munmap p s[31..450]
write p s[451..481]
expect folio s0[451] !large
write p s[0]
expect folio s0[0] !large
