#!/usr/bin/env bash
# `npm run token -- <user>`: builds once if needed, then prints a token signed with the local install's key.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f dist/src/cli/token.js ] || npm run --silent build >&2
exec node dist/src/cli/token.js "$@"
