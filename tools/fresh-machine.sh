#!/usr/bin/env bash
# Fresh-machine check: the README's `npm start`, as a new user runs it, on a fresh Debian 12.
#
#   tools/fresh-machine.sh            run the check (root, or passwordless sudo)
#
# A Debian 12 root filesystem (debootstrap, with only Debian's nodejs and npm added; cached as a
# tarball) is unpacked into a temporary directory; a clone of this checkout's commit goes into the
# home of a non-root user with passwordless sudo. With the network: `tools/services.sh install`
# (apt-get inside the root) and `tools/ensure-deps.sh` (Node 24 and the locked dependencies from
# the npm registry). Then, in a private network namespace (loopback only, so nothing leans on the
# host's services), `npm start` on spare ports; the check waits for the API's health, logs in as
# the demo owner, waits for readings from the HTTP, MQTT and Modbus gateways, sends SIGTERM to the
# start process, runs `tools/services.sh stop` and checks nothing is left running. It prints a
# stage / seconds / result table and exits non-zero naming the failed stage. Everything is
# unmounted and killed on exit, failure included.
#
# Exit codes: 0 passed, 1 a stage failed, 77 cannot run on this machine (no root and no sudo, no
# debootstrap and no apt-get, no unshare): tools/test.sh prints why and goes on.
#
# Env: FRESH_MACHINE_CACHE     cache dir (/var/cache/gridwatch-fresh; the check runs as root)
#      FRESH_MACHINE_BREAK     `services`: the services install asks for a package that does not exist
#      FRESH_MACHINE_LOGS      where the stage logs go (.gridwatch/fresh-machine)
#      FRESH_MACHINE_MIRROR    Debian mirror (http://deb.debian.org/debian)
#      FRESH_MACHINE_START_TIMEOUT  seconds `npm start` may take to a healthy API (1500)
#      FRESH_MACHINE_KEEP=1    keep the temporary root (still unmounted, processes killed)
#      FRESH_MACHINE_TMPFS=0   keep the temporary root on disk (default: a tmpfs when 10 GB are free)
# See docs/local-services.md.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if ((EUID != 0)); then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    exec sudo -n --preserve-env=FRESH_MACHINE_CACHE,FRESH_MACHINE_BREAK,FRESH_MACHINE_LOGS,FRESH_MACHINE_MIRROR,FRESH_MACHINE_START_TIMEOUT,FRESH_MACHINE_KEEP,FRESH_MACHINE_TMPFS \
      bash "${BASH_SOURCE[0]}" "$@"
  fi
  echo "[fresh-machine] SKIPPED: needs root or passwordless sudo (debootstrap, chroot, mount, unshare)" >&2
  exit 77
fi

