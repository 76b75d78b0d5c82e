#!/usr/bin/env bash
# Installs the locked dependencies when node_modules is missing or older than the lockfile.
# `npm install` rather than `npm ci`: registry mirrors may lack other platforms' optional
# binaries (e.g. darwin builds), which npm leaves out of the lockfile and `npm ci` then refuses.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -x node_modules/.bin/node ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
echo "==> Installing dependencies (npm install, locked versions)"
npm install --no-audit --no-fund
