#!/usr/bin/env bash
# Builds every contract of this workspace for wasm32-unknown-unknown and copies the .wasm files to
# artifacts/, with a SHA256SUMS list and the toolchain that built them (artifacts/TOOLCHAIN).
#
#   ./build.sh           build and update artifacts/
#   ./build.sh --check   build with Debian's Rust and fail if any byte differs from artifacts/
#
# Uses a rustup toolchain's wasm32 target when one is installed (not for --check: the committed
# bytes come from Debian's Rust); otherwise Debian's Rust (rustc-web, with rust-web-src for
# -Zbuild-std) and lld, installed when missing. Paths are remapped so that the bytes do not depend
# on where the checkout or the cargo home lives.
set -euo pipefail
cd "$(dirname "$0")"
here="$(pwd)"
repo="$(cd .. && pwd)"
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

check=false
locked=()
case "${1:-}" in
  --check) check=true; locked=(--locked) ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

export CARGO_TARGET_DIR="${CONTRACTS_TARGET_DIR:-$here/target}"
# Cargo hashes the absolute path of a path dependency outside the workspace (weft-sdk) into its
# symbol names, which decide the order of functions in the output: build through a fixed path (a
# symlink to this checkout) so that the bytes are the same wherever the checkout lives.
src=/tmp/weft-contracts-src
ln -sfn "$repo" "$src"
manifest="$src/contracts/Cargo.toml"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
remap="--remap-path-prefix=$src=/weft --remap-path-prefix=$repo=/weft --remap-path-prefix=$cargo_home=/cargo"

if ! $check && command -v rustup >/dev/null 2>&1 \
    && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  toolchain="rustup $(rustc --version)"
  say "building with $toolchain (wasm32-unknown-unknown)"
  RUSTFLAGS="$remap" cargo build --release "${locked[@]}" --target wasm32-unknown-unknown --manifest-path "$manifest"
else
  if [ ! -x /usr/bin/rustc ] || [ ! -d /usr/lib/rustlib/src/rust/library ] || ! command -v wasm-ld >/dev/null 2>&1; then
    say "installing Debian's Rust for wasm32: rustc-web cargo-web rust-web-src lld"
    sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq rustc-web cargo-web rust-web-src lld
  fi
  toolchain="debian $(/usr/bin/rustc --version)"
  say "building with $toolchain and -Zbuild-std=core,alloc"
  RUSTC_BOOTSTRAP=1 RUSTC=/usr/bin/rustc CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_LINKER=wasm-ld \
    RUSTFLAGS="$remap --remap-path-prefix=/usr/lib/rustlib/src/rust=/rustlib" \
    /usr/bin/cargo build --release "${locked[@]}" --target wasm32-unknown-unknown -Zbuild-std=core,alloc \
      --manifest-path "$manifest"
fi
built="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release"

if $check; then
  say "comparing the build with artifacts/ (committed by: $(cat artifacts/TOOLCHAIN))"
  status=0
  committed=$(cd artifacts && ls ./*.wasm | sed 's#^\./##')
  fresh=$(cd "$built" && ls ./*.wasm | sed 's#^\./##')
  if [ "$committed" != "$fresh" ]; then
    echo "the set of contracts differs: committed [$committed], built [$fresh]" >&2
    status=1
  fi
  for wasm in $committed; do
    if [ -f "$built/$wasm" ] && cmp -s "artifacts/$wasm" "$built/$wasm"; then
      echo "  same bytes: $wasm ($(wc -c < "artifacts/$wasm") B)"
    else
      echo "  DIFFERENT:  $wasm" >&2
      status=1
    fi
  done
  if [ $status -ne 0 ]; then
    echo "artifacts/ does not match its sources: run contracts/build.sh and commit artifacts/" >&2
    [ "$(cat artifacts/TOOLCHAIN)" != "$toolchain" ] && echo "(toolchain now: $toolchain)" >&2
    exit 1
  fi
  say "artifacts match their sources"
  exit 0
fi

rm -f artifacts/*.wasm
mkdir -p artifacts
cp "$built"/*.wasm artifacts/
(cd artifacts && sha256sum ./*.wasm | sed 's# \./# #' > SHA256SUMS)
echo "$toolchain" > artifacts/TOOLCHAIN
say "artifacts ($toolchain):"
(cd artifacts && wc -c ./*.wasm)
