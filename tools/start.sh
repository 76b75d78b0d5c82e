#!/usr/bin/env bash
# Sets up and runs the whole platform locally with demo data flowing:
# secrets -> services up -> install -> build -> migrate -> seed demo -> API + transport + simulators.
# Ctrl-C, or SIGINT / SIGTERM / SIGHUP to this script or to the `npm start` running it, stops every
# process it started; the local services keep running (`tools/services.sh stop` stops the ones
# tools/services.sh started). A simulator that fails is logged and the platform goes on; the API or
# the transport exiting stops everything.
# Env: PORT (3000), TRANSPORT_PORT (3100), PGPORT / REDIS_PORT / MQTT_PORT / MODBUS_SIM_PORT and
# the *_URL variables (tools/local-env.sh), DEMO_PASSWORD, JWT_SECRET and CREDENTIALS_ENCRYPTION_KEY
# (default: generated once into .gridwatch/secrets.env; the broker accounts MQTT_ADMIN_* and
# MQTT_USERNAME / MQTT_PASSWORD too, by tools/services.sh, which starts Mosquitto with them).
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false
# Nothing phones home: no Nx Cloud, no Angular CLI analytics, no Scarf install pings.
export NG_CLI_ANALYTICS=false SCARF_ANALYTICS=false
export SIGNUP_ENABLED=${SIGNUP_ENABLED:-true}
export DEMO_MANIFEST=${DEMO_MANIFEST:-.gridwatch/demo.json}
export PORT=${PORT:-3000} TRANSPORT_PORT=${TRANSPORT_PORT:-3100}
# shellcheck source=tools/local-env.sh
source tools/local-env.sh
# Alert e-mail goes to the local mail catcher (tools/mail-catcher) unless SMTP_URL says otherwise.
export SMTP_URL=${SMTP_URL:-smtp://127.0.0.1:$MAIL_CATCHER_SMTP_PORT}
export WEBHOOK_ALLOWED_NETWORKS=${WEBHOOK_ALLOWED_NETWORKS:-127.0.0.0/8}
LOGS=.gridwatch/logs
SECRETS=.gridwatch/secrets.env

step() { printf '\n==> %s\n' "$*"; }
say() { printf '[start] %s\n' "$*"; }

# The processes to watch besides our own signals: when `npm start` (npm 9 does not pass SIGINT or
# SIGTERM on to this script) or the shell between it and us goes away, stop too.
ancestors_to_watch() {
  [[ -n ${npm_lifecycle_event:-} ]] || return 0
  local pid=$PPID
  for _ in 1 2 3 4; do
    ((pid > 1)) || return 0
    echo "$pid"
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q npm && return 0
    pid=$(sed 's/.*) //' "/proc/$pid/stat" | cut -d' ' -f2)
  done
}
mapfile -t WATCHED < <(ancestors_to_watch)

# Secrets the API needs and has no default for: generated once, reused on every later start.
# Values already in the environment win.
load_secrets() {
  local line key
  (
    umask 077
    touch "$SECRETS"
  )
  chmod 600 "$SECRETS"
  if ! grep -q '^JWT_SECRET=' "$SECRETS"; then
    echo "JWT_SECRET=$(head -c 48 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')" >>"$SECRETS"
    say "generated JWT_SECRET into $SECRETS"
  fi
  if ! grep -q '^DEMO_PASSWORD=' "$SECRETS"; then
    echo "DEMO_PASSWORD=$(head -c 12 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')" >>"$SECRETS"
    say "generated DEMO_PASSWORD (the demo logins' password) into $SECRETS"
  fi
  if ! grep -q '^CREDENTIALS_ENCRYPTION_KEY=' "$SECRETS"; then
    echo "CREDENTIALS_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64 -w0)" >>"$SECRETS"
    say "generated CREDENTIALS_ENCRYPTION_KEY into $SECRETS"
  fi
  while IFS= read -r line; do
    key=${line%%=*}
    case $key in
      JWT_SECRET | CREDENTIALS_ENCRYPTION_KEY | DEMO_PASSWORD) [[ -n ${!key:-} ]] || export "$key=${line#*=}" ;;
    esac
  done <"$SECRETS"
  export JWT_SECRET CREDENTIALS_ENCRYPTION_KEY DEMO_PASSWORD
}

mkdir -p .gridwatch "$LOGS"
chmod 700 .gridwatch
load_secrets

