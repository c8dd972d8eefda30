#!/usr/bin/env bash
# The office database's key in a real OS credential store, headless: a private D-Bus session with
# its own gnome-keyring (the Secret Service), its login keyring created and unlocked with a
# throwaway password in a temporary folder; then the same without any Secret Service, where the
# app must say so plainly. Run by scripts/test.sh; needs dbus and gnome-keyring (install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

cargo test --locked --workspace --test keyring_secret_service --no-run

home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT

echo "== the key in the Secret Service (gnome-keyring under dbus-run-session)"
MESTNO_REAL_KEYRING=1 ./scripts/keyring-session.sh "$home" \
  cargo test --locked --workspace --test keyring_secret_service -- \
  --ignored --exact a_key_kept_in_the_secret_service_is_read_back_and_opens_the_office \
  2> >(grep -v "Failed to set fd limit" >&2)

echo "== no Secret Service at all"
env -u DBUS_SESSION_BUS_ADDRESS -u DISPLAY -u WAYLAND_DISPLAY MESTNO_NO_KEYRING=1 \
  cargo test --locked --workspace --test keyring_secret_service -- \
  --ignored --exact without_a_secret_service_the_office_says_so_and_writes_nothing
