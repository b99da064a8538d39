# The same swap-out on a synchronous swap device (SWP_SYNCHRONOUS_IO, as zram):
# swap_writepage() completes the write at once, so shrink_folio_list() frees the
# folio from the swap cache; the swap-in then reads it back (VM_FAULT_MAJOR) into a
# fresh folio that skips the swap cache (one user of the entry) and is exclusive.
# Linux 6.1: MADV_PAGEOUT still clears the young bits and reclaim checks references
# (folio_referenced walk); a read fault maps the swapped-in folio read-only (from 6.11
# an exclusive one is mapped writable at once: swapin-map-writable).
kernel 6.1
sysctl swap pages 16 sync
process p
mmap p anon at 0x7f0000000000 pages 2 private rw as heap
write p heap[0]

madvise p heap[0] pageout
expect pte p heap[0] swap
expect walk p:heap               # try_to_unmap, after folio_referenced visited p:heap

read p heap[0]                   # read from swap: a major fault
expect faults p 2 major 1
expect pte p heap[0] present
write p heap[0]                  # exclusive: wp_page_reuse, same folio
expect pte p heap[0] write dirty
expect faults p 3 major 1
