# folio_mkclean() over a shmem large folio. A tmpfs mount with huge=always gives a PMD-size
# folio; a PMD-aligned shared mapping maps it by one PMD (finish_fault/filemap_map_pages
# -> do_set_pmd). folio_mkclean walks folio->index .. + 511 in i_mapping and cleans each
# PMD once (page_vma_mkclean_one: pmd_wrprotect + pmd_mkclean, one count per PMD).
kernel 6.12
shmem s pages 512 huge always
process a
process b
mmap a s at 0x7f0000000000 pages 512 shared rw as m
mmap b s at 0x7e0000000000 pages 512 shared rw as m

write a m[3]                     # shmem_fault allocates the 2M folio; do_set_pmd maps it
expect pte a m[0..511] present huge write dirty
expect folio s[0] large order 9 folio_mapcount 1 mapcount 1
read b m[10]                     # fault-around: filemap_map_pmd, writable (no write-notify)
expect pte b m[10] present huge write !dirty
expect folio s[100] folio_mapcount 2 mapcount 2

mkclean s[7]                     # the folio holding s[7]: both PMDs write-protected
expect result 2
expect walk a:m, b:m
expect pte a m[0..511] huge !write !dirty
expect pte b m[0..511] huge !write !dirty

write b m[0]                     # huge_pmd wp: a shared folio is reused in place
expect pte b m[0..511] huge write dirty
