# folio_mkclean() across three mappers of one ext4 page (kernel-model T6): the rmap walk
# goes through i_mmap in order; invalid_mkclean_vma() skips the MAP_PRIVATE mapper.
sysctl fault_around_bytes 4096   # one PTE per fault, to keep the picture small
file f pages 4
process a
process b
process c
mmap a f at 0x7f0000000000 pages 4 shared rw as m
mmap b f at 0x7e0000000000 pages 4 shared rw as m
mmap c f at 0x7d0000000000 pages 4 private rw as m

read c m[0]                      # private, read: RO page-cache PTE
write a m[0]                     # shared: write-notify -> page_mkwrite -> RW dirty
write b m[0]
expect folio f[0] mapcount 3 dirty

mkclean f[0]
expect result 2                  # a and b cleaned; c skipped
expect walk a:m, b:m, ~c:m
expect pte a m[0] present !write !dirty softdirty
expect pte b m[0] present !write !dirty
expect pte c m[0] present !write maps f[0]

write c m[0]                     # COW: c gets its own anon page
expect pte c m[0] write dirty maps anon
mkclean f[0]                     # still walks c's VMA's slot (skipped), nothing to clean
expect result 0
expect walk a:m, b:m, ~c:m
