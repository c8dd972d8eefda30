#!/usr/bin/env bash
# The Linux installers, tried as an office would use them, on this machine (as root: it installs
# and removes the package `mestno` system-wide, and leaves it removed):
#
#   1. builds the .deb and .rpm twice with scripts/package.sh — the same code as version V and as
#      V with its patch number raised (only the app crate is compiled again) — for a test key of
#      the updater made here, reading updates over plain http from 127.0.0.1; the newer .deb is
#      signed with that key, and signed again with another key as a forged update;
#   2. checks what the packages hold: the .rpm with `rpm -qlp` and `rpm -qp --scripts`, the
#      .deb with `dpkg-deb` (the app, the `mestno` command, the menu entry with its file types,
#      the icons, the file type of exchange packages);
#   3. installs the older .deb with dpkg and runs package.test.mjs under Xvfb, in a session bus
#      with its own Secret Service and a home of its own: the installed app's first start (timed)
#      opens a new office; the update from a local server is refused when forged and «нет связи»
#      when the server is gone, then found, shown and installed (dpkg upgrades the package); the
#      new version opens the same office with its key; the package is removed and the office's
#      data stays in the person's folder.
#
# MESTNO_PACKAGE_REUSE=1 skips step 1 when its packages are there (while working on the test).
set -euo pipefail
cd "$(dirname "$0")/../.."

[ "$(id -u)" -eq 0 ] || { echo "tests/package installs a package: run it as root" >&2; exit 1; }

# sudo: the updater installs a .deb through pkexec, a graphical password prompt, or sudo; root
# needs no password for sudo, so the test goes that way. cpio unpacks the .rpm's menu entry.
if ! command -v sudo >/dev/null 2>&1 || ! command -v cpio >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends sudo cpio
fi

tauri=ui/node_modules/.bin/tauri
work="target/package-test"
old_dir="$work/old"
new_dir="$work/new"
keys="$work/keys"
base=$(python3 -c 'import json; print(json.load(open("tauri.conf.json"))["version"])')
newer=$(python3 -c 'import sys; a, b, c = sys.argv[1].split("-")[0].split("."); print(f"{a}.{b}.{int(c) + 1}")' "$base")

