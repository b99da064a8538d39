-- Headless Neovim against `mmscope lsp --stdio` (test/e2e/suites/neovim.e2e.js): the project's
-- editors/nvim setup on the runtimepath, then, once the scenario given on the command line is
-- open, wait for its diagnostics, ask for a hover and a completion, write what came back as
-- JSON to $MMS_OUT and quit.
local root = os.getenv('MMS_ROOT')
vim.opt.runtimepath:prepend(root .. '/editors/nvim')
vim.cmd('filetype on')
vim.cmd('syntax on')
require('mmscope').setup({ cmd = { os.getenv('MMS_NODE'), root .. '/dist/cli.js', 'lsp', '--stdio' }, kernel = '6.15' })

local function finish(result)
  local f = io.open(os.getenv('MMS_OUT'), 'w')
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qa!')
end

vim.api.nvim_create_autocmd('VimEnter', {
  callback = function()
    local buf = vim.api.nvim_get_current_buf()
    local result = { filetype = vim.bo[buf].filetype, syntax = vim.bo[buf].syntax }
    local ok = vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50)
    result.diagnostics = {}
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      table.insert(result.diagnostics, { lnum = d.lnum, severity = d.severity, message = d.message, code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) })
    end
    result.diagnostics_arrived = ok
    local uri = vim.uri_from_bufnr(buf)
    local hover = vim.lsp.buf_request_sync(buf, 'textDocument/hover', { textDocument = { uri = uri }, position = { line = 3, character = 2 } }, 10000)
    result.hover = {}
    for _, r in pairs(hover or {}) do if r.result then table.insert(result.hover, r.result.contents.value) end end
    local comp = vim.lsp.buf_request_sync(buf, 'textDocument/completion', { textDocument = { uri = uri }, position = { line = 4, character = 18 } }, 10000)
    result.completion = {}
    for _, r in pairs(comp or {}) do
      local items = r.result and (r.result.items or r.result) or {}
      for _, it in ipairs(items) do table.insert(result.completion, it.label) end
    end
    finish(result)
  end,
})
