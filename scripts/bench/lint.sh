#!/usr/bin/env bash
# Benchmark of lint on generated frameworks of 500 to 10,000 competencies (the example
# crates/model/examples/lint_bench.rs: realistic names and definitions, about one competency in
# fifty copying or rewording another). Prints the best of three runs per size (one run when a
# run takes over 10 s) and the machine's load; record them in docs/benchmarks.md under "## Lint".
#
#   scripts/bench/lint.sh                 # 500 1000 2000 4000 10000
#   scripts/bench/lint.sh 1000 20000      # other sizes
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo run --release --quiet -p framewright-model --example lint_bench -- "$@"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
