#!/usr/bin/env bash
# Run by tools/start.sh (from the repo root, node_modules/.bin on PATH): waits for the demo manifest
# and a healthy transport (connected and subscribed, so no message finds the broker without a
# subscriber), then simulates the demo's mqtt gateways. Env: TRANSPORT_PORT (3100), MQTT_URL,
# DEMO_MANIFEST.
set -euo pipefail
cd "$(dirname "$0")/../.."
manifest=${DEMO_MANIFEST:-.gridwatch/demo.json}
health=http://127.0.0.1:${TRANSPORT_PORT:-3100}/health

healthy() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$health"; }

for ((waited = 0; ; waited += 2)); do
  [ -f "$manifest" ] && healthy && break
  ((waited % 30 == 0)) && echo "mqtt-fleet: waiting for $manifest and $health"
  sleep 2
done
exec node -r ./tools/register.js tools/simulators/mqtt-fleet.ts --manifest "$manifest"
