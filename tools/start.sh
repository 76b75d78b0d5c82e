#!/usr/bin/env bash
# Sets up and runs the whole platform locally with demo data flowing:
# services up -> install -> build -> migrate -> seed demo -> API + transport + simulators.
# Ctrl-C stops everything it started. Env: PORT (3000), TRANSPORT_PORT (3100), DEMO_PASSWORD.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
# Nothing phones home: no Nx Cloud, no Angular CLI analytics, no Scarf install pings.
export NG_CLI_ANALYTICS=false SCARF_ANALYTICS=false
export SIGNUP_ENABLED=${SIGNUP_ENABLED:-true}
export DEMO_MANIFEST=${DEMO_MANIFEST:-.gridwatch/demo.json}
PORT=${PORT:-3000}
LOGS=.gridwatch/logs
mkdir -p "$LOGS"

step() { printf '\n==> %s\n' "$*"; }

step "Local services"
bash tools/services.sh ensure

bash tools/ensure-deps.sh
# Node 24 from the node@24 devDependency, whatever the machine's own Node is.
export PATH="$PWD/node_modules/.bin:$PATH"

step "Building API, transport and web app"
nx run-many -t build -p api transport web --parallel=3

step "Migrating the database and seeding the demo organization"
node dist/apps/api/cli.js migrate
node dist/apps/api/cli.js seed-demo

pids=()
stop() {
  trap - INT TERM EXIT
  printf '\nStopping GridWatch...\n'
  kill "${pids[@]}" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

run() {
  local name=$1
  shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  pids+=($!)
  echo "started $name (log: $LOGS/$name.log)"
}

step "Starting processes"
run api node dist/apps/api/main.js
run transport node dist/apps/transport/main.js
for simulator in tools/simulators/*.start.sh; do
  [ -f "$simulator" ] && run "$(basename "$simulator" .start.sh)" bash "$simulator"
done

for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/api/v1/health" >/dev/null || {
  echo "The API did not become healthy; see $LOGS/api.log"
  exit 1
}

cat <<INFO

GridWatch is running.
  Web app:      http://localhost:$PORT/
  API docs:     http://localhost:$PORT/api/docs   (OpenAPI JSON: /api/docs-json)
  Transport:    http://localhost:${TRANSPORT_PORT:-3100}/health
  Logins:       owner@demo.gridwatch.dev, operator@..., viewer@..., support@...
  Password:     ${DEMO_PASSWORD:-gridwatch-demo}
  Logs:         $LOGS/
Press Ctrl-C to stop.
INFO
wait -n "${pids[@]}"
echo "A process exited; see $LOGS/ for why."
