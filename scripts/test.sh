#!/usr/bin/env bash
# Runs every test of the project: the Rust test suite (on SQLite, and on PostgreSQL when one can
# be reached) and the browser end-to-end tests. Installs and starts what it needs when it can.
#
#   scripts/test.sh
#
# Environment:
#   TEST_DATABASE_URL   PostgreSQL for the store tests (default: postgres://postgres@127.0.0.1:5432/test
#                       when a local server answers; the script starts the local cluster if needed)
#   FRAMEWRIGHT_SKIP_E2E=1   skip the browser tests
#   FRAMEWRIGHT_MODEL_DIR   where the sentence-embedding model is installed (`framewright models
#                       install`); the semantic tests skip without it, except when CI=true
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\n==> %s\n' "$*"; }

# PostgreSQL: start the local cluster if it is installed and not running.
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  if command -v pg_isready >/dev/null 2>&1; then
    if ! pg_isready -q -h 127.0.0.1 -p 5432; then
      if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
        log "starting PostgreSQL"
        pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
        for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
      fi
    fi
    if pg_isready -q -h 127.0.0.1 -p 5432; then
      export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/test"
    fi
  fi
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  log "PostgreSQL tests will use ${TEST_DATABASE_URL}"
else
  log "no PostgreSQL reachable: store tests run on SQLite only"
fi

log "Rust tests"
cargo test --workspace --locked

if [ -x tests/e2e/run.sh ] && [ "${FRAMEWRIGHT_SKIP_E2E:-0}" != 1 ]; then
  log "browser end-to-end tests"
  # The CLI's tests above built the program; a private copy of it saves the browser tests a
  # second build (with the features of a plain build, about two CPU-minutes).
  if [ -z "${FRAMEWRIGHT_BIN:-}" ]; then
    built="${CARGO_TARGET_DIR:-$PWD/target}/debug/framewright"
    if [ -x "$built" ]; then
      bin_dir="$(mktemp -d)"
      trap 'rm -rf "$bin_dir"' EXIT
      cp "$built" "$bin_dir/framewright"
      export FRAMEWRIGHT_BIN="$bin_dir/framewright"
    fi
  fi
  # The browser tests check the pages, not the matching: they match by words only, whatever
  # model is installed.
  FRAMEWRIGHT_MODEL_DIR="$(mktemp -d)" tests/e2e/run.sh
fi
log "all tests passed"
