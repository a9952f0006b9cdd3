#!/usr/bin/env bash
# The crash test's long run: `weft-crashtest` kills a devnet node with SIGKILL at random moments
# while clients send transfers and deploys, restarts it, and checks every acknowledged receipt and
# the head block after each restart, then `weft replay` at the end.
#
#   scripts/crashtest.sh [--kills 100] [--clients 4] [--seed 1] [--data-dir DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

say "building weft and weft-crashtest"
# The whole workspace's bins, not `-p weft-cli`: one unit graph, so RocksDB is not built again.
cargo build --locked --workspace --bins
target="${CARGO_TARGET_DIR:-target}/debug"
say "crash test"
exec "$target/weft-crashtest" --weft "$target/weft" "$@"
