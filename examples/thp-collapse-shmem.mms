# MADV_COLLAPSE of shared memory: two processes map a tmpfs file (huge=never: the fault
# path allocates order-0 folios), one collapses the range. madvise_collapse() ignores the
# knobs for shmem (shmem_is_huge with shmem_huge_force); hpage_collapse_scan_file() and
# collapse_file() (mm/khugepaged.c) unmap every old page from every process (try_to_unmap),
# put one new PMD-size folio in the page cache (the holes filled with zeroes, the folio
# dirty) and free the old pages. The caller gets the THP mapped by one PMD (set_huge_pmd:
# a read mapping, clean). The other process: from 6.6 retract_page_tables() freed its
# emptied page table too, so its next read maps the THP by a PMD (do_set_pmd); 6.1 leaves
# the table (khugepaged's job), and the read maps PTEs of the THP (fault-around).
kernel 6.12
shmem s pages 512
process a
process b
mmap a s at 0x7f0000000000 pages 512 shared rw as m
mmap b s at 0x7e0000000000 pages 512 shared rw as m
write a m[0]
write a m[1]
read b m[1]                      # fault-around maps b's PTEs of m[0] and m[1]
expect folio a m[0] !large mapcount 2
madvise a m[0..511] collapse
expect result 0
expect pte a m[0..511] present huge write !dirty
expect folio a m[0] large order 9 folio_mapcount 1 mapcount 1
expect folio a m[300] large dirty     # a hole, filled by collapse_file
expect pte b m[0] none                # try_to_unmap
expect pte b m[1] none
read b m[5]                      # 6.12: pmd_none → do_set_pmd
expect pte b m[0..511] present huge
expect folio a m[300] folio_mapcount 2 mapcount 2
write b m[5]
expect pte b m[0..511] huge write dirty
expect pte a m[0..511] huge !dirty
