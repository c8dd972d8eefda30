#!/usr/bin/env bash
# Builds the `large` demo office in release mode and prints the measured figures as JSON lines:
# the store's everyday operations, then the registry report.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cargo build --release --locked -p mestno-bench --bin mestno-bench
/usr/bin/time -v target/release/mestno-bench --scale "${1:-large}" 2> >(grep -E "Maximum resident|Elapsed" >&2)
# The five reports of the same scale, each beside rust_xlsxwriter alone writing the same cells,
# formats and formulas in the same run, and the registry beside Python XlsxWriter writing the same
# rows from the same database (targets: the registry within 1.3× of the writer, 10× faster than
# Python, at most 100 MB; the other reports within 1.5× of the writer).
cargo build --release --locked -p mestno-bench --bin mestno-report-bench
target/release/mestno-report-bench --scale "${1:-large}"
# The import: 100 000 contacts from an .xlsx, read, checked and stored, into a new office and into
# one holding the medium demo, each in a process of its own, beside calamine alone reading the same
# file (targets: at most 2 s, 300 MB peak, 3× calamine).
cargo build --release --locked -p mestno-bench --bin mestno-import-bench
target/release/mestno-import-bench
# The desktop app: cold start to first data, idle memory, opening the initiatives list on the
# large demo (targets: 1.0 s, 200 MB, 100 ms; median of 5 cold starts).
./scripts/e2e.sh --bench
# Exchange packages: one of 100 000 changes made and loaded into an empty office, and a district
# consolidating 20 settlements of 5 000 changes each (targets: 3 s, 3 s, 30 s; sums to the kopeck).
cargo build --release --locked -p mestno-bench --bin mestno-sync-bench
target/release/mestno-sync-bench
# The shared server: offices syncing with a PostgreSQL of its own on loopback (scripts/pg-server.sh)
# — a settlement's first sync of 10 000 records, a sync of 100 changes, 50 offices × 1 000 changes
# at once, the server's peak memory (targets: 5 s, 300 ms, 60 s).
cargo build --release --locked -p mestno-bench --bin mestno-server-bench
(
  # shellcheck source=scripts/pg-server.sh
  source scripts/pg-server.sh
  trap pg_server_stop EXIT
  pg_server_start
  target/release/mestno-server-bench
)
