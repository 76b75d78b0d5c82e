#!/usr/bin/env bash
# The whole test suite, as CI runs it: services up, static checks, unit, integration, browser.
set -euo pipefail
cd "$(dirname "$0")/.."
export NX_NO_CLOUD=true NX_DAEMON=false NX_TUI=false NX_SKIP_NX_CACHE=true
# Nothing phones home: no Nx Cloud, no Angular CLI analytics, no Scarf install pings.
export NG_CLI_ANALYTICS=false SCARF_ANALYTICS=false

step() { printf '\n==> %s\n' "$*"; }

# PGPORT / REDIS_PORT / MQTT_PORT and the *_URL variables agree for services, apps and tests.
source tools/local-env.sh
bash tools/ensure-deps.sh
# Node 24 from the node@24 devDependency, whatever the machine's own Node is.
export PATH="$PWD/node_modules/.bin:$PATH"

step "Local services (PostgreSQL, Redis, Mosquitto, Chromium)"
# The suites publish and subscribe anonymously on the shared broker (MQTT_URL); the dynamic-security
# configuration is tested on private brokers they start. So a broker started here is an open one.
MQTT_AUTH=${MQTT_AUTH:-anonymous} bash tools/services.sh ensure
bash tools/services.sh ensure-chromium

step "Format, lint, typecheck"
npx prettier --check . --log-level warn
npx nx run-many -t lint --parallel=2
bash tools/typecheck.sh

step "Unit tests"
npx nx run-many -t test --parallel=2 --output-style=static
node -r ./tools/register.js --test tools/simulators/*.test.ts

step "Build"
npx nx run-many -t build -p api transport web --parallel=2

step "Integration tests (real PostgreSQL, Redis, Mosquitto, Modbus TCP)"
npx nx run-many -t integration --parallel=1 --output-style=static

if [ -f e2e/project.json ]; then
  step "Browser tests (real SPA in Chromium)"
  npx nx run e2e:e2e
fi

step "Fault injection (e2e/faults: restarts and kills under load; nothing acknowledged lost or doubled)"
node -r ./tools/register.js e2e/faults/run.ts

step "Local services script and the fresh-machine check (tools/fresh-machine.sh, docs/local-services.md)"
node -r ./tools/register.js --test tools/services.test.ts tools/docker-compose.test.ts
if [[ ${FRESH_MACHINE:-1} == 0 ]]; then
  echo "SKIPPED the fresh-machine check: FRESH_MACHINE=0 (CI runs it; run bash tools/fresh-machine.sh)"
else
  # First the deliberately broken run (fails fast at its services install), then the real one.
  node -r ./tools/register.js --test tools/fresh-machine.test.ts
  fresh=0
  bash tools/fresh-machine.sh || fresh=$?
  if ((fresh == 77)); then
    echo "SKIPPED the fresh-machine check: this machine cannot run it (reason above)"
  elif ((fresh != 0)); then
    exit "$fresh"
  fi
fi

printf '\nAll test stages passed.\n'
