#!/usr/bin/env bash
# `npm run fuzz`: Schemathesis (pinned, from PyPI, in .tools/fuzz-venv) over every operation of /docs/openapi.json, as a
# caseworker and as an administrator, against the whole service started here on free ports with a throw-away state:
# an embedded PostgreSQL in a temp DATA_DIR, or a fresh database on DATABASE_URL's server (dropped afterwards).
# Fails on any server error, response that breaks its schema, undocumented status code, content type or header.
#   FUZZ_EXAMPLES   examples per operation in the fuzzing phase (default 120); the coverage phase adds its own
#   FUZZ_PHASES     default examples,coverage,fuzzing (>= 10,000 requests); `npm run fuzz:short` runs examples,fuzzing
#   FUZZ_SEED       Hypothesis seed (default: random; printed, so a failing run can be repeated)
#   FUZZ_USERS      the demo users to fuzz as (default "caseworker-a admin")
#   FUZZ_KEEP=1     keeps the temp folder (service log, Schemathesis reports)
#   FUZZ_WORKERS    Schemathesis worker threads (default 1: with 2, CPython 3.11's ast module, which Hypothesis calls to
#                   describe a strategy, can fail with "AST constructor recursion depth mismatch" — a tool error, seen once in CI)
set -euo pipefail
cd "$(dirname "$0")/.."
SCHEMATHESIS_VERSION=4.32.5
venv=.tools/fuzz-venv
examples=${FUZZ_EXAMPLES:-120}
phases=${FUZZ_PHASES:-examples,coverage,fuzzing}
seed=${FUZZ_SEED:-$RANDOM$RANDOM}
users=${FUZZ_USERS:-caseworker-a admin}
workers=${FUZZ_WORKERS:-1}

if ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -qx "schemathesis, version $SCHEMATHESIS_VERSION"; then
  python=$(command -v python3 || command -v python || true)
  [ -n "$python" ] || { echo "fuzz: python3 is required to install schemathesis==$SCHEMATHESIS_VERSION from PyPI" >&2; exit 1; }
  echo "fuzz: installing schemathesis==$SCHEMATHESIS_VERSION into $venv"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi
