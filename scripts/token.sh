#!/usr/bin/env bash
# `npm run token -- <user> [hours]`: prints a token signed with the local install's key, lasting at most 8 hours (the
# service refuses longer local tokens). Builds first when dist/ is missing or older than the sources, so the token is
# made by the code the service runs.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f dist/src/cli/token.js ] || [ -n "$(find src -newer dist/src/cli/token.js -name '*.ts' -print -quit)" ]; then
  npm run --silent build >&2
fi
exec node dist/src/cli/token.js "$@"
