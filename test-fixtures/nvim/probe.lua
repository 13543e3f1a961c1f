-- Drives the Minima language server from headless Neovim 0.7+ (server/test/nvim.test.ts).
-- Environment: MINIMA_LSP_CMD (a JSON array: the server command), COMPLETION_LINE/CHAR and
-- HOVER_LINE/CHAR (0-based LSP positions). Prints one JSON object per line on stdout; failures
-- go to stderr and exit with status 1.
local out = function(s) io.stdout:write(s .. '\n') end
local fail = function(m) io.stderr:write('PROBE FAIL: ' .. m .. '\n'); vim.cmd('cquit 1') end
local num = function(name) return tonumber(os.getenv(name) or '') end

local bufnr = vim.api.nvim_get_current_buf()
local fname = vim.api.nvim_buf_get_name(bufnr)
local cmd = vim.json.decode(os.getenv('MINIMA_LSP_CMD') or 'null')
if type(cmd) ~= 'table' then return fail('MINIMA_LSP_CMD must be a JSON array') end

-- vim.lsp.start is 0.8+; start_client + buf_attach_client work from 0.7 on.
local id = vim.lsp.start_client({ name = 'minima', cmd = cmd, root_dir = vim.fn.fnamemodify(fname, ':p:h') })
if not id then return fail('start_client returned nil') end
vim.lsp.buf_attach_client(bufnr, id)

if not vim.wait(10000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
  return fail('no diagnostics within 10 s')
end
local diags = {}
for _, x in ipairs(vim.diagnostic.get(bufnr)) do
  local lsp_diag = x.user_data and x.user_data.lsp or {}
  table.insert(diags, { lnum = x.lnum, col = x.col, severity = x.severity, message = x.message,
    source = x.source, code = x.code or lsp_diag.code })
end
out(vim.json.encode({ kind = 'diagnostics', items = diags }))

local function request(method, line, char)
  local res, err = vim.lsp.buf_request_sync(bufnr, method,
    { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = line, character = char } }, 10000)
  if not res then fail(method .. ' failed: ' .. tostring(err)) end
  for _, r in pairs(res) do
    if r.error then fail(method .. ': ' .. vim.inspect(r.error)) end
    return r.result
  end
end

local completion = request('textDocument/completion', num('COMPLETION_LINE'), num('COMPLETION_CHAR'))
local labels = {}
for _, it in ipairs(completion and (completion.items or completion) or {}) do table.insert(labels, it.label) end
out(vim.json.encode({ kind = 'completion', labels = labels }))

local hover = request('textDocument/hover', num('HOVER_LINE'), num('HOVER_CHAR'))
local text = ''
if hover and hover.contents then
  local c = hover.contents
  if type(c) == 'string' then text = c
  elseif c.value then text = c.value
  else for _, part in ipairs(c) do text = text .. (type(part) == 'string' and part or part.value or '') .. '\n' end end
end
out(vim.json.encode({ kind = 'hover', value = text }))

vim.lsp.stop_client(id)
vim.cmd('qa!')
