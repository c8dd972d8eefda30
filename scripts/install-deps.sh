#!/usr/bin/env bash
# Installs the system packages Mestno needs to build and test on Debian/Ubuntu, and the Python
# packages the report tests and benchmark use (openpyxl reads the reports back, XlsxWriter is the
# benchmark's yardstick; LibreOffice Calc recalculates the reports headless).
# Idempotent: installs only what is missing. Needs root or sudo for apt-get.
set -euo pipefail

packages=(
  # Rust builds and the core's tests; SQLCipher links libcrypto (libssl-dev, below)
  build-essential pkg-config ca-certificates time file python3 python3-pip
  # the database key in the OS credential store: the Secret Service over D-Bus (libdbus), and
  # gnome-keyring to try it headless under dbus-run-session (scripts/keyring-test.sh)
  libdbus-1-dev gnome-keyring
  # the desktop app: Tauri 2 over WebKitGTK
  libssl-dev libwebkit2gtk-4.1-dev libjavascriptcoregtk-4.1-dev libsoup-3.0-dev libgtk-3-dev
  librsvg2-dev libayatana-appindicator3-dev libxdo-dev
  # the app's tests: a virtual screen, the WebKit WebDriver, Chromium for the UI's browser tests,
  # ImageMagick's `import` for screenshots of the window as the screen shows it, Python's GObject
  # bindings for the stand-in file chooser portal that answers the app's dialogs (tests/e2e)
  xvfb xauth webkit2gtk-driver chromium dbus imagemagick python3-gi
  # the reports' tests: LibreOffice Calc recalculates the files headless
  libreoffice-calc
  # the shared server's tests: a PostgreSQL of their own, TLS with a CA made by openssl
  postgresql openssl
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "Устанавливаю системные пакеты: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "Не найден Rust (cargo). Установите его: https://rustup.rs" >&2
  exit 1
fi

# The UI builds with Vite 8, which needs Node.js 20.19 or newer (Debian 12's own is 18).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Не найден Node.js (node, npm). Нужна версия 20.19 или новее: https://nodejs.org" >&2
  exit 1
fi
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "Node.js $(node --version) слишком старый: для сборки интерфейса нужна версия 20.19 или новее" >&2
  exit 1
fi

python_packages=(openpyxl XlsxWriter)
if ! python3 -c "import openpyxl, xlsxwriter" >/dev/null 2>&1; then
  echo "Устанавливаю пакеты Python: ${python_packages[*]}"
  python3 -m pip install --user --quiet "${python_packages[@]}" ||
    python3 -m pip install --user --quiet --break-system-packages "${python_packages[@]}"
fi
