#!/usr/bin/env bash
# Runs the browser end-to-end tests: installs Debian's Chromium when it is missing, installs
# playwright-core (npm ci), builds the framewright binary, runs `node --test`.
#
#   tests/e2e/run.sh [test files…]
#
# Environment: CARGO_TARGET_DIR (where the binary is built), FRAMEWRIGHT_BIN (use this binary
# instead of building), CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
cd "$(dirname "$0")/../.."

log() { printf '\n==> %s\n' "$*"; }

if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  log "installing Chromium"
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver
fi

log "installing playwright-core"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

if [ -z "${FRAMEWRIGHT_BIN:-}" ]; then
  log "building framewright"
  cargo build --locked -p framewright-cli
  # A private copy: a shared target folder may be rebuilt from another checkout meanwhile.
  bin_dir="$(mktemp -d)"
  trap 'rm -rf "$bin_dir"' EXIT
  cp "${CARGO_TARGET_DIR:-$PWD/target}/debug/framewright" "$bin_dir/framewright"
  export FRAMEWRIGHT_BIN="$bin_dir/framewright"
fi

log "running the browser tests"
if [ "$#" -gt 0 ]; then
  node --test --test-concurrency=1 "$@"
else
  node --test --test-concurrency=1 tests/e2e/*.test.mjs
fi
