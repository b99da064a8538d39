# Fault-around (do_fault_around + filemap_map_pages): a read fault maps up to 16 cached
# neighbours read-only; the window starts at vm_start when the VMA begins inside the
# aligned 64 KiB block. A cold file is read around (32 pages) as one major fault.
file f pages 64
process a
mmap a f at 0x7f0000000000 pages 64 private rw as m
read a m[20]                     # window = PTE indexes 16..31
expect pte a m[16..31] present !write young !dirty
expect pte a m[15] none
expect pte a m[32] none
expect faults a 1

process b                        # VMA starts at PTE index 5 of its table
mmap b f at 0x7f0000105000 pages 30 shared rw as m
read b m[3]                      # window shifted to vm_start: VMA pages 0..15
expect pte b m[0..15] present !write
expect pte b m[16] none

file disk pages 100 cold
process c
mmap c disk at 0x7e0000000000 pages 100 shared r as m
read c m[40]                     # read-around [24, 56), retry with FAULT_FLAG_TRIED
expect faults c 1
expect folio disk[24] cached
expect folio disk[55] cached
expect folio disk[23] !cached
expect folio disk[56] !cached
expect pte c m[32..47] present

sysctl fault_around_bytes 4096   # off: one page per fault
read c m[50]
expect pte c m[50] present
expect pte c m[51] none
