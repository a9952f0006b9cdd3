#!/usr/bin/env bash
# Weft's main job. Until the devnet node lands (issue 6), the nearest real thing: the storage
# benchmark on the embedded RocksDB, next to the in-memory store, in one process.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

say "building (release) and running the storage benchmark: RocksStore vs MemStore"
cargo bench -p weft-benches --locked --bench state -- "$@"
