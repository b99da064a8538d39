'use strict';
// Neovim (Debian's neovim, headless, real) against `mmscope lsp --stdio` with the project's
// editors/nvim setup: a scenario with a failing expectation and a mapping the kernel refuses
// gets both diagnostics; a hover on a write says its kernel path; completion after
// `expect pte p m[0] ` offers the PTE flags.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const e2e = require('../lib');

describe('neovim: mmscope lsp in real Neovim (headless)', function () {
  this.timeout(90_000);
  let result;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mmscope-nvim-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  before(() => {
    const nvim = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.equal(nvim.status, 0, 'Debian neovim is installed (test/e2e/setup.sh installs it)');
    const file = path.join(dir, 'scenario.mms');
    fs.writeFileSync(file, [
      'file f pages 4', 'process p', 'mmap p f at 0x7f0000000000 pages 4 shared rw as m', 'write p m[0]',
      'expect pte p m[0] present', 'expect faults p 5', 'mmap p f at 0x7ffffffff000 pages 2 shared rw as n', '',
    ].join('\n'));
    const out = path.join(dir, 'out.json');
    const r = spawnSync('nvim', ['--headless', '--clean', '-u', path.join(e2e.ROOT, 'test/e2e/nvim/init.lua'), file], {
      env: { ...process.env, MMS_ROOT: e2e.ROOT, MMS_NODE: process.execPath, MMS_OUT: out, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir },
      encoding: 'utf8', timeout: 60_000,
    });
    assert.ok(fs.existsSync(out), `Neovim wrote no result (exit ${r.status ?? r.signal}): ${r.stderr}${r.stdout}`);
    result = JSON.parse(fs.readFileSync(out, 'utf8'));
  });

  it('detects the filetype and the syntax from editors/nvim', () => {
    assert.equal(result.filetype, 'mmscope');
    assert.equal(result.syntax, 'mmscope');
  });

  it('gets the failing expectation and the refused mapping as errors at their lines', () => {
    assert.equal(result.diagnostics_arrived, true, 'diagnostics arrived');
    const at = (l) => result.diagnostics.filter((d) => d.lnum === l && d.severity === 1);
    assert.ok(at(5).some((d) => /expected p to have taken 5 page faults, found 1/.test(d.message)), JSON.stringify(result.diagnostics));
    assert.ok(at(6).some((d) => /ENOMEM/.test(d.message)), JSON.stringify(result.diagnostics));
  });

  it('hovers a write with the kernel path the engine took', () => {
    assert.equal(result.hover.length, 1, JSON.stringify(result.hover));
    assert.match(result.hover[0], /#PF 0x6/);
    assert.match(result.hover[0], /do_shared_fault/);
  });

  it('completes PTE flags after `expect pte p m[0] `', () => {
    assert.ok(result.completion.includes('present') && result.completion.includes('!dirty'), result.completion.join(', '));
  });
});
