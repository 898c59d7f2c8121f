#!/usr/bin/env bash
# Benchmark of `framewright generate` end to end (process start to file written) for the OPM
# catalogue, in every output format, with hyperfine. Prints hyperfine's figures and the machine's
# load; record them in docs/benchmarks.md under "## Generator".
#
#   scripts/bench/generate.sh            # builds the release binary first
#
# Needs hyperfine (Debian: apt-get install -y hyperfine).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v hyperfine >/dev/null || { echo "hyperfine is not installed (apt-get install -y hyperfine)" >&2; exit 2; }
cargo build --release -p framewright-cli
bin="${CARGO_TARGET_DIR:-target}/release/framewright"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tasks="crates/cli/tests/fixtures/generate/ml-engineer-tasks.txt"
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
commands=()
for format in md html json toml csv xlsx; do
  commands+=("$bin generate --title 'Machine Learning Engineer' --grade GS-13 --tasks $tasks --format $format -o $work/ml.$format")
done
hyperfine --warmup 5 --runs 50 -N "${commands[@]}"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
