#!/usr/bin/env bash
# Benchmarks of the server: reading a framework through the API with 64 concurrent connections
# on SQLite (wrk), then generating a framework through the API (100 requests one after the
# other, timed by curl).
#
# Builds the release binary, starts `framewright serve` on a fresh data folder, creates an
# account, an API token and a realistic framework (10 competencies x 5 levels x 3
# indicators, 2 role profiles), then runs wrk against GET /api/v1/frameworks/{id}.
# Load goes only to 127.0.0.1 and stops by itself after DURATION seconds.
#
# Needs: cargo, curl, python3, wrk (Debian: apt-get install -y wrk).
# Usage: scripts/bench/server.sh [DURATION_SECONDS] [CONNECTIONS]
set -euo pipefail

duration="${1:-20}"
connections="${2:-64}"
port="${BENCH_PORT:-18123}"
root="$(cd "$(dirname "$0")/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }

(cd "$root" && cargo build --release -p framewright-cli)
bin="$target/release/framewright"

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

export FRAMEWRIGHT_PASSWORD="bench password 123"
"$bin" admin create-user --data-dir "$work/data" --email bench@example.org --org bench --role owner >/dev/null
"$bin" serve --data-dir "$work/data" --port "$port" >"$work/serve.log" 2>&1 &
server_pid=$!
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

base="http://127.0.0.1:$port/api/v1"
login="$(curl -sf -c "$work/jar" -H 'content-type: application/json' \
    -d "{\"email\":\"bench@example.org\",\"password\":\"$FRAMEWRIGHT_PASSWORD\"}" "$base/session")"
csrf="$(python3 -c 'import json,sys; print(json.load(sys.stdin)["csrf_token"])' <<<"$login")"
token="$(curl -sf -b "$work/jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
    -d '{"name":"bench"}' "$base/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"

python3 - >"$work/framework.json" <<'PY'
import json
levels = ["Awareness", "Basic", "Intermediate", "Advanced", "Expert"]
verbs = ["Explains", "Applies", "Designs", "Evaluates", "Leads"]
competencies = []
for i in range(10):
    competencies.append({
        "id": f"competency-{i}",
        "name": f"Competency {i}",
        "kind": "general" if i < 4 else "technical",
        "definition": f"Plans, carries out and reviews the work of area {i} to the standard the organisation sets.",
        "levels": [
            {"level": n + 1, "description": f"{levels[n]}: handles area {i} in situations of level {n + 1}.",
             "indicators": [f"{verbs[n]} task {k} of area {i} without help" for k in range(3)]}
            for n in range(5)
        ],
    })
framework = {
    "format": "framewright/1", "id": "bench", "title": "Benchmark framework", "version": "0.1.0",
    "scale": {"id": "opm-5", "name": "OPM proficiency levels",
              "levels": [{"level": n + 1, "name": levels[n], "description": f"Level {n + 1}."} for n in range(5)]},
    "competencies": competencies,
    "role_profiles": [
        {"id": f"role-{r}", "title": f"Role {r}",
         "targets": [{"competency": c["id"], "level": 2 + r} for c in competencies]}
        for r in range(2)
    ],
}
print(json.dumps(framework))
PY
location="$(curl -sf -D - -o /dev/null -H "authorization: Bearer $token" -H 'content-type: application/json' \
    --data-binary @"$work/framework.json" "$base/frameworks" | tr -d '\r' | awk -F': ' 'tolower($1)=="location"{print $2}')"
url="http://127.0.0.1:$port$location"
size="$(curl -sf -H "authorization: Bearer $token" "$url" | wc -c)"

echo "GET $location ($size bytes), $connections connections, ${duration}s, $(nproc) cores"
wrk -t2 -c"$connections" -d"${duration}s" --latency -H "Authorization: Bearer $token" "$url"

echo
echo "POST /api/v1/frameworks/generate, 100 requests one after the other"
role='{"title":"Machine Learning Engineer","grade":"GS-13","tasks":["Trains and evaluates machine learning models","Deploys models to production and monitors them"]}'
for _ in $(seq 100); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d "$role" "$base/frameworks/generate"
done | python3 -c '
import sys
t = sorted(float(x) * 1000 for x in sys.stdin)
pick = lambda q: t[min(len(t) - 1, int(q * len(t)))]
print(f"n={len(t)} min={t[0]:.1f} ms median={pick(0.5):.1f} ms p95={pick(0.95):.1f} ms max={t[-1]:.1f} ms")
'
