#!/usr/bin/env bash
# Tests the TypeScript client (clients/ts) and the explorer page (clients/explorer) against a real
# `weft node --dev --ephemeral`, the explorer in Debian's headless Chromium. Installs Node.js, npm and
# Chromium from Debian if missing, and the JavaScript dependencies with `npm ci` from the lock files.
# Called by scripts/test.sh; runs alone too.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

web_pkgs=()
if ! command -v node >/dev/null 2>&1; then web_pkgs+=(nodejs); fi
if ! command -v npm >/dev/null 2>&1; then web_pkgs+=(npm); fi
if ! command -v chromium >/dev/null 2>&1; then web_pkgs+=(chromium); fi
if [ ${#web_pkgs[@]} -gt 0 ]; then install_packages "${web_pkgs[@]}"; fi
say "node $(node --version), $(chromium --version 2>/dev/null || echo 'chromium: version unknown')"

# The tests start the node the workspace builds (the explorer's files are embedded in it).
say "cargo build --bin weft"
cargo build --locked --bin weft
export WEFT_BIN="${CARGO_TARGET_DIR:-$PWD/target}/debug/weft"
export CHROMIUM="${CHROMIUM:-$(command -v chromium)}"

say "clients/ts: npm ci, tsc, tests against a devnet node"
(cd clients/ts && npm ci --no-audit --no-fund --loglevel=error && npm test)

say "clients/explorer: npm ci, typecheck, committed bundle up to date, tests in headless Chromium"
(cd clients/explorer && npm ci --no-audit --no-fund --loglevel=error && npm run check && npm test)
