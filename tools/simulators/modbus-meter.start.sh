#!/usr/bin/env bash
# Run by tools/start.sh (from the repo root, node_modules/.bin on PATH): waits for the demo manifest
# written by seed-demo, then serves the demo's modbus_tcp gateways (GW-DEMO-MODBUS-01 on
# 127.0.0.1:$MODBUS_SIM_PORT, default 5020, as seed-demo wrote it) for the transport to poll.
# Env: DEMO_MANIFEST.
set -euo pipefail
cd "$(dirname "$0")/../.."
manifest=${DEMO_MANIFEST:-.gridwatch/demo.json}

for ((waited = 0; ; waited += 2)); do
  [ -f "$manifest" ] && break
  ((waited % 30 == 0)) && echo "modbus-meter: waiting for $manifest"
  sleep 2
done
exec node -r ./tools/register.js tools/simulators/modbus-meter.ts --manifest "$manifest"
