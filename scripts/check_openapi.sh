#!/usr/bin/env bash
# Validates the server's OpenAPI document against the OpenAPI 3.1 specification with the
# reference validator (openapi-spec-validator, pinned), in a throw-away virtualenv.
# The document is taken from the insta snapshot that `cargo test -p framewright-server
# --test it openapi` keeps equal to what the server serves. Dev check: the Rust tests do not
# need Python.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${OPENAPI_VENV:-${TMPDIR:-/tmp}/framewright-openapi-venv}"
[ -x "$venv/bin/openapi-spec-validator" ] || {
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q "openapi-spec-validator==0.9.0"
}
doc="$(mktemp --suffix=.json)"
trap 'rm -f "$doc"' EXIT
python3 - "$root/crates/server/tests/it/snapshots/it__openapi__openapi.snap" "$doc" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
body = text.split("---\n", 2)[2]
json.dump(json.loads(body), open(sys.argv[2], "w"))
PY
"$venv/bin/openapi-spec-validator" "$doc"