stop() {
  trap - INT TERM HUP EXIT
  ((${#NAMES[@]})) || return 0
  printf '\nStopping GridWatch...\n'
  local pid
  for pid in "${!NAMES[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in {1..15}; do
    for pid in "${!NAMES[@]}"; do kill -0 "$pid" 2>/dev/null || unset 'NAMES[$pid]'; done
    ((${#NAMES[@]})) || break
    sleep 1
  done
  for pid in "${!NAMES[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  say "stopped; the local services keep running (tools/services.sh stop stops those it started)"
}
run() {
  local name=$1
  shift
  "$@" >"$LOGS/$name.log" 2>&1 &
  NAMES[$!]=$name
  echo "started $name (log: $LOGS/$name.log)"
}

healthy() {
  node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
    "http://127.0.0.1:$PORT/api/v1/health"
}

# One pass over the children: a simulator that exited is logged, the API or transport is fatal.
check_children() {
  local pid code name
  for pid in "${!NAMES[@]}"; do
    kill -0 "$pid" 2>/dev/null && continue
    code=0
    wait "$pid" || code=$?
    name=${NAMES[$pid]}
    unset 'NAMES[$pid]'
    case $name in
      api | transport)
        say "$name exited (code $code); stopping GridWatch. Why: $LOGS/$name.log"
        return 1
        ;;
      *) say "simulator $name exited (code $code); GridWatch keeps running without it. Why: $LOGS/$name.log" ;;
    esac
  done
}

watched_gone() {
  local pid
  for pid in "${WATCHED[@]+"${WATCHED[@]}"}"; do
    kill -0 "$pid" 2>/dev/null || return 0
  done
  return 1
}

declare -A NAMES=() # pid -> name of every process started and still running
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap 'stop; exit 129' HUP
trap stop EXIT

step "Local services"
bash tools/services.sh ensure

# The broker tools/services.sh runs is not open: the API provisions the transport's account and one
# per MQTT device with the admin account, all generated once into $SECRETS. A broker it did not
# start (already running on MQTT_PORT) keeps its own rules and gets no accounts from here.
if broker=$(bash tools/services.sh broker-auth); then
  while IFS= read -r line; do
    case ${line%%=*} in
      MQTT_ADMIN_USERNAME | MQTT_ADMIN_PASSWORD | MQTT_USERNAME | MQTT_PASSWORD) export "${line?}" ;;
    esac
  done <"$SECRETS"
  say "Mosquitto :$MQTT_PORT: dynamic security, anonymous access off (accounts in $SECRETS)"
else
  say "Mosquitto :$MQTT_PORT: ${broker#none: }"
fi

# Node 24 (from the node@24 devDependency) and a complete node_modules, whatever the machine's Node.
bash tools/ensure-deps.sh
export PATH="$PWD/node_modules/.bin:$PWD/.gridwatch/toolchain/bin:$PATH"

step "Building API, transport and web app"
nx run-many -t build -p api transport web --parallel=3

step "Migrating the database and seeding the demo organization"
node dist/apps/api/cli.js migrate
node dist/apps/api/cli.js seed-demo

step "Starting processes"
run mail-catcher node -r ./tools/register.js tools/mail-catcher/mail-catcher.ts
# The heap budget docker/Dockerfile ships (and the bench measures): RSS under 300 MiB per process,
# and a young generation large enough that scavenges do not dominate under load (RESULTS.md).
HEAP_BUDGET=${NODE_OPTIONS:---max-old-space-size=192 --max-semi-space-size=32}
NODE_OPTIONS=$HEAP_BUDGET run api node dist/apps/api/main.js
NODE_OPTIONS=$HEAP_BUDGET run transport node dist/apps/transport/main.js
for simulator in tools/simulators/*.start.sh; do
  [ -f "$simulator" ] && run "$(basename "$simulator" .start.sh)" bash "$simulator"
done

for _ in $(seq 1 90); do
  healthy && break
  check_children || exit 1
  sleep 1
done
healthy || {
  say "the API did not become healthy within 90 s; see $LOGS/api.log"
  exit 1
}

cat <<INFO

GridWatch is running.
  Web app:      http://localhost:$PORT/
  API docs:     http://localhost:$PORT/api/docs   (OpenAPI JSON: /api/docs-json)
  Transport:    http://localhost:$TRANSPORT_PORT/health
  Alert e-mail: http://127.0.0.1:$MAIL_CATCHER_HTTP_PORT/   (caught by the local mail catcher)
  Logins:       owner@demo.gridwatch.dev, operator@..., viewer@..., support@...
  Password:     $DEMO_PASSWORD (kept in $SECRETS)
  Logs:         $LOGS/
  Services:     PostgreSQL 127.0.0.1:$PGPORT, Redis :$REDIS_PORT, Mosquitto :$MQTT_PORT (left running;
                tools/services.sh stop stops those it started)
Press Ctrl-C to stop.
INFO

while check_children; do
  if watched_gone; then
    say "npm start went away; stopping"
    exit 143
  fi
  # In the background, so a signal runs its trap at once instead of after the sleep.
  sleep 1 &
  wait $! || true
done
exit 1
