#!/usr/bin/env bash
# Builds every contract of this workspace for wasm32-unknown-unknown and copies the .wasm files to
# artifacts/, with a SHA256SUMS list and the toolchain that built them (artifacts/TOOLCHAIN).
#
#   ./build.sh           build every member of the workspace and make artifacts/ exactly theirs
#   ./build.sh NAME      build one member (its package name, e.g. my-counter) and update its artifact
#   ./build.sh --check   build with Debian's Rust and fail if any byte differs from artifacts/
#
# Only the workspace's current members are artifacts: a contract removed from `members` loses its
# .wasm on the next full build (stale files in the target directory are never copied).
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
only=""
case "${1:-}" in
  --check) check=true; locked=(--locked) ;;
  "") ;;
  -*) echo "usage: $0 [--check | NAME]" >&2; exit 2 ;;
  *) only="$1" ;;
esac

# The members' package names: each directory in `members = [...]`, the `name` of its manifest.
members=$(sed -n '/^members *=/,/]/p' Cargo.toml | grep -o '"[^"]*"' | tr -d '"' | while read -r dir; do
  grep -m1 -E '^name *=' "$dir/Cargo.toml" | sed -E 's/^name *= *"([^"]+)".*/\1/'
done)
if [ -n "$only" ] && ! printf '%s\n' "$members" | grep -qx "$only"; then
  echo "$only is not a member of contracts/Cargo.toml (members: $(echo $members))" >&2
  exit 2
fi
packages=()
[ -n "$only" ] && packages=(-p "$only")

export CARGO_TARGET_DIR="${CONTRACTS_TARGET_DIR:-$here/target}"
# Cargo hashes the absolute path of a path dependency outside the workspace (weft-sdk) into its
# symbol names, which decide the order of functions in the output: build through a fixed path (a
# symlink to this checkout) so that the bytes are the same wherever the checkout lives.
src=/tmp/weft-contracts-src
# Two checkouts building at once would race on the one symlink: take turns.
exec 9>"$src.lock"
flock 9
ln -sfn "$repo" "$src"
manifest="$src/contracts/Cargo.toml"
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
remap="--remap-path-prefix=$src=/weft --remap-path-prefix=$repo=/weft --remap-path-prefix=$cargo_home=/cargo"

if ! $check && command -v rustup >/dev/null 2>&1 \
    && rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  toolchain="rustup $(rustc --version)"
  say "building with $toolchain (wasm32-unknown-unknown)"
  RUSTFLAGS="$remap" cargo build --release "${locked[@]}" "${packages[@]}" --target wasm32-unknown-unknown --manifest-path "$manifest"
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
    /usr/bin/cargo build --release "${locked[@]}" "${packages[@]}" --target wasm32-unknown-unknown -Zbuild-std=core,alloc \
      --manifest-path "$manifest"
fi
built="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release"
# The .wasm of each member (package `my-counter` builds `my_counter.wasm`), in name order.
wasm_of() { printf '%s.wasm\n' "$(echo "$1" | tr '-' '_')"; }
fresh=$(for member in $members; do wasm_of "$member"; done | sort)

if $check; then
  say "comparing the build with artifacts/ (committed by: $(cat artifacts/TOOLCHAIN))"
  status=0
  committed=$(cd artifacts && ls ./*.wasm | sed 's#^\./##' | sort)
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

mkdir -p artifacts
if [ -n "$only" ]; then
  cp "$built/$(wasm_of "$only")" artifacts/
else
  rm -f artifacts/*.wasm
  for wasm in $fresh; do cp "$built/$wasm" artifacts/; done
fi
(cd artifacts && sha256sum ./*.wasm | sed 's# \./# #' > SHA256SUMS)
echo "$toolchain" > artifacts/TOOLCHAIN
say "artifacts ($toolchain):"
(cd artifacts && wc -c ./*.wasm)
