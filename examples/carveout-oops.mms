# A framebuffer in reserved memory without struct page (a DMA carve-out): fb_defio's
# fault handler does pfn_to_page() + get_page() on it, which oopses in every version.
kernel 6.15
fbdev fb pages 2 backing carveout
process a
mmap a fb at 0x7f0000000000 pages 2 shared rw as p
write a p[0]
expect oops
