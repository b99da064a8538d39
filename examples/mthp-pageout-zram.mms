# MADV_PAGEOUT of 64K anonymous mTHPs on zram (`sync`), Linux 6.12. From 6.10 madvise keeps a
# large folio the range maps whole (no split), shrink_folio_list() splits only partially
# mapped ones, and add_to_swap() gets any order 2^order contiguous, aligned slots on a
# SWP_BLKDEV device with clusters: each 64K folio is swapped out whole (one try_to_unmap walk
# each, no try_to_migrate). From 6.12 a swap-in fault on zram reads the whole 64K folio back
# (alloc_swap_folio) when its 16 swap entries are contiguous and alike. Before 6.8 there is
# no mTHP (the writes fault order-0 pages); 6.8 and 6.9 split the folios first.
kernel 6.12
sysctl swap pages 1024 sync
sysctl thp anon 64K always
process p
mmap p anon at 0x7f0000000000 pages 32 private rw as heap
write p heap[0..15]
write p heap[16]
expect pte p heap[0..31] present !huge
expect folio p heap[0] large
expect folio p heap[31] large
expect faults p 2
madvise p heap[0..31] pageout
expect pte p heap[0..31] swap !present
expect walk try_to_unmap p:heap
expect walk try_to_migrate none
read p heap[3]                   # alloc_swap_folio: the whole first 64K folio comes back
expect pte p heap[0..15] present write !dirty
expect folio p heap[3] large
expect pte p heap[16..31] swap
write p heap[20]                 # the second folio, read whole on a write fault
expect pte p heap[16..31] present write
expect pte p heap[16..31] dirty   # set_ptes() of one dirty PTE value over the folio
expect folio p heap[16] large
expect faults p 4
