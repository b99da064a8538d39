# mremap(MREMAP_MAYMOVE|MREMAP_FIXED) moves a mapping (move_vma): copy_vma() links a new
# VMA into i_mmap at the same vm_pgoff — after the old one, so rmap sees the old PTE, the
# new one or both (need_rmap_locks false) — move_ptes() moves the PTEs (not refaulted,
# made soft-dirty), then the old range is unmapped. The label moves with its pages.
kernel 6.12
file f pages 4
process a
process b
mmap a f at 0x10000000 pages 4 shared rw as m
mmap b f at 0x20000000 pages 4 shared rw as m
write a m[0]
write a m[3]
clear_refs a softdirty
expect pte a m[0] present !softdirty
mremap a m[0..1] to 0x30000000                   # the first half moves
expect vmas a 2
expect vma a m[0] start 0x30000000 pages 2 pgoff 0
expect vma a m[2] start 0x10002000 pgoff 2
expect pte a m[0] present softdirty              # moved, not refaulted: move_soft_dirty_pte()
expect pte a 0x10000000 none
expect faults a 2
expect i_mmap f b:m, a:m[0], a:m[2]
mkclean f[0]
expect walk b:m, a:m
expect result 1                                   # the PTE written before the move

process c
mmap c anon at 0x40000000 pages 2 private rw as h
write c h[0]
mremap c h to 0x50000000 pages 4                  # grow while moving: h names the new pages
expect vma c h[3] start 0x50000000 pages 4 anon_vma
expect pte c h[0] present write dirty maps anon
read c h[3]
expect pte c h[3] present maps zero
