# MADV_FREE (madvise_free_pte_range): the PTEs become old and clean and the folios
# lazyfree (no longer swap-backed). MADV_PAGEOUT then reclaims them without any swap
# device: try_to_unmap() discards a folio nobody wrote since, and puts back (redirty)
# one that was written again.
process p
mmap p anon at 0x7f0000000000 pages 2 private rw as buf
write p buf[0..1]
madvise p buf[0..1] free
expect pte p buf[0..1] present write !dirty !young

write p buf[1]                   # written again: the hardware sets dirty, no fault
madvise p buf[0..1] pageout
expect pte p buf[0] none         # discarded
expect pte p buf[1] present write dirty maps anon
read p buf[0]                    # a fresh fault: the zero page
expect pte p buf[0] maps zero
expect faults p 3
