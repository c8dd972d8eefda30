#!/usr/bin/env bash
# The shared server's tests (crates/server) against a real PostgreSQL of their own: started by
# scripts/pg-server.sh (TLS, a self-signed CA, an unprivileged user, a free port of 127.0.0.1)
# and stopped at the end, whatever happens. Installs Debian's postgresql if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql openssl
fi
# shellcheck source=scripts/pg-server.sh
source scripts/pg-server.sh
trap pg_server_stop EXIT
PG_FSYNC=off pg_server_start
# Without a server the tests fail instead of passing quietly.
export MESTNO_PG_REQUIRED=1
# The test binaries of the workspace's own build, picked by package: `cargo test -p …` would
# resolve the dependencies' features for that package alone and compile much of the tree again.
mapfile -t tests < <(
  cargo test --locked --workspace --no-run --message-format=json --test rls --test load --test sync --test restart --test server |
    python3 -c '
import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") != "compiler-artifact" or not m.get("executable"):
        continue
    package = m["package_id"]
    if "crates/server#" in package or ("crates/cli#" in package and m["target"]["name"] == "server"):
        print(package.split("#")[0].removeprefix("path+file://") + "\t" + m["executable"])'
)
[ "${#tests[@]}" -eq 5 ] || { echo "expected 5 test binaries (server: rls, load, sync, restart; cli: server), found: ${tests[*]}" >&2; exit 1; }
# Each in its package's folder, as cargo runs it.
for t in "${tests[@]}"; do
  dir="${t%%$'\t'*}" bin="${t#*$'\t'}"
  echo "== $(basename "$bin")"
  (cd "$dir" && "$bin" "$@")
done
