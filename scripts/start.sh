#!/usr/bin/env bash
# Starts Mestno's desktop app: installs what it needs, builds the UI and the app with the UI
# built in (release mode), and opens the window. The office database lives in the per-user data
# folder (~/.local/share/ru.mestno.desktop/mestno.sqlite on Linux); MESTNO_DB=FILE opens another.
# On the first start the window offers an empty office or demo data.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build-ui.sh
echo "== приложение (release)"
cargo build --release --locked --features custom-protocol --bin mestno-app
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "Нет графического сеанса (DISPLAY): окно открыть негде. Запустите из рабочего стола или под xvfb-run." >&2
  exit 1
fi
exec target/release/mestno-app "$@"
