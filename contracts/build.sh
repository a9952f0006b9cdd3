#!/usr/bin/env bash
# Builds every contract of this workspace for wasm32-unknown-unknown and copies the .wasm files to
# artifacts/, with a SHA256SUMS list. Uses a rustup toolchain's wasm32 target when one is installed;
# otherwise Debian's Rust (rustc-web, with rust-web-src for -Zbuild-std) and lld, installed when missing.
# Paths are remapped so that the bytes do not depend on where the checkout lives.
set -euo pipefail
cd "$(dirname "$0")"
here="$(pwd)"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

export CARGO_TARGET_DIR="${CONTRACTS_TARGET_DIR:-$here/target}"
remap="--remap-path-prefix=$here=/contracts --remap-path-prefix=$HOME=/home"

if command -v rustup >/dev/null 2>&1 && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  say "building with rustup's wasm32-unknown-unknown target"
  RUSTFLAGS="$remap" cargo build --release --target wasm32-unknown-unknown
else
  if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ] || ! command -v wasm-ld >/dev/null 2>&1; then
    say "installing Debian's Rust for wasm32: rustc-web cargo-web rust-web-src lld"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq rustc-web cargo-web rust-web-src lld
  fi
  say "building with Debian's Rust ($(/usr/bin/rustc --version)) and -Zbuild-std=core,alloc"
  RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
    RUSTFLAGS="$remap --remap-path-prefix=/usr/lib/rustlib/src/rust=/rustlib" \
    /usr/bin/cargo build --release --target wasm32-unknown-unknown -Zbuild-std=core,alloc
fi

mkdir -p artifacts
for wasm in "$CARGO_TARGET_DIR"/wasm32-unknown-unknown/release/*.wasm; do
  cp "$wasm" artifacts/
done
(cd artifacts && sha256sum ./*.wasm | sed 's# \./# #' > SHA256SUMS)
say "artifacts:"
(cd artifacts && wc -c ./*.wasm)
