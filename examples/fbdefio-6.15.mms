# fb_defio on 6.15+: fb_deferred_io_open records the device mapping; the deferred work
# write-protects each listed page with mapping_wrprotect_range(mapping, pgoff, pfn, 1).
# The struct page is never written: page->mapping stays NULL. Compare fbdefio-6.14.mms.
kernel 6.15
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
expect folio fb0[1] mapping none # 6.15: the fault handler leaves page->mapping alone

wait 50ms                        # the work: wrprotect, then ->deferred_io
expect defio fb0 written 1, 2
expect walk xorg:fb, app:fb      # page 2: xorg (vm_pgoff 0) then app (vm_pgoff 2), tree order
expect pte xorg fb[1] present !write !dirty softdirty
expect pte app fb[0] present !write !dirty

write xorg fb[1]                 # faults again: tracked again
expect faults xorg 3
expect defio fb0 pending 1
