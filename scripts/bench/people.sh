#!/usr/bin/env bash
# Benchmark of `framewright gaps` end to end (process start to report written): 50,000 people ×
# 12 competencies × 3 ratings (1.8 million rating rows), JSON to a file, with hyperfine when it
# is installed (else three timed runs). Record the figures in docs/benchmarks.md under "People".
#
#   scripts/bench/people.sh             # builds the release binary first
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release -p framewright-cli --no-default-features
bin="${CARGO_TARGET_DIR:-target}/release/framewright"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 scripts/bench/people.py "$work"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
wc -l "$work/people.csv" "$work/ratings.csv"
cmd="$bin gaps $work/framework.toml --people $work/people.csv --ratings $work/ratings.csv --as-of 2026-06-30 --format json -o $work/gaps.json --force"
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 1 --runs 5 -N "$cmd"
else
  for run in 1 2 3; do /usr/bin/time -f "run $run: %e s wall, %M KiB max resident" $cmd; done
fi
ls -l "$work/gaps.json"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
