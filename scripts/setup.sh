#!/usr/bin/env bash
# Installs what building Weft needs and a fresh machine may lack. Sourced by the other scripts.
# - libclang-dev: librocksdb-sys generates its bindings with bindgen, which loads libclang.
# - g++ / make: RocksDB's C++ is compiled from source by librocksdb-sys.
set -euo pipefail

# Each step is printed with the time since the script started (bash's SECONDS), so a cold run's log
# tells where its minutes went.
say() { printf '\033[1m==> [%02d:%02d] %s\033[0m\n' $((SECONDS / 60)) $((SECONDS % 60)) "$*"; }

# Installs the Debian packages named, with sudo unless root, printing what it installs.
install_packages() {
  local sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  say "installing missing system packages: $*"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "$@"
}

need_pkgs=()
if ! dpkg -s libclang-dev >/dev/null 2>&1; then need_pkgs+=(libclang-dev); fi
if ! command -v g++ >/dev/null 2>&1; then need_pkgs+=(g++); fi
if ! command -v make >/dev/null 2>&1; then need_pkgs+=(make); fi
if [ ${#need_pkgs[@]} -gt 0 ]; then
  install_packages "${need_pkgs[@]}"
else
  say "system packages present (libclang-dev, g++, make)"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo not found: install Rust 1.95 or newer (https://rustup.rs) and re-run" >&2
  exit 1
fi
say "toolchain: $(cargo --version)"
say "target dir: ${CARGO_TARGET_DIR:-./target}"
