#!/usr/bin/env bash
# Run by tools/start.sh (from the repo root, node_modules/.bin on PATH): waits for the demo manifest
# and a healthy API, then simulates the demo's http gateway. Env: PORT (3000), DEMO_MANIFEST.
set -euo pipefail
cd "$(dirname "$0")/../.."
manifest=${DEMO_MANIFEST:-.gridwatch/demo.json}
api=http://127.0.0.1:${PORT:-3000}

healthy() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$api/api/v1/health"; }

for ((waited = 0; ; waited += 2)); do
  [ -f "$manifest" ] && healthy && break
  ((waited % 30 == 0)) && echo "http-gateway: waiting for $manifest and $api/api/v1/health"
  sleep 2
done
exec node -r ./tools/register.js tools/simulators/http-gateway.ts --api "$api" --manifest "$manifest"
