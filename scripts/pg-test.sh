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
cargo test --locked -p mestno-server "$@"
cargo test --locked -p mestno-cli --test server
