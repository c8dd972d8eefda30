#!/usr/bin/env bash
# Every check Mestno has, the same on a laptop and in CI: formatting, lints, the Rust tests (core,
# reports, import, command line, the app's commands and its TypeScript bindings), the database key
# in a real OS credential store, the UI's unit tests, the UI in Chromium on the real core (through
# the loopback bridge, crates/bridge), the real app under Xvfb, the Linux installers (built,
# installed, updated and removed as root), and the import's fuzzing for a
# bounded time. Installs what it needs itself (scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
# A whole run rebuilds little between runs; incremental caches would only double target/ on disk.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

# Each phase's wall time goes to target/test-times.txt and is printed again at the end (and by
# .ci/run after the benchmark), so the last lines of a run say where its time went.
mkdir -p target
times=target/test-times.txt
: >"$times"
phase_name="install what the checks need (scripts/install-deps.sh)"
phase_start=$SECONDS
phase() {
  printf '%6d s  %s\n' $((SECONDS - phase_start)) "$phase_name" >>"$times"
  phase_name="$1"
  phase_start=$SECONDS
  [ -z "$1" ] || echo "== $1 (at ${SECONDS} s)"
}
trap 'phase ""; echo "== time by phase (target/test-times.txt)"; cat "$times"' EXIT

./scripts/install-deps.sh

phase "cargo fmt --check"
cargo fmt --all --check

phase "UI: npm ci, svelte-check, vitest"
(cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run check && npm test)

phase "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

phase "cargo test"
MESTNO_SYNC_CASES=1000 cargo test --workspace --locked

phase "the shared server against a real PostgreSQL (crates/server; scripts/pg-test.sh)"
./scripts/pg-test.sh

phase "the database key in a real Secret Service (gnome-keyring under dbus-run-session)"
./scripts/keyring-test.sh

phase "the UI in Chromium on the real core through mestno-bridge (tests/browser; with a PostgreSQL for the server's settings)"
(cd tests/browser && npm ci --no-audit --no-fund --loglevel=error && ../../scripts/with-pg.sh npm test)

phase "the real app under Xvfb (tests/e2e)"
./scripts/e2e.sh

phase "the Linux installers: .deb and .rpm built, the .deb installed, updated, removed (tests/package)"
if [ "$(id -u)" -eq 0 ]; then
  ./tests/package/run.sh
else
  echo "skipped: installing a package needs root"
fi

phase "fuzzing the import's readers"
./scripts/fuzz.sh "${MESTNO_FUZZ_SECONDS:-60}"
