#!/usr/bin/env bash
# Starts Mestno. Until the desktop window lands, this is the `mestno` command over an office
# database in the per-user data folder, filled with demo data on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cargo build --release --locked -p mestno-cli --bin mestno
mestno=target/release/mestno
db="${MESTNO_DB:-}"
args=()
[ -n "$db" ] && args=(--db "$db")
"$mestno" "${args[@]}" init
if "$mestno" "${args[@]}" stats --json | grep -q '"initiatives": 0,'; then
  "$mestno" "${args[@]}" init --office "Проектный офис (демо)" >/dev/null
  "$mestno" "${args[@]}" demo --scale "${MESTNO_DEMO_SCALE:-medium}"
fi
"$mestno" "${args[@]}" stats
echo
echo "Дальше: $mestno --help   (например: $mestno search \"водопровод\", $mestno list initiatives --year 2024)"
