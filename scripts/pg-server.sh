# Sourced by scripts/pg-test.sh and scripts/bench.sh: a PostgreSQL server of the tests' own, on a
# free port of 127.0.0.1, TLS only, with a self-signed CA made here, run as an unprivileged user
# (`mestno-pg`, created when running as root) from a temporary folder.
#
#   pg_server_start   starts it and exports MESTNO_PG_URL (the superuser's URL, verify-full
#                     against the CA), MESTNO_PG_CA (the CA), MESTNO_PG_WRONG_CA (another CA, for
#                     the refusal test), MESTNO_PG_DIR (its folder, also its socket's; the
#                     server's pid is in $MESTNO_PG_DIR/data/postmaster.pid), MESTNO_PG_PSQL,
#                     MESTNO_PG_RESTART (a shell command restarting it at once, as an
#                     administrator would: connections ended, back on the same port)
#   pg_server_stop    stops it and removes the folder
# PG_FSYNC=off (the tests) trades durability for speed; the benchmark keeps the default.

pg_server_start() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "Не найден PostgreSQL (пакет postgresql): запустите scripts/install-deps.sh" >&2
    return 1
  fi
  MESTNO_PG_DIR=$(mktemp -d /tmp/mestno-pg.XXXXXX)
  export MESTNO_PG_DIR
  PG_RUN=()
  if [ "$(id -u)" -eq 0 ]; then
    id -u mestno-pg >/dev/null 2>&1 ||
      useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin mestno-pg
    chown mestno-pg "$MESTNO_PG_DIR"
    PG_RUN=(runuser -u mestno-pg --)
  fi
  local d=$MESTNO_PG_DIR
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Mestno test CA" \
      -keyout ca.key -out ca.crt 2>/dev/null
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=Another CA" \
      -keyout wrong-ca.key -out wrong-ca.crt 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout server.key -out server.csr 2>/dev/null
    printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' >san.ext
    openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 2 \
      -extfile san.ext -out server.crt 2>/dev/null
    openssl rand -hex 16 >pw
    chmod 600 server.key
    [ "${#PG_RUN[@]}" -eq 0 ] || chown mestno-pg server.key server.crt pw
  )
  "${PG_RUN[@]}" "$bin/initdb" -D "$d/data" -U postgres --pwfile="$d/pw" --auth-local=trust \
    --auth-host=scram-sha-256 -E UTF8 --no-locale >"$d/initdb.log" 2>&1 || {
    cat "$d/initdb.log" >&2
    return 1
  }
  local port
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat >>"$d/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$d'
max_connections = 200
ssl = on
ssl_cert_file = '$d/server.crt'
ssl_key_file = '$d/server.key'
fsync = ${PG_FSYNC:-on}
CONF
  cat >"$d/data/pg_hba.conf" <<HBA
local     all all              trust
hostssl   all all 127.0.0.1/32 scram-sha-256
hostnossl all all 127.0.0.1/32 reject
HBA
  "${PG_RUN[@]}" "$bin/pg_ctl" -D "$d/data" -l "$d/server.log" -w start >/dev/null || {
    cat "$d/server.log" >&2
    return 1
  }
  PG_BIN=$bin
  export MESTNO_PG_URL="postgres://postgres:$(cat "$d/pw")@localhost:$port/postgres?sslmode=verify-full&sslrootcert=$d/ca.crt"
  export MESTNO_PG_CA="$d/ca.crt" MESTNO_PG_WRONG_CA="$d/wrong-ca.crt" MESTNO_PG_PSQL="$bin/psql"
  export MESTNO_PG_RESTART="${PG_RUN[*]} $bin/pg_ctl -D $d/data -l $d/server.log -m fast -w restart"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (TLS), $d"
}

pg_server_stop() {
  [ -n "${MESTNO_PG_DIR:-}" ] && [ -d "$MESTNO_PG_DIR" ] || return 0
  "${PG_RUN[@]}" "$PG_BIN/pg_ctl" -D "$MESTNO_PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$MESTNO_PG_DIR"
  unset MESTNO_PG_DIR
}
