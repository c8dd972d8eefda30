#!/usr/bin/env bash
# Installs the system packages Mestno needs to build and test on Debian/Ubuntu.
# Idempotent: installs only what is missing. Needs root or sudo for apt-get.
set -euo pipefail

packages=(build-essential pkg-config ca-certificates time)

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
