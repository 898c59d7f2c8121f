#!/usr/bin/env bash
# Speed of semantic matching: `framewright generate` end to end with the model (process start,
# model load, catalogue vectors read from the cache, role embedded, draft written) against
# --no-semantic, with hyperfine; then the time per role with the model already loaded (what the
# server spends per request), from the example `per_role`. Record the figures in
# docs/benchmarks.md under "Semantic matching".
#
#   FRAMEWRIGHT_MODEL_DIR=… scripts/bench/semantic.sh     # needs the model installed and hyperfine
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install -y hyperfine)" >&2; exit 2; }
cargo build --release -p framewright-cli
cargo build --release -p framewright-semantic --example per_role
target="${CARGO_TARGET_DIR:-target}/release"
bin="$target/framewright"
"$bin" models list
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export FRAMEWRIGHT_CACHE_DIR="$work/cache"
tasks="crates/cli/tests/fixtures/generate/ml-engineer-tasks.txt"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
generate="$bin generate --title 'Machine Learning Engineer' --grade GS-13 --tasks $tasks --format json -o $work/ml.json"
echo "first run (computes and caches the OPM vectors):"
/usr/bin/time -f "  %e s wall, %M KB peak" sh -c "$generate"
hyperfine --warmup 3 --runs 30 -N "$generate" "$generate --no-semantic"
"$target/examples/per_role" 20
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
