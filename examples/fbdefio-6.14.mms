# fb_defio on 6.14: the fault handler sets page->mapping and page->index, and the
# deferred work write-protects each listed page with folio_lock + folio_mkclean +
# folio_unlock, finding the VMAs through page->mapping. Compare fbdefio-6.15.mms.
kernel 6.14
fbdev fb0 pages 4 backing vmalloc delay 50ms
process xorg
process app
mmap xorg fb0 at 0x7f0000000000 pages 4 shared rw as fb
mmap app  fb0 at 0x7e0000000000 pages 2 offset 2 shared rw as fb

read xorg fb[1]                  # read fault: RO, clean, nothing tracked
expect pte xorg fb[1] present !write !dirty
expect defio fb0 pending 0
write xorg fb[1]                 # #PF 0x7: wp_page_shared -> page_mkwrite -> listed
write app  fb[0]                 # fb0 page 2, #PF 0x6: do_shared_fault
expect defio fb0 pending 2
expect faults xorg 2
expect folio fb0[1] mapping fb0 index 1   # 6.14: written by fb_deferred_io_fault

wait 50ms                        # the work: wrprotect, then ->deferred_io
expect defio fb0 written 1, 2
expect walk xorg:fb, app:fb      # the same visit order as 6.15
expect pte xorg fb[1] present !write !dirty softdirty
expect pte app fb[0] present !write !dirty

write xorg fb[1]                 # faults again: tracked again
expect faults xorg 3
expect defio fb0 pending 1
