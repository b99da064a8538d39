# A 64K anonymous mTHP across fork (Linux 6.8+: alloc_anon_folio). One write fault maps
# the whole order-4 folio (16 PTEs); fork shares it read-only (copy_present_ptes, one
# folio_pte_batch from 6.9); the child's write copies one page (wp_page_copy), leaving the
# rest of the folio PTE-mapped in both. From 6.15 the parent, once it is the only mapper,
# reuses pages of the large folio instead of copying them.
kernel 6.15
sysctl thp anon 64K always
process p
mmap p anon at 0x7f0000000000 pages 32 private rw as heap

write p heap[3]                  # alloc_anon_folio: the 64K range around heap[3]
expect pte p heap[0..15] present write dirty !huge maps anon
expect pte p heap[16] none
expect folio p heap[0] large order 4 folio_mapcount 16 mapcount 1
expect faults p 1

fork p as c                      # copy_present_ptes: write-protected on both sides
expect pte p heap[0..15] present !write dirty
expect pte c heap[0..15] present !write !young
expect folio p heap[5] folio_mapcount 32 mapcount 2

write c heap[5]                  # do_wp_page -> wp_page_copy of one page
expect pte c heap[5] present write dirty maps anon
expect folio c heap[5] !large mapcount 1
expect folio p heap[5] large folio_mapcount 31 mapcount 1
expect faults c 1

exit c                           # now p maps all 16 pages, nobody else
write p heap[6]                  # 6.15: __wp_can_reuse_large_anon_folio -> reuse
expect pte p heap[6] present write dirty
expect folio p heap[6] large order 4 folio_mapcount 16
expect faults p 2
