'use strict';
// The environment an outer `npm run`/`npm start`/`npm test` leaves behind, scrubbed for a
// nested node or npm of another version (Node 24 for code-server). An inner npm reads every
// `npm_config_*` variable as its own configuration, and code-server's postinstall reads the
// Node version from `npm_config_user_agent` ("…node/v20…"): left in place they make the
// Node 24 install fail with "code-server currently requires node v24" (issue: fresh machine).
// test/e2e/setup.sh applies the same rule in bash (npm_scrub_env); keep the two lists alike.

/** Settings of the machine and the network, not of the Node that runs npm: a user's registry
 *  mirror, proxy, CA, cache or npmrc given through the environment must still reach the inner npm. */
const KEEP = new Set([
  'npm_config_registry', 'npm_config_cafile', 'npm_config_ca', 'npm_config_proxy',
  'npm_config_https_proxy', 'npm_config_noproxy', 'npm_config_strict_ssl',
  'npm_config_cache', 'npm_config_userconfig',
]);
const SCRUB_PREFIXES = ['npm_config_', 'npm_lifecycle_', 'npm_package_'];
const SCRUB_NAMES = new Set(['npm_command', 'npm_execpath', 'npm_node_execpath', 'NODE', 'INIT_CWD']);

function isOuterNpmVar(name) {
  const lower = name.toLowerCase();
  if (KEEP.has(lower)) return false;
  return SCRUB_NAMES.has(name) || SCRUB_PREFIXES.some((p) => lower.startsWith(p));
}

/** A copy of `env` without the outer npm's variables. */
function scrubNpmEnv(env = process.env) {
  const out = {};
  for (const [k, v] of Object.entries(env)) if (!isOuterNpmVar(k)) out[k] = v;
  return out;
}

module.exports = { scrubNpmEnv, isOuterNpmVar };
