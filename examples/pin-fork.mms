# A long-term R/W pin across fork (io_uring fixed buffers, RDMA, VFIO): io_uring_register
# pins every page for a write (pin_user_pages FOLL_WRITE | FOLL_LONGTERM), so the process
# must keep writing to the pinned pages. fork cannot share a pinned page as it shares the
# others (folio_needs_cow_for_dma): the child gets its own copy at once, the parent keeps
# its writable PTE. Compare heap[1], which is not pinned. docs/language.md "Pinned buffers".
process p
mmap p anon at 0x1000000 pages 2 private rw as heap

write p heap[0..1]
pin p heap[0] as ring            # io_sqe_buffer_register: refcount + GUP_PIN_COUNTING_BIAS
fork p as c                      # copy_present_page for heap[0]; heap[1] shared COW
expect pte p heap[0] present write dirty
expect pte c heap[0] present write dirty !same p heap[0]
expect pte p heap[1] present !write
expect pte c heap[1] present !write same p heap[1]

write p heap[0]                  # no fault: still the pinned page
expect faults p 2
expect pin ring changed          # an IORING_OP_WRITE_FIXED would store what p wrote
write p heap[1]                  # COW: a new page for p (the child keeps the old one)
expect faults p 3
exit c
exit p
