#!/usr/bin/env bash
# Runs a command in a private D-Bus session with its own gnome-keyring (the Secret Service), its
# login keyring unlocked with a throwaway password and kept under DIR, never the user's own:
#
#   scripts/keyring-session.sh DIR COMMAND [ARG…]
#
# A later session on the same DIR finds the keys the earlier one stored (the benchmark's office
# is made once and opened by later runs). Needs dbus and gnome-keyring (install-deps.sh).
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DIR COMMAND [ARG…]" >&2; exit 2; }
dir=$(realpath -m "$1")
shift
mkdir -p "$dir/data" "$dir/config"
mkdir -p -m 700 "$dir/run"
# gnome-keyring keeps its keyrings under XDG_DATA_HOME and its socket under XDG_RUNTIME_DIR.
export XDG_DATA_HOME="$dir/data" XDG_RUNTIME_DIR="$dir/run" XDG_CONFIG_HOME="$dir/config"
exec dbus-run-session -- bash -c '
  printf "mestno-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' keyring-session "$@"
