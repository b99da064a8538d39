" MM Scope scenario (.mms) syntax: statements, expectations, flags, numbers, comments.
if exists('b:current_syntax') | finish | endif
syntax keyword mmsStatement kernel sysctl file shmem fbdev pfnmap process fork exit mmap munmap mprotect mremap madvise migrate split read write
syntax keyword mmsStatement mkclean wrprotect pfn_mkclean writeback msync unmap_range flush clear_refs wait as
syntax keyword mmsExpect expect
syntax keyword mmsKind pte folio result walk faults signal defio oops pending written vma vmas i_mmap error
syntax keyword mmsWord at pages offset shared private r rw none backing delay sorted cold vmalloc contig carveout anon zero maps
syntax match mmsFlag /!\?\<\(present\|write\|dirty\|young\|softdirty\|special\|cached\|writeback\|locked\|uptodate\|mapping\|mapcount\|index\|pfn\|swap\|migration\|same\|swapcache\|huge\|large\|order\|folio_mapcount\|anon_vma\)\>/
syntax match mmsNumber /\<0x\x\+\>\|\<\d\+\(ms\|s\)\?\>/
syntax match mmsComment /#.*$/
highlight default link mmsStatement Statement
highlight default link mmsExpect Keyword
highlight default link mmsKind Type
highlight default link mmsWord Identifier
highlight default link mmsFlag Constant
highlight default link mmsNumber Number
highlight default link mmsComment Comment
let b:current_syntax = 'mmscope'
