# tmpfs has no write-notify (no page_mkwrite, no writeback) until clear_refs 4 clears
# VM_SOFTDIRTY: then vma_wants_writenotify() is true and every store faults once
# (kernel-model T17, T18).
shmem s pages 2
process a
mmap a s at 0x7f0000000000 pages 2 shared rw as m

read a m[0]                      # writable by prot; the new shmem folio is clean
expect pte a m[0] present write !dirty
write a m[0]                     # no fault: the CPU sets dirty
expect faults a 1
expect pte a m[0] write dirty !softdirty

clear_refs a softdirty
expect pte a m[0] present !write dirty !softdirty
write a m[0]                     # #PF 0x7: wp_page_shared without page_mkwrite
expect faults a 2
expect pte a m[0] write dirty softdirty
writeback s
expect result 0                  # tmpfs: nothing to write back
