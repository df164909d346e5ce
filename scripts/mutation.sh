#!/usr/bin/env bash
# Mutation testing, on demand (not part of `npm test` or CI): `npm run mutation [-- <stryker options>]`,
# e.g. `MUTATION_AREA=periods npm run mutation` for one area (kernel, periods or procedures). Configuration: stryker.config.mjs.
# Fails (exit 1) when the score is below 85 %. Ends with one line per area and overall.
set -uo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)
TZ=UTC npx stryker run "$@"
status=$?
node scripts/mutation-summary.js "$(( $(date +%s) - started ))" "reports/mutation/${MUTATION_AREA:-all}.json"
exit "$status"
