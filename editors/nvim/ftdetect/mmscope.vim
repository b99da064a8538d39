" .mms files are MM Scope scenarios (Vim's own filetype.vim calls them MMIX assembly: overrule it)
autocmd BufRead,BufNewFile *.mms set filetype=mmscope
