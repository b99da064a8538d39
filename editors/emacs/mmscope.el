;;; mmscope.el --- MM Scope scenarios (.mms) with eglot  -*- lexical-binding: t; -*-
;; Load it (M-x load-file), or put it on your load-path and (require 'mmscope).
;; Runs `mmscope lsp --stdio` (npx mmscope lsp --stdio from a checkout) for *.mms buffers.

(define-derived-mode mmscope-mode prog-mode "MMScope"
  "Major mode for MM Scope scenarios."
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "#+\\s-*")
  (modify-syntax-entry ?# "<" mmscope-mode-syntax-table)
  (modify-syntax-entry ?\n ">" mmscope-mode-syntax-table)
  (setq-local font-lock-defaults
              '((("\\_<\\(kernel\\|sysctl\\|file\\|shmem\\|fbdev\\|pfnmap\\|process\\|fork\\|exit\\|mmap\\|munmap\\|mprotect\\|mremap\\|madvise\\|migrate\\|split\\|read\\|write\\|mkclean\\|wrprotect\\|pfn_mkclean\\|writeback\\|msync\\|unmap_range\\|flush\\|clear_refs\\|wait\\)\\_>" . font-lock-keyword-face)
                 ("\\_<expect\\_>" . font-lock-builtin-face)
                 ("\\_<0x[[:xdigit:]]+\\_>" . font-lock-constant-face)))))

(add-to-list 'auto-mode-alist '("\\.mms\\'" . mmscope-mode))

(with-eval-after-load 'eglot
  (add-to-list 'eglot-server-programs
               '(mmscope-mode . ("mmscope" "lsp" "--stdio" :initializationOptions (:kernel "6.15")))))

(provide 'mmscope)
;;; mmscope.el ends here
