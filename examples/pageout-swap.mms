# MADV_PAGEOUT of private anonymous memory with a disk swap device (Linux 6.15).
# madvise_cold_or_pageout_pte_range() isolates only the folios no other mapping shares;
# shrink_folio_list() (references ignored since 6.9) adds each to the swap cache
# (add_to_swap), try_to_unmap() leaves a swap entry and pageout() starts the write. A
# disk completes the write later and the clean folio stays in the swap cache, so the
# next access is a minor fault: do_swap_page() finds it there.
kernel 6.15
sysctl swap pages 64
process p
mmap p anon at 0x7f0000000000 pages 2 private rw as heap

write p heap[0..1]
fork p as c                      # both folios now mapped by p and c
write c heap[1]                  # c copies heap[1]: p's folio is mapped once again

madvise p heap[0..1] pageout
expect pte p heap[0] present !write  # mapped twice: not isolated
expect pte p heap[1] swap !present
expect folio p heap[1] swapcache !dirty !writeback
expect walk p:heap               # try_to_unmap(): p's anon_vma, done after p

read p heap[1]                   # swap cache hit: minor; not exclusive (fork) → read-only
expect pte p heap[1] present !write !swap
expect faults p 3 major 0
write p heap[1]                  # wp_can_reuse_anon_folio(): folio_free_swap(), then reuse
expect pte p heap[1] write dirty
expect folio p heap[1] !swapcache dirty
expect faults p 4 major 0
