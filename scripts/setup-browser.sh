#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (no browser is downloaded): install the package when it is missing and
# this user may (root, or sudo without a password), else say how. Never fails: the browser tests name what is missing.
set -uo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
[ -x "$chromium" ] && exit 0
if [ -n "${CHROMIUM_PATH:-}" ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: no Chromium at $chromium; install it (Debian: apt-get install chromium) or set CHROMIUM_PATH for the browser tests" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "setup-browser: no Chromium at $chromium; run: sudo apt-get install chromium (the browser tests need it)" >&2
  exit 0
fi
echo "setup-browser: installing Debian's chromium package for the browser tests"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get install -y -q chromium >/dev/null 2>&1 \
  || { "${as_root[@]}" apt-get update -q >/dev/null 2>&1 && "${as_root[@]}" apt-get install -y -q chromium >/dev/null 2>&1; } \
  || echo "setup-browser: apt-get could not install chromium; the browser tests will say so" >&2
exit 0
