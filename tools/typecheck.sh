#!/usr/bin/env bash
# Type-checks every project's app, lib and spec tsconfig (the builds check only what they bundle).
set -euo pipefail
cd "$(dirname "$0")/.."
status=0
for config in apps/*/tsconfig.app.json apps/*/tsconfig.spec.json libs/*/tsconfig.lib.json libs/*/tsconfig.spec.json e2e/tsconfig*.json tools/tsconfig.json; do
  [ -f "$config" ] || continue
  if npx tsc -p "$config" --noEmit; then echo "typecheck ok: $config"; else echo "typecheck FAILED: $config"; status=1; fi
done
exit $status
