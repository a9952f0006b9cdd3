#!/usr/bin/env bash
# Weft's main job: the devnet node on its embedded RocksDB (`weft node --dev`), serving JSON-RPC on
# 127.0.0.1:8645 with ten funded dev accounts; the chain persists in ~/.weft/devnet. Extra
# arguments go to `weft node` (e.g. --ephemeral, --data-dir DIR, --block-time 2, --manual,
# --rpc-addr 0.0.0.0:8645). Ctrl-C stops it cleanly.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

say "building and starting the devnet node (weft node --dev)"
# The binary is built with the test suite's units (`--tests`: dev-dependencies' features unified,
# as `scripts/test.sh` builds them), so that after the tests this is a no-op, and the tests after
# this reuse it. Built alone with `--bins`, Weft's crates and some of their dependencies resolve to
# other features (jsonrpsee's WebSocket client, ...), and were compiled a second time: 37 crates
# after a fresh test run.
cargo build --locked --workspace --tests --bins
exec "${CARGO_TARGET_DIR:-target}/debug/weft" node --dev "$@"
