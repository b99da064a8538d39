# Writeback write-protects: msync(MS_SYNC) -> folio_clear_dirty_for_io() ->
# folio_mkclean(); the next store takes a write-protect fault into page_mkwrite again
# (kernel-model T1, T3, T4).
sysctl fault_around_bytes 4096
file f pages 4
process a
mmap a f at 0x7f0000000000 pages 4 shared rw as m

read a m[0]                      # #PF 0x4: RO clean
write a m[0]                     # #PF 0x7: page_mkwrite, RW dirty
write a m[1]                     # #PF 0x6: one fault for write-first
expect faults a 3
expect folio f[0] dirty
expect pte a m[0..1] write dirty softdirty

msync a m
expect result 2                  # two folios written
expect pte a m[0..1] present !write !dirty softdirty
expect folio f[0] !dirty !writeback

write a m[0]                     # faults again
expect faults a 4
expect folio f[0] dirty

read a m[2]                      # clean read-only PTE: mkclean does not count it
writeback f [2..2]
expect result 0                  # F2 was never dirty: nothing written
