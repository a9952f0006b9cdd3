#!/usr/bin/env bash
# Runs Weft's whole check: formatting, clippy (-D warnings), every test of the workspace, and the
# TypeScript client's and explorer page's tests (scripts/web-test.sh).
# All cargo steps use the dev profile, so RocksDB's C++ is compiled once.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

say "cargo fmt --check"
cargo fmt --all -- --check

say "contracts: rebuild with Debian's Rust and compare with the committed artifacts"
contracts/build.sh --check

say "cargo clippy --workspace --all-targets -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

if cargo nextest --version >/dev/null 2>&1; then
  # nextest does not run doc tests: run them first, so that nextest's summary closes the output.
  say "doc tests"
  cargo test --workspace --locked --doc
  say "cargo nextest run --workspace"
  WEFT_SNAPSHOT_CHECK=1 cargo nextest run --workspace --locked --no-fail-fast
else
  say "cargo test --workspace (cargo-nextest not installed)"
  WEFT_SNAPSHOT_CHECK=1 cargo test --workspace --locked --no-fail-fast
fi
scripts/web-test.sh
say "all checks passed"
