#!/usr/bin/env bash
# The real desktop app, end to end: builds the UI and the release app with the UI embedded (the
# same build scripts/start.sh makes), starts a virtual screen (Xvfb) and a session bus with its own
# Secret Service (scripts/keyring-session.sh), where the app keeps its database key, and drives the
# app's window through tauri-driver and Debian's WebKitWebDriver (tests/e2e; screenshots of every
# screen in tests/e2e/screenshots/). Each app gets its own database file (MESTNO_DB).
#
#   ./scripts/e2e.sh           the end-to-end tests
#   ./scripts/e2e.sh SPEC…     only these of tests/e2e/specs/ (e.g. backup.test.mjs)
#   ./scripts/e2e.sh --bench   the app's benchmark instead: cold start to first data, idle memory,
#                              opening the initiatives list on the `large` demo (JSON lines)
set -euo pipefail
cd "$(dirname "$0")/.."

mode=test
specs=(tests/e2e/specs/)
case "${1:-}" in
  "") ;;
  --bench) mode=bench ;;
  -*) echo "usage: $0 [--bench | SPEC…]" >&2; exit 2 ;;
  *)
    specs=()
    for spec in "$@"; do
      [ -f "tests/e2e/specs/$spec" ] || { echo "no such spec: tests/e2e/specs/$spec" >&2; exit 2; }
      specs+=("tests/e2e/specs/$spec")
    done
    ;;
esac

./scripts/install-deps.sh

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$PATH"
if ! command -v tauri-driver >/dev/null 2>&1; then
  echo "== tauri-driver (cargo install)"
  cargo install tauri-driver --locked --version '^2'
fi

./scripts/build-ui.sh
echo "== приложение (release, интерфейс встроен)"
cargo build --release --locked --features custom-protocol --bin mestno-app
export MESTNO_APP="$PWD/target/release/mestno-app"

if [ "$mode" = bench ]; then
  echo "== демо-база large (target/e2e/large.sqlite)"
  cargo build --release --locked -p mestno-cli --bin mestno
  mkdir -p target/e2e
  large=target/e2e/large.sqlite
  # Its key is kept in a keyring of its own beside it, which later runs open again.
  keyring=target/e2e/keyring
  # Made once and reused while it is newer than the `mestno` that made it (about a minute).
  if [ ! -s "$large" ] || [ ! -s "$large.key.json" ] || [ ! -d "$keyring" ] || [ target/release/mestno -nt "$large" ]; then
    rm -rf "$large" "$large".* "$large"-* "$keyring"
    ./scripts/keyring-session.sh "$keyring" bash -c '
      target/release/mestno --db "$1" init --office "Проектный офис (демо large)" >/dev/null
      target/release/mestno --db "$1" demo --scale large --seed 1' make-large "$large.tmp"
    # The key file names its database's place only by its own name beside it.
    mv "$large.tmp.key.json" "$large.key.json"
    mv "$large.tmp" "$large"
  fi
  export MESTNO_BENCH_DB="$PWD/$large"
fi

echo "== тестовые зависимости (tests/e2e)"
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)

work="$(mktemp -d)"
[ "$mode" = bench ] || keyring="$work/keyring"
xvfb_pid=""
runner_pid=""
cleanup() {
  # Whatever is left of the runner's process group (node, tauri-driver, WebKitWebDriver, the
  # app), then Xvfb.
  if [ -n "$runner_pid" ] && kill -0 -- "-$runner_pid" 2>/dev/null; then
    kill -TERM -- "-$runner_pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 -- "-$runner_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$runner_pid" 2>/dev/null || true
  fi
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A display nobody uses: Xvfb picks the number itself and writes it to fd 3.
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$work/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$work/xvfb.log" >&2; echo "Xvfb did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/display" ] || { cat "$work/xvfb.log" >&2; echo "Xvfb did not start within 10 s" >&2; exit 1; }
export DISPLAY=":$(tr -d '[:space:]' <"$work/display")"
echo "== Xvfb на $DISPLAY"

if [ "$mode" = bench ]; then
  echo "== бенчмарк приложения (числа, не тест)"
  setsid ./scripts/keyring-session.sh "$keyring" node tests/e2e/bench.mjs &
else
  echo "== сквозные тесты приложения (tests/e2e)"
  rm -rf tests/e2e/screenshots
  setsid ./scripts/keyring-session.sh "$keyring" node --test --test-concurrency=1 --test-timeout=300000 "${specs[@]}" &
fi
# setsid: the runner leads its own process group, so cleanup can end all of it by its id.
runner_pid=$!
status=0
wait "$runner_pid" || status=$?
if [ "$mode" = test ]; then echo "скриншоты: tests/e2e/screenshots/"; fi
exit "$status"
