-- MM Scope for Neovim: `mmscope lsp --stdio` for *.mms buffers.
--   require('mmscope').setup({ cmd = { 'npx', 'mmscope', 'lsp', '--stdio' }, kernel = '6.15' })
-- Neovim 0.11+ can instead use vim.lsp.config / vim.lsp.enable (see editors/README.md).
local M = {}

function M.setup(opts)
  opts = opts or {}
  local cmd = opts.cmd or { 'mmscope', 'lsp', '--stdio' }
  vim.api.nvim_create_autocmd('FileType', {
    pattern = 'mmscope',
    callback = function(args)
      local root = vim.fs and vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)) or vim.fn.getcwd()
      local id = vim.lsp.start_client({
        name = 'mmscope', cmd = cmd, root_dir = root,
        init_options = { kernel = opts.kernel, updateDelay = opts.update_delay },
      })
      if id then vim.lsp.buf_attach_client(args.buf, id) end
    end,
  })
end

return M
