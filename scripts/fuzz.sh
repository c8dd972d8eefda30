#!/usr/bin/env bash
# Fuzzes the import's readers (crates/import/fuzz) for a bounded time per target, with no panic,
# hang or runaway memory allowed. Usage: scripts/fuzz.sh [SECONDS per target, default 60].
#
# cargo-fuzz wants nightly Rust for its sanitizer flags; only stable is installed here, so the
# build runs with RUSTC_BOOTSTRAP=1, which lets stable rustc take them. Installs cargo-fuzz if it
# is missing. The corpus starts from the seeds in crates/import/fuzz/seeds/ and grows in
# target/fuzz/corpus/; crashes land in target/fuzz/artifacts/ and fail the script.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${1:-60}"
fuzz_dir=crates/import/fuzz
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target/fuzz/build}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "Устанавливаю cargo-fuzz…"
  cargo install cargo-fuzz --locked
fi

# AddressSanitizer when the toolchain has its runtime; plain libFuzzer otherwise.
sanitizer=address
if ! ls "$(rustc --print sysroot)"/lib/rustlib/*/lib/librustc-*_rt.asan.a >/dev/null 2>&1; then
  sanitizer=none
fi

status=0
for target in $(cargo fuzz list --fuzz-dir "$fuzz_dir"); do
  corpus="target/fuzz/corpus/$target"
  artifacts="target/fuzz/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  seeds="$fuzz_dir/seeds/$target"
  echo "== fuzz $target: ${seconds} s, sanitizer $sanitizer"
  if ! cargo fuzz run --fuzz-dir "$fuzz_dir" --sanitizer "$sanitizer" "$target" "$corpus" \
    ${seeds:+$([ -d "$seeds" ] && echo "$seeds")} -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
    -artifact_prefix="$artifacts/" -print_final_stats=1; then
    echo "!! $target: a crash, a hang or too much memory; the input is in $artifacts/" >&2
    status=1
  fi
done
exit "$status"