SUITE=bookworm
MIRROR=${FRESH_MACHINE_MIRROR:-http://deb.debian.org/debian}
# Bump when the root filesystem recipe below changes: the cached tarball is rebuilt.
RECIPE=1
CACHE=${FRESH_MACHINE_CACHE:-/var/cache/gridwatch-fresh}
# zstd unpacks several times faster than gzip; either works.
if command -v zstd >/dev/null 2>&1; then
  ROOTFS_TAR="$CACHE/debian-$SUITE-nodejs-npm-r$RECIPE.tar.zst"
  TAR_CODEC=--zstd
else
  ROOTFS_TAR="$CACHE/debian-$SUITE-nodejs-npm-r$RECIPE.tar.gz"
  TAR_CODEC=--gzip
fi
LOGS=${FRESH_MACHINE_LOGS:-$REPO/.gridwatch/fresh-machine}
START_TIMEOUT=${FRESH_MACHINE_START_TIMEOUT:-1500}
USER_NAME=dev
HOME_IN=/home/$USER_NAME
APP_IN=$HOME_IN/gridwatch
API_PORT=13000
# Spare ports: none is a default, so a hard-coded port anywhere shows up as a failure.
PORTS_ENV=(PORT=$API_PORT TRANSPORT_PORT=13100 PGPORT=15432 REDIS_PORT=16379 MQTT_PORT=11883 MODBUS_SIM_PORT=15020)
DEMO_PASSWORD=$(head -c 12 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '=')

# Set by main and inherited by each stage's bash.
WORK=${FRESH_MACHINE_WORK:-}
ROOT=${WORK:+$WORK/root}
NETNS=${WORK:+$WORK/netns}
STAGES=()
T0=$SECONDS

say() { printf '[fresh-machine] %s\n' "$*"; }

# --- cleanup: kill every process inside the root, unmount everything, remove the root ---------

processes_in_root() {
  local link pid
  for link in /proc/[0-9]*/root; do
    pid=${link#/proc/}
    pid=${pid%/root}
    [[ $(readlink "$link" 2>/dev/null) == "$ROOT" ]] && echo "$pid"
  done
  return 0
}

kill_root_processes() {
  local pids signal
  [[ -n $ROOT ]] || return 0
  for signal in TERM TERM KILL KILL; do
    pids=$(processes_in_root)
    [[ -z $pids ]] && return 0
    # shellcheck disable=SC2086 # one pid per word
    kill -s "$signal" $pids 2>/dev/null || true
    sleep 2
  done
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e
  if [[ -n $ROOT && -d $ROOT ]]; then
    kill_root_processes
    [[ -e $NETNS ]] && umount "$NETNS" 2>/dev/null
    # Deepest mount points first.
    findmnt -rn -o TARGET | grep -F "$ROOT" | sort -r | while read -r target; do
      umount "$target" 2>/dev/null || umount -l "$target" 2>/dev/null || true
    done
    if findmnt -rn -o TARGET | grep -qF "$ROOT"; then
      say "WARNING: mounts left under $ROOT; not removing it"
    elif [[ ${FRESH_MACHINE_KEEP:-0} == 1 ]]; then
      say "kept $WORK"
    elif mountpoint -q "$WORK"; then
      # A tmpfs: unmounting is the removal (rm -rf of ~2 GB of small files takes minutes).
      umount "$WORK" || umount -l "$WORK"
      rmdir "$WORK"
    else
      rm -rf --one-file-system "$WORK"
    fi
  fi
  exit "$rc"
}
# --- stages -------------------------------------------------------------------------------------

table() {
  local row
  printf '\n%-18s %8s  %s\n' stage seconds result
  for row in "${STAGES[@]}"; do
    # shellcheck disable=SC2086 # name seconds result...
    printf '%-18s %8s  %s\n' $row
  done
  printf '%-18s %8s\n' total $((SECONDS - T0))
}

# stage NAME TIMEOUT COMMAND...: run it with its output in $LOGS/NAME.log; stop at the first failure.
stage() {
  local name=$1 limit=$2 started=$SECONDS rc=0
  shift 2
  say "stage $name (log: $LOGS/$name.log)"
  # A fresh bash runs the stage's function, so `timeout` can bound it (and kill its process group).
  timeout -k 10 "$limit" bash "${BASH_SOURCE[0]}" __stage "$@" </dev/null >"$LOGS/$name.log" 2>&1 || rc=$?
  if ((rc == 0)); then
    STAGES+=("$name $((SECONDS - started)) ok")
    return 0
  fi
  if [[ $name == preflight && $rc == 77 ]]; then
    say "SKIPPED: this machine cannot run the check: $(tail -n 1 "$LOGS/$name.log")" >&2
    exit 77
  fi
  local why="exit $rc"
  ((rc == 124)) && why="timed out after ${limit}s"
  STAGES+=("$name $((SECONDS - started)) FAILED ($why)")
  echo "----- last lines of $LOGS/$name.log -----" >&2
  tail -n 40 "$LOGS/$name.log" >&2
  table
  say "FAILED at stage: $name ($why)" >&2
  exit 1
}

# Node's extra CAs when the host uses them (see carry_host_trust); the same path inside the root.
EXTRA_ENV=()
compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null &&
  EXTRA_ENV=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)

# Run a command inside the root as the non-root user, with a login-like environment.
as_user() {
  chroot --userspec="$USER_NAME:$USER_NAME" --groups="$USER_NAME,sudo" "$ROOT" \
    env -i HOME="$HOME_IN" USER="$USER_NAME" LOGNAME="$USER_NAME" SHELL=/bin/bash LANG=C.UTF-8 \
    PATH=/usr/local/bin:/usr/bin:/bin "${EXTRA_ENV[@]}" "$@"
}

in_netns() { nsenter --net="$NETNS" "$@"; }

# Exit 77 (skip, with the reason as the last line) only where the check is impossible.
preflight() {
  local missing=() tool
  for tool in chroot unshare nsenter mount mountpoint findmnt tar git timeout ip; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    echo "missing tools: ${missing[*]} (apt-get install util-linux mount iproute2 git coreutils)"
    return 1
  fi
  if ! command -v debootstrap >/dev/null 2>&1 && [[ ! -f $ROOTFS_TAR ]]; then
    if ! command -v apt-get >/dev/null 2>&1; then
      echo "no debootstrap and no apt-get to install it"
      return 77
    fi
    apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends debootstrap </dev/null ||
      { apt-get -q update && apt-get -q -y -o DPkg::Lock::Timeout=300 install --no-install-recommends debootstrap </dev/null; } ||
      { echo "debootstrap is missing and apt-get could not install it"; return 77; }
  fi
  if ! unshare -n true; then
    echo "unshare -n (a private network namespace) is not permitted here (a container without CAP_SYS_ADMIN?)"
    return 77
  fi
  git -C "$REPO" rev-parse HEAD
}

# Debian 12 minbase + what a fresh install has for a user (sudo, git, certificates), then Debian's
# own nodejs and npm via apt inside the root. Built once, then unpacked from the cache.
build_rootfs_tarball() {
  local build="$CACHE/build.$$"
  rm -rf "$build"
  mkdir -p "$build"
  debootstrap --variant=minbase --include=ca-certificates,sudo,git,locales \
    "$SUITE" "$build" "$MIRROR"
  cat >"$build/etc/apt/sources.list" <<EOF
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
EOF
  cp /etc/resolv.conf "$build/etc/resolv.conf"
  mount -t proc proc "$build/proc"
  local rc=0
  chroot "$build" env DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    sh -c 'apt-get -q update && apt-get -q -y install nodejs npm && apt-get clean' || rc=$?
  umount "$build/proc"
  ((rc == 0)) || return "$rc"
  tar -C "$build" "$TAR_CODEC" -cf "$ROOTFS_TAR.tmp" .
  mv "$ROOTFS_TAR.tmp" "$ROOTFS_TAR"
  rm -rf --one-file-system "$build"
}

# The host's own network needs, nothing else: its local CA certificates (a TLS-inspecting proxy on
# the way to the npm registry), and with them npm's cafile and Node's NODE_EXTRA_CA_CERTS.
carry_host_trust() {
  compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null || return 0
  cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
  chroot "$ROOT" update-ca-certificates >/dev/null
  echo "carried over the host's CA certificates: $(cd /usr/local/share/ca-certificates && echo *.crt)"
}

rootfs() {
  mkdir -p "$CACHE"
  if [[ -f $ROOTFS_TAR ]]; then
    echo "using cached $ROOTFS_TAR"
  else
    echo "building $ROOTFS_TAR (debootstrap $SUITE)"
    build_rootfs_tarball
  fi
  tar -C "$ROOT" "$TAR_CODEC" -xf "$ROOTFS_TAR"
  # In a chroot nothing must start daemons on the host's network while packages install
  # (no systemd here; invoke-rc.d would): services start later, inside the network namespace.
  printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
  chmod 755 "$ROOT/usr/sbin/policy-rc.d"
  cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
  printf '127.0.0.1 localhost %s\n::1 localhost\n' "$(hostname)" >"$ROOT/etc/hosts"
  carry_host_trust
  mount -t proc proc "$ROOT/proc"
  mount -t sysfs -o ro sysfs "$ROOT/sys"
  mount --bind /dev "$ROOT/dev"
  mount -t devpts -o newinstance,ptmxmode=0666 devpts "$ROOT/dev/pts"
  mount -t tmpfs -o mode=1777 tmpfs "$ROOT/dev/shm"
  mount -t tmpfs -o mode=755 tmpfs "$ROOT/run"
  chroot "$ROOT" node --version
  chroot "$ROOT" npm --version
}

clone() {
  chroot "$ROOT" useradd --create-home --shell /bin/bash --groups sudo "$USER_NAME"
  echo "$USER_NAME ALL=(ALL) NOPASSWD:ALL" >"$ROOT/etc/sudoers.d/$USER_NAME"
  chmod 440 "$ROOT/etc/sudoers.d/$USER_NAME"
  local commit
  commit=$(git -C "$REPO" rev-parse HEAD)
  git clone --quiet --no-hardlinks "$REPO" "$ROOT$APP_IN"
  git -C "$ROOT$APP_IN" checkout --quiet --detach "$commit"
  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    echo 'cafile=/etc/ssl/certs/ca-certificates.crt' >"$ROOT$HOME_IN/.npmrc"
  fi
  chroot "$ROOT" chown -R "$USER_NAME:$USER_NAME" "$APP_IN" "$HOME_IN/.npmrc" 2>/dev/null ||
    chroot "$ROOT" chown -R "$USER_NAME:$USER_NAME" "$APP_IN"
  # The npm cache survives between runs (only downloads; the install itself is always fresh).
  mkdir -p "$CACHE/npm" "$ROOT$HOME_IN/.npm"
  chown -R "$(chroot "$ROOT" id -u "$USER_NAME"):$(chroot "$ROOT" id -g "$USER_NAME")" "$CACHE/npm" "$ROOT$HOME_IN/.npm"
  mount --bind "$CACHE/npm" "$ROOT$HOME_IN/.npm"
  mkdir -p "$CACHE/apt-archives/partial"
  mount --bind "$CACHE/apt-archives" "$ROOT/var/cache/apt/archives"
  echo "cloned $commit into $APP_IN"
}

services_install() {
  local env=()
  if [[ ${FRESH_MACHINE_BREAK:-} == services ]]; then
    env=(POSTGRES_PACKAGE=gridwatch-no-such-package)
    echo "FRESH_MACHINE_BREAK=services: asking for a package that does not exist"
  fi
  as_user env "${env[@]}" bash -c "cd $APP_IN && bash tools/services.sh install"
}

deps() {
  as_user bash -c "cd $APP_IN && bash tools/ensure-deps.sh"
}

# What npm 9 under Node 18 leaves behind (a native binding skipped): the next run must repair it.
deps_repair() {
  local binding=node_modules/@rolldown/binding-linux-x64-gnu output
  output=$(as_user bash -c "cd $APP_IN && rm -rf $binding && bash tools/ensure-deps.sh 2>&1 && test -f $binding/package.json")
  echo "$output"
  grep -q 'platform packages missing: .*@rolldown/binding-linux-x64-gnu' <<<"$output"
}

# `npm start` in its own network namespace (loopback only). Its pid is the npm process itself.
start() {
  unshare -n -- bash -c 'ip link set lo up && exec chroot --userspec="$1:$1" --groups="$1,sudo" "$2" env -i \
    HOME="$3" USER="$1" LOGNAME="$1" SHELL=/bin/bash LANG=C.UTF-8 PATH=/usr/local/bin:/usr/bin:/bin \
    "${@:5}" bash -c "cd $4 && exec npm start"' \
    start "$USER_NAME" "$ROOT" "$HOME_IN" "$APP_IN" "${PORTS_ENV[@]}" "DEMO_PASSWORD=$DEMO_PASSWORD" >"$LOGS/npm-start.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$WORK/start.pid"
  touch "$NETNS"
  # Keep a handle on the namespace: the checks and `services.sh stop` run in it after npm exits.
  for _ in {1..50}; do
    [[ $(readlink "/proc/$pid/ns/net") != "$(readlink /proc/self/ns/net)" ]] && break
    sleep 0.2
  done
  mount --bind "/proc/$pid/ns/net" "$NETNS"
  echo "npm start is pid $pid (output: $LOGS/npm-start.log)"
}

# The project's Node 24 inside the root and the namespace, for HTTP checks (no curl needed).
probe() {
  in_netns chroot "$ROOT" "$APP_IN/node_modules/.bin/node" -e "$1" -- "${@:2}"
}

start_pid() { cat "$WORK/start.pid"; }

healthy() {
  local deadline=$((SECONDS + START_TIMEOUT)) START_PID
  START_PID=$(start_pid)
  while ((SECONDS < deadline)); do
    if ! kill -0 "$START_PID" 2>/dev/null; then
      echo "npm start exited before the API was healthy; last lines:"
      tail -n 30 "$LOGS/npm-start.log"
      return 1
    fi
    if grep -q 'GridWatch is running' "$LOGS/npm-start.log" &&
      probe 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' \
        "http://127.0.0.1:$API_PORT/api/v1/health"; then
      echo "API healthy on 127.0.0.1:$API_PORT"
      return 0
    fi
    sleep 5
  done
  echo "no healthy API after ${START_TIMEOUT}s"
  return 1
}

# Log in as the demo owner, then wait until meters of every gateway protocol have readings.
readings() {
  probe '
const [api, email, password, waitSeconds] = process.argv.slice(1);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function json(path, init) {
  const response = await fetch(api + path, init);
  if (!response.ok) throw new Error(`${init?.method ?? "GET"} ${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}
(async () => {
  const tokens = await json("/api/v1/auth/login", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password }),
  });
  console.log(`login ${email}: ok`);
  const auth = { headers: { authorization: `Bearer ${tokens.accessToken}` } };
  const gateways = (await json("/api/v1/gateways?limit=100", auth)).items;
  const meters = (await json("/api/v1/meters?limit=100", auth)).items;
  const protocolOf = new Map(gateways.map((gateway) => [gateway.id, gateway.protocol]));
  const wanted = new Set(gateways.map((gateway) => gateway.protocol));
  console.log(`${meters.length} meters behind gateways: ${[...wanted].join(", ")}`);
  const deadline = Date.now() + Number(waitSeconds) * 1000;
  for (;;) {
    const seen = new Set();
    for (const meter of meters) {
      const latest = await json(`/api/v1/meters/${meter.id}/readings/latest`, auth);
      if (latest.length > 0) seen.add(protocolOf.get(meter.gatewayId) ?? "direct");
    }
    const missing = [...wanted].filter((protocol) => !seen.has(protocol));
    if (missing.length === 0) return console.log(`readings stored from: ${[...seen].join(", ")}`);
    if (Date.now() > deadline) throw new Error(`no readings from ${missing.join(", ")} meters`);
    console.log(`waiting for readings from: ${missing.join(", ")}`);
    await sleep(5000);
  }
})().catch((error) => {
  console.error(error.message);
  process.exit(1);
});' http://127.0.0.1:$API_PORT "owner@demo.gridwatch.dev" "$DEMO_PASSWORD" 240
}

# Every process the launcher started (not the services) is gone.
launcher_processes() {
  local pid
  for pid in $(processes_in_root); do
    grep -qaE 'dist/apps/(api|transport)/main.js|tools/simulators/|tools/start.sh' "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
  done
  return 0
}

stop() {
  local START_PID pid
  START_PID=$(start_pid)
  echo "SIGTERM to npm start (pid $START_PID)"
  kill -TERM "$START_PID"
  local deadline=$((SECONDS + 60))
  while ((SECONDS < deadline)) && { kill -0 "$START_PID" 2>/dev/null || [[ -n $(launcher_processes) ]]; }; do sleep 1; done
  if [[ -n $(launcher_processes) ]]; then
    echo "still running 60s after SIGTERM:"
    for pid in $(launcher_processes); do tr '\0' ' ' <"/proc/$pid/cmdline"; echo; done
    return 1
  fi
  echo "npm start and everything it launched stopped; tail of its output:"
  tail -n 5 "$LOGS/npm-start.log"
  in_netns chroot --userspec="$USER_NAME:$USER_NAME" --groups="$USER_NAME,sudo" "$ROOT" env -i \
    HOME="$HOME_IN" PATH=/usr/local/bin:/usr/bin:/bin "${PORTS_ENV[@]}" bash -c "cd $APP_IN && bash tools/services.sh stop"
  deadline=$((SECONDS + 30))
  while ((SECONDS < deadline)) && [[ -n $(processes_in_root) ]]; do sleep 1; done
  if [[ -n $(processes_in_root) ]]; then
    echo "still running after tools/services.sh stop:"
    for pid in $(processes_in_root); do tr '\0' ' ' <"/proc/$pid/cmdline"; echo; done
    return 1
  fi
  echo "nothing left running in the fresh machine"
}

main() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir -p "$LOGS"
  WORK=$(mktemp -d /var/tmp/gridwatch-fresh.XXXXXX)
  # In memory when there is room (~3 GB used): faster, and removed at once.
  local available
  available=$(awk '$1 == "MemAvailable:" {print int($2 / 1048576)}' /proc/meminfo)
  if [[ ${FRESH_MACHINE_TMPFS:-1} == 1 ]] && ((available >= 10)); then
    mount -t tmpfs -o size=8g,mode=700 gridwatch-fresh "$WORK"
  fi
  ROOT="$WORK/root"
  NETNS="$WORK/netns"
  export FRESH_MACHINE_WORK=$WORK
  mkdir -p "$ROOT"
  say "temporary root $ROOT; cache $CACHE; ports ${PORTS_ENV[*]}"
  stage preflight 900 preflight
  stage rootfs 1800 rootfs
  stage clone 300 clone
  stage services-install 900 services_install
  stage deps 2400 deps
  stage deps-repair 900 deps_repair
  stage start 60 start
  stage healthy "$((START_TIMEOUT + 60))" healthy
  stage readings 300 readings
  stage stop 180 stop
  table
  say "PASSED: npm start works on a fresh Debian 12 as a sudo user"
}

# `exit` inside the compound command: bash never reads past it (safe while the file is edited).
if [[ ${1:-} == __stage ]]; then
  "$2"
  exit
else
  main "$@"
  exit
fi
