#!/usr/bin/env bash
# Long fuzz runs of Weft's targets under libFuzzer (cargo-fuzz, on the nightly toolchain).
#
#   scripts/fuzz.sh [--seconds N] [TARGET ...]    every target (or those named), N seconds each (default 300)
#
# Installs cargo-fuzz when missing (`cargo install cargo-fuzz`). Corpora start from each target's
# seeds (`weft-fuzz-targets`'s `seeds` binary) and grow in fuzz/corpus/; a crash is saved in
# fuzz/artifacts/TARGET/ and ends the run with its input. Sanitizer: none (Weft's own code forbids
# `unsafe`; what is sought is a panic, an abort, a hang or a blow-up, and Wasmer's trap handlers
# use the signals AddressSanitizer takes). The last lines give each target's executions and time.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh

seconds=300
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=(prepare_and_run abi abi_json chain_data rpc_params host_calls)
fi

if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

say "seeds into fuzz/corpus/"
cargo run --quiet --locked -p weft-fuzz-targets --bin seeds -- fuzz/corpus

summary=()
for target in "${targets[@]}"; do
  say "fuzzing $target for ${seconds}s"
  log="fuzz/${target}.log"
  status=0
  (cd fuzz && cargo +nightly fuzz run --sanitizer none "$target" "corpus/$target" -- \
      -max_total_time="$seconds" -timeout=20 -rss_limit_mb=4096 -print_final_stats=1) 2>&1 | tee "$log" | grep -E "^#[0-9]+.*(pulse|DONE|NEW)" | tail -n 3 || status=$?
  runs=$(grep -oE "stat::number_of_executed_units: *[0-9]+" "$log" | grep -oE "[0-9]+$" || echo "?")
  crashed=$(grep -cE "^==[0-9]+== ERROR|panicked at|deadly signal" "$log" || true)
  summary+=("$target: $runs executions in ${seconds}s, $crashed crash reports (log: $log)")
done
say "summary"
printf '  %s\n' "${summary[@]}"
