#!/usr/bin/env bash
# Makes node_modules complete for the project's Node 24, whatever Node and npm the machine has.
#
# 1. The project's Node (the `node` devDependency's version in package.json) and a pinned npm are
#    fetched once from the npm registry (`npm pack node-linux-<arch>` and `npm pack npm`, or curl /
#    wget when the machine has no npm) into .gridwatch/toolchain/; every install runs under them
#    (the machine's npm 9 on Node 18 silently skips optional native packages whose `engines`
#    exclude Node 18, e.g. @rolldown/binding-linux-x64-gnu).
# 2. node_modules is reinstalled (`npm install`, locked versions) unless its marker
#    (node_modules/.gridwatch-deps: lockfile and package.json hashes, Node and npm versions) matches,
#    node_modules/.bin/node is that Node, and every optional package the lockfile lists for this
#    platform is present; so an incomplete install from an earlier run is repaired.
# 3. npm 11 runs no dependency install scripts without an allowScripts entry: the one this project
#    cannot do without, the `node` package's preinstall (it puts Node 24 at node_modules/.bin/node),
#    is done here instead; the others only speed things up (esbuild) or fall back to prebuilds.
#
# `npm install` rather than `npm ci`: registry mirrors may lack other platforms' optional binaries
# (e.g. darwin builds), which npm leaves out of the lockfile and `npm ci` then refuses.
# Prints the toolchain's bin directory last with --print-path. Env: GRIDWATCH_NPM_VERSION.
set -euo pipefail
cd "$(dirname "$0")/.."

NPM_VERSION=${GRIDWATCH_NPM_VERSION:-11.19.1}
TOOLCHAIN=.gridwatch/toolchain
MARKER=node_modules/.gridwatch-deps

say() { printf '[deps] %s\n' "$*"; }
die() {
  printf '[deps] ERROR: %s\n' "$*" >&2
  exit 1
}
have() { command -v "$1" >/dev/null 2>&1; }

# The version pinned by the `node` devDependency ("node": "24.21.0"); no Node needed to read it.
node_version() {
  sed -n '/"devDependencies"/,/}/s/^ *"node": *"\([0-9][0-9.]*\)".*/\1/p' package.json | head -1
}

node_arch() {
  case $(uname -m) in
    x86_64) echo x64 ;;
    aarch64 | arm64) echo arm64 ;;
    *) die "no Node build for $(uname -m) in the npm registry's node-linux-* packages" ;;
  esac
}

# fetch_package NAME VERSION DIR: unpack a registry package's tarball into DIR.
fetch_package() {
  local name=$1 version=$2 dir=$3 tmp tarball registry
  tmp=$(mktemp -d)
  if have npm; then
    # npm pack verifies the tarball's integrity against the registry and fills the npm cache.
    (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null) || {
      rm -rf "$tmp"
      die "npm pack $name@$version failed (is https://registry.npmjs.org reachable?)"
    }
    tarball=$(ls "$tmp"/*.tgz)
  else
    registry=https://registry.npmjs.org
    tarball="$tmp/package.tgz"
    if have curl; then
      curl -fsSL "$registry/$name/-/${name##*/}-$version.tgz" -o "$tarball"
    elif have wget; then
      wget -q "$registry/$name/-/${name##*/}-$version.tgz" -O "$tarball"
    else
      die "no npm, curl or wget to download $name@$version: install one (sudo apt-get install npm)"
    fi || die "downloading $name@$version from $registry failed"
  fi
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  tar -xzf "$tarball" -C "$dir.tmp" --strip-components=1
  rm -rf "$tmp" "$dir"
  mv "$dir.tmp" "$dir"
}

# .gridwatch/toolchain/bin/{node,npm,npx}: the project's Node and the pinned npm.
ensure_toolchain() {
  local version=$1 arch node_dir npm_dir bin=$TOOLCHAIN/bin
  arch=$(node_arch)
  node_dir=$TOOLCHAIN/node-v$version-linux-$arch
  npm_dir=$TOOLCHAIN/npm-$NPM_VERSION
  if [[ $("$node_dir/bin/node" --version 2>/dev/null) != "v$version" ]]; then
    if [[ $(node_modules/node/bin/node --version 2>/dev/null) == "v$version" ]]; then
      # Already installed by the node package: no download.
      mkdir -p "$node_dir/bin"
      cp node_modules/node/bin/node "$node_dir/bin/node"
    else
      say "fetching Node $version (node-linux-$arch from the npm registry)"
      fetch_package "node-linux-$arch" "$version" "$node_dir"
    fi
  fi
  if [[ ! -f $npm_dir/bin/npm-cli.js ]]; then
    say "fetching npm $NPM_VERSION (from the npm registry)"
    fetch_package npm "$NPM_VERSION" "$npm_dir"
  fi
  mkdir -p "$bin"
  ln -sfn "../node-v$version-linux-$arch/bin/node" "$bin/node"
  printf '#!/bin/sh\nexec "$(dirname "$0")/node" "$(dirname "$0")/../npm-%s/bin/npm-cli.js" "$@"\n' "$NPM_VERSION" >"$bin/npm"
  printf '#!/bin/sh\nexec "$(dirname "$0")/node" "$(dirname "$0")/../npm-%s/bin/npx-cli.js" "$@"\n' "$NPM_VERSION" >"$bin/npx"
  chmod 755 "$bin/npm" "$bin/npx"
  [[ $("$bin/node" --version) == "v$version" ]] || die "$bin/node is not Node $version"
}

