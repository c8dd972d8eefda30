#!/usr/bin/env bash
# Builds Mestno's Linux installers on this Debian machine, with nothing downloaded while it
# builds: the .deb (Debian, Astra Linux, Ubuntu) and the .rpm (РЕД ОС, ALT, Fedora). Each holds
# the app (/usr/bin/mestno-app) with its icons, its menu entry and its file types — exchange
# packages (*.mestno-sync, application/x-mestno-sync) and spreadsheets to import (.xlsx, .xls,
# .ods: «Открыть в Mestno») — and the `mestno` command beside it (/usr/bin/mestno).
#
#   scripts/package.sh [--version X.Y.Z] [--out DIR]
#
# The app and the command are built once in release mode (the same target/ the other scripts
# use); the Tauri CLI (ui/node_modules, from npm) bundles them with the targets named here, never
# AppImage or the Windows installers (those download their tools: .github/workflows/release.yml
# builds them). The packages land in DIR (target/package by default) with their sizes printed.
#
# --version builds the same code as another version (tests/package: an upgrade, an update).
# MESTNO_UPDATER_PUBKEY replaces the updater's public key of tauri.conf.json (a test's own key),
# and MESTNO_UPDATER_INSECURE=1 lets the app read updates over plain http (a test's server on
# 127.0.0.1); a release sets neither. With TAURI_SIGNING_PRIVATE_KEY or
# TAURI_SIGNING_PRIVATE_KEY_PATH (and TAURI_SIGNING_PRIVATE_KEY_PASSWORD) set, each package is
# signed for the updater, bound to its version (FILE.sig beside it).
set -euo pipefail
cd "$(dirname "$0")/.."

version=""
out="target/package"
while (($#)); do
  case "$1" in
    --version) version="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    *) echo "usage: $0 [--version X.Y.Z] [--out DIR]" >&2; exit 2 ;;
  esac
done

./scripts/install-deps.sh
# `rpm` reads the .rpm back (rpm -qlp); the bundler writes both packages itself.
if ! command -v rpm >/dev/null 2>&1; then
  echo "Устанавливаю системные пакеты: rpm"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends rpm
fi

./scripts/build-ui.sh
tauri=ui/node_modules/.bin/tauri
if [ ! -x "$tauri" ]; then
  (cd ui && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "== команда mestno (release)"
cargo build --release --locked -p mestno-cli --bin mestno
mkdir -p target/package
# The packages carry the command without its line tables and symbols: a panic still says where
# (file and line are in the message), a backtrace gives addresses only. With the shared server's
# TLS and PostgreSQL driver in both programs, keeping the symbols took the .deb over 20 MB.
strip --strip-all -o target/package/mestno target/release/mestno

# What differs from tauri.conf.json for this build: the UI is already built (build-ui.sh), and
# the version and updater settings the options above ask for.
config=$(
  VERSION="$version" python3 - <<'EOF'
import json, os
config = {"build": {"beforeBuildCommand": ""}}
if os.environ.get("VERSION"):
    config["version"] = os.environ["VERSION"]
updater = {}
if os.environ.get("MESTNO_UPDATER_PUBKEY"):
    updater["pubkey"] = os.environ["MESTNO_UPDATER_PUBKEY"]
if os.environ.get("MESTNO_UPDATER_INSECURE") == "1":
    updater["dangerousInsecureTransportProtocol"] = True
if updater:
    config["plugins"] = {"updater": updater}
print(json.dumps(config))
EOF
)

echo "== приложение (tauri build, release)"
rm -rf target/release/bundle/deb target/release/bundle/rpm
# The signing key, if any, is for signer below: the CLI is not to make other artifacts.
nokey=(env -u TAURI_SIGNING_PRIVATE_KEY -u TAURI_SIGNING_PRIVATE_KEY_PASSWORD -u TAURI_SIGNING_PRIVATE_KEY_PATH)
"${nokey[@]}" "$tauri" build --ci --no-bundle --config "$config"
# The release profile keeps line tables for backtraces (about 200 MB); the packages do without
# them and without symbols, as the command above (30 MB). Stripped in place, as the bundler itself
# patches the binary it packs; cargo still takes it as built.
strip --strip-all target/release/mestno-app
echo "== пакеты .deb, .rpm (tauri bundle)"
"${nokey[@]}" "$tauri" bundle --ci --bundles deb,rpm --config "$config"

shopt -s nullglob
# The bundler packs the .deb with gzip; packed again with xz, as Debian's own packages are, it is
# a third smaller (21 MB → 14 MB to download; the .rpm is xz already). Its files are the same.
for deb in target/release/bundle/deb/*.deb; do
  tree=$(mktemp -d)
  dpkg-deb -R "$deb" "$tree/deb"
  dpkg-deb --root-owner-group -Zxz -b "$tree/deb" "$deb" >/dev/null
  rm -rf "$tree"
done

mkdir -p "$out"
made=(target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm)
((${#made[@]} == 2)) || { echo "ожидались один .deb и один .rpm, собрано: ${made[*]:-ничего}" >&2; exit 1; }
[ -n "$version" ] || version=$(python3 -c 'import json; print(json.load(open("tauri.conf.json"))["version"])')
for f in "${made[@]}"; do
  cp "$f" "$out/"
  rm -f "$out/$(basename "$f").sig"
  if [ -n "${TAURI_SIGNING_PRIVATE_KEY:-}${TAURI_SIGNING_PRIVATE_KEY_PATH:-}" ]; then
    # The signature names the version it was made for; the app checks both (minisign).
    "$tauri" signer sign --app-version "$version" "$out/$(basename "$f")" >/dev/null
  fi
done
echo "== пакеты в $out"
for f in "${made[@]}"; do
  name=$(basename "$f")
  printf '%s\t%s байт (%s МБ)\n' "$name" "$(stat -c %s "$out/$name")" \
    "$(awk -v b="$(stat -c %s "$out/$name")" 'BEGIN { printf "%.1f", b / 1048576 }')"
done
