#!/usr/bin/env bash
# Builds the `large` demo office in release mode and prints the measured figures as JSON lines:
# the store's everyday operations, then the registry report.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cargo build --release --locked -p mestno-cli --bin mestno-bench
/usr/bin/time -v target/release/mestno-bench --scale "${1:-large}" 2> >(grep -E "Maximum resident|Elapsed" >&2)
# The registry report of the same scale: rows/s and peak memory, and Python XlsxWriter writing the
# same rows from the same database for comparison (targets: 4× faster, at most 100 MB).
cargo build --release --locked -p mestno-reports --bin mestno-report-bench
target/release/mestno-report-bench --scale "${1:-large}"
