#!/usr/bin/env bash
# Builds the window's UI into ui/dist when its sources are newer than the last build. The app
# embeds those files, so a fresh ui/dist, even an identical one, makes cargo rebuild the app
# (minutes): start.sh, e2e.sh and the benchmark all come here and share one build.
set -euo pipefail
cd "$(dirname "$0")/.."

ui_inputs=(ui/src ui/public ui/index.html ui/package.json ui/package-lock.json ui/vite.config.ts ui/svelte.config.js ui/tsconfig.json)
if [ ! -s ui/dist/index.html ] || [ -n "$(find "${ui_inputs[@]}" -newer ui/dist/index.html -print -quit 2>/dev/null)" ]; then
  echo "== интерфейс (ui/dist)"
  (cd ui && npm ci --no-audit --no-fund --loglevel=error && npm run build)
else
  echo "== интерфейс (ui/dist) уже собран из этих исходников"
fi
