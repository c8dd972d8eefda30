#!/usr/bin/env bash
# Builds the `large` demo office in release mode and prints the measured figures as JSON lines.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cargo build --release --locked -p mestno-cli --bin mestno-bench
/usr/bin/time -v target/release/mestno-bench --scale "${1:-large}" 2> >(grep -E "Maximum resident|Elapsed" >&2)