if [ ! -f dist/tools/fuzz/database.js ] || [ -n "$(find src workflows activities procedures tools -newer dist/tools/fuzz/database.js -name '*.ts' -print -quit)" ]; then
  echo "fuzz: building"
  npm run --silent build >"${TMPDIR:-/tmp}/ldl-fuzz-build.log" 2>&1 || { cat "${TMPDIR:-/tmp}/ldl-fuzz-build.log" >&2; exit 1; }
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/ldl-fuzz-XXXXXX")
# Run as root, the embedded PostgreSQL runs as "postgres", which must be able to enter the (mode 700) temp folder.
chmod 711 "$work"
service_pid=''
database=''
cleanup() {
  local status=$?
  if [ -n "$service_pid" ] && kill -0 "$service_pid" 2>/dev/null; then
    kill -TERM "$service_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$service_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$service_pid" 2>/dev/null || true
  fi
  if [ -n "$database" ]; then node dist/tools/fuzz/database.js drop "$DATABASE_URL" "$database" || true; fi
  if [ "${FUZZ_KEEP:-}" = 1 ] || [ "$status" != 0 ]; then echo "fuzz: service log and reports kept in $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Ports below Linux's ephemeral range (32768+), so outgoing connections cannot hold them.
free_port() {
  "$venv/bin/python" - <<'PY'
import random, socket
while True:
    port = random.randrange(20000, 32000, 2)
    try:
        for p in (port, port + 1, port + 1000):
            with socket.socket() as s:
                s.bind(('127.0.0.1', p))
        print(port)
        break
    except OSError:
        pass
PY
}
api_port=$(free_port)
env_for_service=(DATA_DIR="$work/data" PORT="$api_port" TEMPORAL_PORT="$(free_port)" TEMPORAL_UI_PORT="$(free_port)" LOG_LEVEL=warn)
if [ -n "${DATABASE_URL:-}" ]; then
  database="ldl_fuzz_$(date +%s)_$$"
  env_for_service+=(DATABASE_URL="$(node dist/tools/fuzz/database.js create "$DATABASE_URL" "$database")")
else
  env_for_service+=(EMBEDDED_PG_PORT="$(free_port)")
fi
unset TEMPORAL_ADDRESS AUTH_JWKS_URL AUTH_ISSUER NOTIFY_WEBHOOK_URL
env "${env_for_service[@]}" node dist/src/launcher.js >"$work/service.log" 2>&1 &
service_pid=$!
base="http://127.0.0.1:$api_port"
echo "fuzz: service starting on $base (log: $work/service.log)"
for i in $(seq 1 240); do
  if curl -sf "$base/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 "$service_pid" 2>/dev/null; then echo "fuzz: the service exited while starting:" >&2; tail -n 30 "$work/service.log" >&2; exit 1; fi
  [ "$i" = 240 ] && { echo "fuzz: the service was not ready within 120 s" >&2; tail -n 30 "$work/service.log" >&2; exit 1; }
  sleep 0.5
done

# Real cases, so the case operations get past 404: objections received weeks ago are overdue at once (escalations,
# inbox items). Schemathesis draws the {id} of /cases/{id}... from them most of the time (tools/fuzz/config.py).
cw_token=$(DATA_DIR="$work/data" node dist/src/cli/token.js caseworker-a)
: >"$work/case-ids.txt"
for i in $(seq 1 12); do
  received=$(date -u -d "-$((i * 5)) days" +%Y-%m-%dT02:00:00Z)
  curl -sf -X POST "$base/cases" -H "Authorization: Bearer $cw_token" -H 'content-type: application/json' \
    -d "{\"procedure\":\"objection-review\",\"grounds\":[\"error\"],\"reasons\":\"记录与原始文书不符\",\"idempotencyKey\":\"fuzz-$i\",\"receivedAt\":\"$received\",\"subject\":{\"name\":\"哈尔滨某某科技有限公司\",\"uscc\":\"91350100M000100Y43\"}}" \
    | "$venv/bin/python" -c 'import json, sys; print(json.load(sys.stdin)["id"])' >>"$work/case-ids.txt"
done
"$venv/bin/python" tools/fuzz/config.py "$work/case-ids.txt" >"$work/schemathesis.toml"

echo "fuzz: schemathesis $SCHEMATHESIS_VERSION, phases $phases, $examples examples per operation, seed $seed, as: $users"
failed=0
for user in $users; do
  token=$(DATA_DIR="$work/data" node dist/src/cli/token.js "$user")
  echo "== as $user"
  # Filings, calendar loads and directory changes are real writes: the state is thrown away afterwards.
  if ! "$venv/bin/schemathesis" --no-color --config-file "$work/schemathesis.toml" run "$base/docs/openapi.json" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance,response_headers_conformance \
    --phases "$phases" \
    --max-examples "$examples" --seed "$seed" --workers "$workers" --request-timeout 30 \
    --header "Authorization: Bearer $token" \
    --suppress-health-check all --generation-database none --generation-with-security-parameters false \
    --report junit,ndjson --report-dir "$work/report-$user" >"$work/schemathesis-$user.txt" 2>&1; then
    failed=1
  fi
  # The closing summary: operations, test cases, failures.
  sed -n '/^=* SUMMARY =*$/,$p' "$work/schemathesis-$user.txt"
  "$venv/bin/python" tools/fuzz/count.py "$work/report-$user" "$user" | tee -a "$work/counts.txt"
done
"$venv/bin/python" tools/fuzz/count.py --total "$work/counts.txt"
if [ "$failed" != 0 ]; then
  echo "fuzz: FAILED — the failures above are in $work/schemathesis-*.txt (repeat with FUZZ_SEED=$seed)" >&2
  exit 1
fi
echo "fuzz: passed"
