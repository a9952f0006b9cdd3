#!/usr/bin/env bash
# Weft's main job: the devnet node on its embedded RocksDB (`weft node --dev`), serving JSON-RPC on
# 127.0.0.1:8645 with ten funded dev accounts; the chain persists in ~/.weft/devnet. Extra
# arguments go to `weft node` (e.g. --ephemeral, --data-dir DIR, --block-time 2, --manual,
# --rpc-addr 0.0.0.0:8645). Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

say "building and starting the devnet node (weft node --dev)"
# The workspace's bins, not `-p weft-cli`: the unit graph of the test suite, so RocksDB is built once.
cargo build --locked --workspace --bins
exec "${CARGO_TARGET_DIR:-target}/debug/weft" node --dev "$@"