if [ "${MESTNO_PACKAGE_REUSE:-}" != 1 ] || ! ls "$new_dir"/*.deb.sig >/dev/null 2>&1; then
  rm -rf "$work"
  mkdir -p "$keys"
  # The test's own updater keys: the app trusts `test`; `forged` signs the forged update.
  ./scripts/build-ui.sh >/dev/null
  [ -x "$tauri" ] || (cd ui && npm ci --no-audit --no-fund --loglevel=error)
  for k in test forged; do
    "$tauri" signer generate --ci -p '' -w "$keys/$k.key" >/dev/null
  done
  pubkey=$(cat "$keys/test.key.pub")
  echo "== пакеты версии $base (ключ обновлений — тестовый)"
  MESTNO_UPDATER_PUBKEY="$pubkey" MESTNO_UPDATER_INSECURE=1 \
    ./scripts/package.sh --version "$base" --out "$old_dir"
  echo "== пакеты версии $newer, подписанные тестовым ключом"
  MESTNO_UPDATER_PUBKEY="$pubkey" MESTNO_UPDATER_INSECURE=1 \
    TAURI_SIGNING_PRIVATE_KEY_PATH="$keys/test.key" TAURI_SIGNING_PRIVATE_KEY_PASSWORD='' \
    ./scripts/package.sh --version "$newer" --out "$new_dir"
  # The forged update: the same package, signed by a key the app does not trust.
  mkdir -p "$work/forged"
  cp "$new_dir"/*.deb "$work/forged/"
  TAURI_SIGNING_PRIVATE_KEY_PATH="$keys/forged.key" TAURI_SIGNING_PRIVATE_KEY_PASSWORD='' \
    "$tauri" signer sign --app-version "$newer" "$work/forged"/*.deb >/dev/null
fi

deb_old=$(ls "$old_dir"/*.deb)
deb_new=$(ls "$new_dir"/*.deb)
rpm_new=$(ls "$new_dir"/*.rpm)

echo "== что в пакетах"
fail() { echo "FAIL: $*" >&2; exit 1; }
# Lists each path a package holds and checks the ones an office needs are there.
expect_files() {
  local what="$1" list="$2"
  for f in /usr/bin/mestno-app /usr/bin/mestno /usr/share/applications/Mestno.desktop \
    /usr/share/mime/packages/mestno.xml /usr/share/icons/hicolor/32x32/apps/mestno-app.png \
    /usr/share/icons/hicolor/128x128/apps/mestno-app.png; do
    grep -qx "$f" <<<"$list" || fail "$what: нет $f"
  done
}
rpm_list=$(rpm -qlp "$rpm_new" 2>/dev/null)
expect_files "$(basename "$rpm_new")" "$rpm_list"
deb_list=$(dpkg-deb --fsys-tarfile "$deb_new" | tar -t | sed -e 's|^\./||' -e 's|^|/|' -e 's|/$||')
expect_files "$(basename "$deb_new")" "$deb_list"
# Whatever the .rpm runs when installed or removed: nothing that deletes a person's data.
rpm_scripts=$(rpm -qp --scripts "$rpm_new" 2>/dev/null)
if grep -Eq 'rm .*(home|\.local|HOME|/root)' <<<"$rpm_scripts"; then fail ".rpm scripts remove user data: $rpm_scripts"; fi
echo "rpm --scripts: $(grep -c . <<<"$rpm_scripts" || true) строк"
# The menu entry, in both packages: it passes the file it is asked to open, and names the types.
unpack=$(mktemp -d)
mkdir "$unpack/rpm"
# (Debian's rpm2cpio exits 1 after an xz payload it wrote out whole: the file is what counts.)
rpm2cpio "$rpm_new" 2>/dev/null | (cd "$unpack/rpm" && cpio -idm --quiet) || true
[ -s "$unpack/rpm/usr/share/applications/Mestno.desktop" ] || fail "rpm2cpio could not unpack $rpm_new"
dpkg-deb -x "$deb_new" "$unpack/deb"
desktop_rpm=$(cat "$unpack/rpm/usr/share/applications/Mestno.desktop")
desktop_deb=$(cat "$unpack/deb/usr/share/applications/Mestno.desktop")
rm -rf "$unpack"
for desktop in "$desktop_rpm" "$desktop_deb"; do
  grep -q '^Exec=mestno-app %f$' <<<"$desktop" || fail "Mestno.desktop does not pass the file: $desktop"
  for mime in application/x-mestno-sync application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; do
    grep -q "^MimeType=.*$mime" <<<"$desktop" || fail "Mestno.desktop lacks $mime"
  done
done
for f in "$deb_old" "$deb_new" "$rpm_new"; do
  size=$(stat -c %s "$f")
  printf 'package_size_bytes %s %s (%s MB; target ≤ 20 MB)\n' "$(basename "$f")" "$size" "$(awk -v b="$size" 'BEGIN { printf "%.1f", b / 1048576 }')"
  [ "$size" -le $((20 * 1024 * 1024)) ] || fail "$(basename "$f") is over 20 MB"
done

echo "== установка $(basename "$deb_old")"
package=$(dpkg-deb -f "$deb_old" Package)
dpkg -r "$package" >/dev/null 2>&1 || true
dpkg -i "$deb_old" >/dev/null
[ "$(dpkg-query -W -f='${Version}' "$package")" = "$base" ] || fail "dpkg did not install $base"

(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$cargo_bin:$PATH"
command -v tauri-driver >/dev/null 2>&1 || cargo install tauri-driver --locked --version '^2'

tmp="$(mktemp -d)"
xvfb_pid=""
runner_pid=""
cleanup() {
  if [ -n "$runner_pid" ] && kill -0 -- "-$runner_pid" 2>/dev/null; then
    kill -TERM -- "-$runner_pid" 2>/dev/null || true
    for _ in $(seq 30); do kill -0 -- "-$runner_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$runner_pid" 2>/dev/null || true
  fi
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; wait "$xvfb_pid" 2>/dev/null || true; fi
  # Never leave the test's package installed on the machine.
  dpkg -r "$package" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$tmp/display" 2>"$tmp/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 100); do
  [ -s "$tmp/display" ] && break
  kill -0 "$xvfb_pid" 2>/dev/null || { cat "$tmp/xvfb.log" >&2; echo "Xvfb did not start" >&2; exit 1; }
  sleep 0.1
done
[ -s "$tmp/display" ] || { echo "Xvfb did not start within 10 s" >&2; exit 1; }
export DISPLAY=":$(tr -d '[:space:]' <"$tmp/display")"

# The person's home and data folders are the test's own (keyring-session.sh sets XDG_*).
mkdir -p "$tmp/home"
export HOME="$tmp/home" MESTNO_APP=/usr/bin/mestno-app MESTNO_PACKAGE="$package"
export MESTNO_OLD_VERSION="$base" MESTNO_NEW_VERSION="$newer"
export MESTNO_UPDATE_GOOD="$PWD/$new_dir" MESTNO_UPDATE_FORGED="$PWD/$work/forged"
echo "== установленное приложение (tests/package/package.test.mjs)"
setsid ./scripts/keyring-session.sh "$tmp/session" node --test --test-concurrency=1 --test-timeout=300000 tests/package/ &
runner_pid=$!
status=0
wait "$runner_pid" || status=$?
runner_pid=""
exit "$status"
