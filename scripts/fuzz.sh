#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ (cargo-fuzz, libFuzzer) for SECONDS each, starting from the
# committed seeds in fuzz/corpus/<target>/ (new inputs go to a scratch folder, so the committed
# corpus does not grow). A crash stops with a non-zero status and leaves the input in
# fuzz/artifacts/<target>/; turn it into a regression test before fixing it.
#
#   scripts/fuzz.sh 60          # one minute per target (CI)
#   scripts/fuzz.sh 1800        # longer, locally
#   scripts/fuzz.sh 60 esco     # some targets only
#
# Needs the nightly toolchain (`rustup toolchain install nightly`) and cargo-fuzz
# (`cargo install cargo-fuzz --locked`).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:?usage: scripts/fuzz.sh SECONDS [TARGET…]}"
shift
command -v cargo-fuzz >/dev/null || { echo "cargo-fuzz is not installed (cargo install cargo-fuzz --locked)" >&2; exit 2; }
if [ "$#" -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cd fuzz && cargo +nightly fuzz list)
fi
# Fuzz builds (nightly, sanitizers) go beside the usual ones, never over them.
target_dir=(--target-dir "${CARGO_TARGET_DIR:-$PWD/target}/fuzz")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd fuzz
cargo +nightly fuzz build "${target_dir[@]}"
status=0
for target in "${targets[@]}"; do
  mkdir -p "$work/$target"
  log="$work/$target.log"
  if cargo +nightly fuzz run "${target_dir[@]}" "$target" "$work/$target" "corpus/$target" -- \
      -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=1048576 -timeout=20 >"$log" 2>&1; then
    result="ok"
  else
    result="FAILED (see fuzz/artifacts/$target/)"
    status=1
    tail -40 "$log" >&2
  fi
  runs="$(grep -Eo 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)"
  echo "$target: $result; ${runs:-no summary}"
done
exit "$status"
