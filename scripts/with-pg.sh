#!/usr/bin/env bash
# Runs a command with a PostgreSQL of the tests' own running (scripts/pg-server.sh: TLS, a
# self-signed CA, an unprivileged user, a free port of 127.0.0.1), stopped at the end whatever
# happens: `scripts/with-pg.sh npm test` in tests/browser, for the window's sync with a real
# server. MESTNO_PG_REQUIRED=1 makes a test that needs the server fail rather than skip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Не найден PostgreSQL (пакет postgresql): запустите scripts/install-deps.sh" >&2
  exit 1
fi
# shellcheck source=scripts/pg-server.sh
source "$here/pg-server.sh"
trap pg_server_stop EXIT
PG_FSYNC=off pg_server_start
export MESTNO_PG_REQUIRED=1
"$@"
