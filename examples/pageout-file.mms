# MADV_PAGEOUT of a shared file mapping (no swap needed): shrink_folio_list()
# unmaps each folio only this process maps (try_to_unmap moves PTE dirt into the
# folio); a clean folio leaves the page cache, a dirty one stays cached and dirty
# (only kswapd writes file folios from reclaim; madvise's reclaim activates it).
file f pages 4
process a
process b
mmap a f at 0x7f0000000000 pages 4 shared rw as m
mmap b f at 0x7e0000000000 pages 1 offset 3 shared r as m
sysctl fault_around_bytes 4096
read a m[0]
write a m[1]
read a m[3]
read b m[0]                      # f[3] is mapped twice

madvise a m[0..3] pageout
expect pte a m[0..1] none
expect folio f[0] !cached        # clean: __remove_mapping
expect folio f[1] cached dirty   # unmapped, kept dirty
expect pte a m[3] present        # shared with b: skipped
expect folio f[3] mapcount 2

read a m[1]                      # still cached: a minor fault maps the same dirty folio
expect pte a m[1] present !dirty maps f[1]
expect faults a 4 major 0
