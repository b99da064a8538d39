# Private anonymous memory across fork (kernel-model T13, T14, §5.2): copy_page_range
# write-protects the page in both, the child's copy is old; the first writer copies,
# the last one reuses.
process p
mmap p anon at 0x1000000 pages 2 private rw as heap

write p heap[0]                  # do_anonymous_page: exclusive anon folio
expect pte p heap[0] present write dirty young maps anon
fork p as c
expect pte p heap[0] present !write dirty young
expect pte c heap[0] present !write dirty !young

write c heap[0]                  # #PF 0x7 -> wp_page_copy
expect pte c heap[0] write dirty young maps anon
expect faults c 1
write p heap[0]                  # refcount back to 1 -> wp_page_reuse, no copy
expect pte p heap[0] write dirty
expect faults p 2

read p heap[1]                   # the zero page, special and read-only
expect pte p heap[1] present !write special maps zero
write p heap[1]                  # copy of the zero page = a zeroed anon folio
expect pte p heap[1] write dirty !special maps anon
expect faults p 4