expected_marker() {
  printf 'lock=%s\npackage=%s\nnode=v%s\nnpm=%s\nplatform=%s\n' \
    "$(sha256sum package-lock.json | cut -d' ' -f1)" "$(sha256sum package.json | cut -d' ' -f1)" \
    "$1" "$NPM_VERSION" "$(uname -s)-$(uname -m)"
}

# Every optional package the lockfile lists for this os/cpu/libc is installed (what npm skips
# under an unsupported Node, and what "Cannot find native binding" errors come from).
missing_platform_packages() {
  "$TOOLCHAIN/bin/node" - <<'JS'
const { existsSync } = require('node:fs');
const { packages } = require(process.cwd() + '/package-lock.json');
const libc = process.report.getReport().header.glibcVersionRuntime ? 'glibc' : 'musl';
const fits = (field, value, list = [].concat(field ?? [])) =>
  list.length === 0 || list.some((entry) => entry === value) || (list.every((entry) => entry.startsWith('!')) && !list.includes(`!${value}`));
for (const [path, entry] of Object.entries(packages)) {
  if (!path || !(entry.optional || entry.devOptional) || !(entry.os || entry.cpu || entry.libc)) continue;
  if (!fits(entry.os, process.platform) || !fits(entry.cpu, process.arch) || !fits(entry.libc, libc)) continue;
  // Nested under a package that is itself absent (another platform's): not expected here.
  const nested = path.lastIndexOf('/node_modules/');
  if (nested > 0 && !existsSync(path.slice(0, nested))) continue;
  if (!existsSync(`${path}/package.json`)) console.log(path.replace(/^.*node_modules\//, ''));
}
JS
}

# What the `node` package's preinstall does: node_modules/node/bin/node is the project's Node.
install_node_binary() {
  local version=$1
  [[ $(node_modules/.bin/node --version 2>/dev/null) == "v$version" ]] && return 0
  [[ -d node_modules/node ]] || die "node_modules/node is missing after npm install"
  say "putting Node $version at node_modules/node/bin/node (its install script did not run)"
  mkdir -p node_modules/node/bin node_modules/.bin
  cp -f "$TOOLCHAIN/bin/node" node_modules/node/bin/node.tmp
  mv -f node_modules/node/bin/node.tmp node_modules/node/bin/node
  ln -sfn ../node/bin/node node_modules/.bin/node
}

# Why node_modules needs an install, or nothing when it is complete.
stale_reason() {
  local version=$1 missing
  [[ -d node_modules ]] || { echo "no node_modules"; return; }
  [[ -f $MARKER ]] || { echo "node_modules was not installed by this script under Node $version"; return; }
  [[ $(cat "$MARKER") == "$(expected_marker "$version")" ]] || { echo "package-lock.json, package.json or the toolchain changed since the last install"; return; }
  [[ $(node_modules/.bin/node --version 2>/dev/null) == "v$version" ]] || { echo "node_modules/.bin/node is not Node $version"; return; }
  missing=$(missing_platform_packages)
  [[ -z $missing ]] || echo "platform packages missing: $(echo $missing)"
}

main() {
  local version reason missing
  version=$(node_version)
  [[ -n $version ]] || die "no \"node\" devDependency version in package.json"
  mkdir -p .gridwatch
  chmod 700 .gridwatch
  # One install at a time (npm start and npm test in two terminals).
  if have flock; then
    exec 8>.gridwatch/deps.lock
    flock -w 1800 8 || die "another tools/ensure-deps.sh holds .gridwatch/deps.lock"
  fi
  ensure_toolchain "$version"
  reason=$(stale_reason "$version")
  if [[ -n $reason && -L node_modules && ${GRIDWATCH_DEPS_FORCE:-0} != 1 ]]; then
    # Shared with another checkout (a worktree): installing here would change it under the others.
    say "WARNING: node_modules is a symlink to $(readlink -f node_modules); not reinstalling it ($reason)."
    say "  Install in the checkout that owns it, or rerun with GRIDWATCH_DEPS_FORCE=1."
    reason=""
  fi
  if [[ -n $reason ]]; then
    say "installing dependencies under Node $version and npm $NPM_VERSION ($reason)"
    rm -f "$MARKER" node_modules/.package-lock.json
    PATH="$PWD/$TOOLCHAIN/bin:$PATH" npm install --no-audit --no-fund ||
      die "npm install failed (see above); rerun tools/ensure-deps.sh once the cause is fixed"
    install_node_binary "$version"
    missing=$(missing_platform_packages)
    [[ -z $missing ]] || die "still missing after npm install: $(echo $missing); remove node_modules and rerun"
    "$TOOLCHAIN/bin/node" -e 'require("esbuild").transformSync("let a = 1")' ||
      die "esbuild does not run under Node $version"
    expected_marker "$version" >"$MARKER"
    say "dependencies complete (marker $MARKER)"
  fi
  if [[ ${1:-} == --print-path ]]; then echo "$PWD/$TOOLCHAIN/bin"; fi
}

main "$@"
