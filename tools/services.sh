#!/usr/bin/env bash
# Local backing services for GridWatch: PostgreSQL, Redis, Mosquitto (and Chromium for browser tests).
#
#   tools/services.sh [ensure]        make all three reachable on 127.0.0.1 (default)
#   tools/services.sh status          print reachable/unreachable for each (exit 1 if any is down)
#   tools/services.sh ensure-chromium install Debian's chromium if missing, print its path
#
# ensure, per service: already reachable -> nothing; Debian package installed -> start it;
# missing and root/passwordless sudo with apt-get -> install + start; else Docker -> compose.
# Safe to run repeatedly, from CI (no stdin) and concurrently (serialised by a lock file).
# Env: PGPORT (5432), REDIS_PORT (6379), MQTT_PORT (1883), SERVICES_WAIT_SECONDS (60),
#      DATABASE_URL (only its database name is used: created if missing), CHROMIUM_PATH.
# See docs/local-services.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST=127.0.0.1
PGPORT=${PGPORT:-5432}
REDIS_PORT=${REDIS_PORT:-6379}
MQTT_PORT=${MQTT_PORT:-1883}
WAIT_SECONDS=${SERVICES_WAIT_SECONDS:-60}
PG_ETC=/etc/postgresql
COMPOSE_FILE="$ROOT/docker/compose.services.yml"
MOSQUITTO_CONF=${MOSQUITTO_CONF:-/etc/mosquitto/mosquitto.conf}
SERVICES=(postgres redis mosquitto)
export DEBIAN_FRONTEND=noninteractive
# Daemons (mosquitto, pg_ctlcluster) live in sbin, which non-root PATHs often lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

declare -A PORT=([postgres]=$PGPORT [redis]=$REDIS_PORT [mosquitto]=$MQTT_PORT)
declare -A PKG=([postgres]=postgresql [redis]=redis-server [mosquitto]=mosquitto)
declare -A RESULT=()  # service -> what ensure did (printed at the end)
declare -A ERROR=()   # service -> why it could not be brought up
SUDO=()
APT_UPDATED=0

say() { printf '[services] %s\n' "$*"; }
warn() { printf '[services] WARNING: %s\n' "$*" >&2; }
err() { printf '[services] ERROR: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# --- reachability -----------------------------------------------------------------------------

port_open() { timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$HOST" "$1" 2>/dev/null; }

# True when the service answers its own protocol (not just "something holds the port").
is_up() {
  local port=${PORT[$1]}
  case $1 in
    postgres) if have pg_isready; then pg_isready -q -h "$HOST" -p "$port" -t 2; else port_open "$port"; fi ;;
    redis) if have redis-cli; then [[ $(timeout 3 redis-cli -h "$HOST" -p "$port" ping 2>/dev/null) == PONG ]]; else port_open "$port"; fi ;;
    mosquitto) port_open "$port" ;;
  esac
}

# --- privileges and packages ------------------------------------------------------------------

# Root, or passwordless sudo (never prompts: CI has no stdin).
can_root() {
  if ((EUID == 0)); then SUDO=(); return 0; fi
  if have sudo && sudo -n true 2>/dev/null; then SUDO=(sudo -n); return 0; fi
  return 1
}
as_root() { "${SUDO[@]}" "$@"; }

systemd_running() { [[ -d /run/systemd/system ]] && have systemctl; }

pg_latest_version() { ls "$PG_ETC" 2>/dev/null | sort -V | tail -1; }

installed() {
  case $1 in
    postgres) have pg_ctlcluster && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null ;;
    redis) have redis-server ;;
    mosquitto) have mosquitto ;;
  esac
}

apt_get() {
  # confold: keep existing config files; the lock timeout waits for another apt instead of failing.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "$@" </dev/null
}

apt_install() {
  if ((APT_UPDATED == 0)); then
    say "apt-get update"
    apt_get update || return 1
    APT_UPDATED=1
  fi
  say "apt-get install $*"
  apt_get install --no-install-recommends "$@"
}

can_apt() { can_root && have apt-get; }
docker_ok() { have docker && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; }

# --- PostgreSQL -------------------------------------------------------------------------------

# Passwordless TCP logins from this machine, matching the app default postgres://postgres@127.0.0.1.
pg_allow_trust() {
  local hba="$PG_ETC/$1/main/pg_hba.conf" tmp
  [[ -f $hba ]] || return 0
  grep -q '^# gridwatch-local-dev' "$hba" && return 0
  tmp=$(mktemp)
  # Prepended: pg_hba.conf is first-match, so these lines win over the packaged scram entries.
  {
    echo '# gridwatch-local-dev: passwordless local TCP for development (added by tools/services.sh)'
    echo 'host    all             all             127.0.0.1/32            trust'
    echo 'host    all             all             ::1/128                 trust'
    cat "$hba"
  } >"$tmp"
  as_root install -m 640 -o postgres -g postgres "$tmp" "$hba"
  rm -f "$tmp"
  say "postgres: pg_hba.conf now trusts 127.0.0.1 and ::1 (local development only)"
  # Reload only matters if it is already running; a fresh start reads the file anyway.
  as_root pg_ctlcluster --skip-systemctl-redirect "$1" main reload >/dev/null 2>&1 || true
}

start_postgres() {
  local ver line port state
  ver=$(pg_latest_version)
  if [[ -z $ver || ! -d /etc/postgresql/$ver/main ]]; then
    # Server binaries but no cluster (e.g. dropped): create the standard "main" one.
    ver=${ver:-$(ls /usr/lib/postgresql | sort -V | tail -1)}
    say "postgres: creating cluster $ver/main"
    as_root pg_createcluster "$ver" main --port "$PGPORT" >/dev/null || return 1
    pg_allow_trust "$ver"
  fi
  line=$(pg_lsclusters -h 2>/dev/null | awk -v v="$ver" '$1 == v && $2 == "main"')
  port=$(awk '{print $3}' <<<"$line")
  state=$(awk '{print $4}' <<<"$line")
  if [[ -n $port && $port != "$PGPORT" ]]; then
    ERROR[postgres]="cluster $ver/main is configured for port $port, not $PGPORT; run with PGPORT=$port (and set DATABASE_URL) or change 'port' in /etc/postgresql/$ver/main/postgresql.conf"
    return 1
  fi
  if [[ $state == online* ]]; then
    ERROR[postgres]="cluster $ver/main is running but 127.0.0.1:$PGPORT does not answer; check listen_addresses in /etc/postgresql/$ver/main/postgresql.conf"
    return 1
  fi
  if systemd_running && as_root systemctl start "postgresql@$ver-main" 2>/dev/null; then return 0; fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start
}

# Warn (not fail) if the default role cannot log in without a password; create the app database.
pg_after_up() {
  have psql || return 0
  local db=gridwatch
  # Use the database named in DATABASE_URL when it is a plain name.
  if [[ -n ${DATABASE_URL:-} ]]; then
    db=${DATABASE_URL##*/}
    db=${db%%\?*}
    [[ $db =~ ^[A-Za-z0-9_]+$ ]] || return 0
  fi
  local psql=(psql -h "$HOST" -p "$PGPORT" -U postgres -w -d postgres -qAtX)
  if ! "${psql[@]}" -c 'select 1' >/dev/null 2>&1; then
    warn "postgres: user 'postgres' cannot log in over TCP without a password (the app default)."
    warn "  Add 'host all all 127.0.0.1/32 trust' at the top of pg_hba.conf and reload,"
    warn "  or set DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:$PGPORT/gridwatch"
    return 0
  fi
  if [[ -z $("${psql[@]}" -c "select 1 from pg_database where datname = '$db'") ]]; then
    if "${psql[@]}" -c "create database \"$db\"" >/dev/null 2>&1; then say "postgres: created database $db"; fi
  fi
}

# --- Redis ------------------------------------------------------------------------------------

start_redis() {
  if systemd_running && [[ $REDIS_PORT == 6379 ]] && can_root && as_root systemctl start redis-server 2>/dev/null; then
    return 0
  fi
  # No persistence: this is a throwaway local instance (docker/compose.services.yml persists).
  redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --save "" --appendonly no >/dev/null
}

# --- Mosquitto --------------------------------------------------------------------------------

# The main config plus every *.conf in its include_dir(s), in mosquitto's load order.
mosquitto_conf_files() {
  local dir
  echo "$MOSQUITTO_CONF"
  while read -r dir; do
    [[ -d $dir ]] && find "$dir" -maxdepth 1 -name '*.conf' -type f | sort
  done < <(awk '$1 == "include_dir" {print $2}' "$MOSQUITTO_CONF")
}

# Is there a listener on MQTT_PORT that local clients can reach?
mosquitto_listens() {
  mosquitto_conf_files | xargs awk -v port="$MQTT_PORT" '
    $1 ~ /^#/ {next}
    $1 == "listener" && $2 == port && ($3 == "" || $3 == "127.0.0.1" || $3 == "localhost" || $3 == "0.0.0.0" || $3 == "::") {ok = 1}
    $1 == "port" && $2 == port {ok = 1}
    END {exit !ok}'
}

# Last allow_anonymous wins (per_listener_settings is not used by the packaged config).
mosquitto_anonymous() {
  mosquitto_conf_files | xargs awk '$1 == "allow_anonymous" {v = $2} END {exit v != "true"}'
}

# Make the packaged config accept anonymous clients on 127.0.0.1:MQTT_PORT (needs root).
mosquitto_configure() {
  [[ -f $MOSQUITTO_CONF ]] || return 1
  if mosquitto_listens && mosquitto_anonymous; then return 0; fi
  local dir
  dir=$(awk '$1 == "include_dir" {print $2; exit}' "$MOSQUITTO_CONF")
  if [[ -z $dir ]]; then
    dir=/etc/mosquitto/conf.d
    printf '\n# added by GridWatch tools/services.sh\ninclude_dir %s\n' "$dir" | as_root tee -a "$MOSQUITTO_CONF" >/dev/null
  fi
  as_root mkdir -p "$dir"
  {
    echo '# GridWatch local development broker (written by tools/services.sh)'
    # A second listener on a port the main config already binds would fail to start.
    mosquitto_listens || echo "listener $MQTT_PORT 127.0.0.1"
    echo 'allow_anonymous true'
  } | as_root tee "$dir/gridwatch.conf" >/dev/null
  say "mosquitto: wrote $dir/gridwatch.conf"
}

start_mosquitto() {
  if ! can_root; then
    # Unprivileged fallback: a private config (the packaged one writes to /run and /var/log).
    local conf="${XDG_RUNTIME_DIR:-/tmp}/gridwatch-mosquitto-$EUID.conf"
    printf 'listener %s 127.0.0.1\nallow_anonymous true\n' "$MQTT_PORT" >"$conf"
    mosquitto -d -c "$conf"
    return
  fi
  mosquitto_configure || return 1
  if systemd_running && as_root systemctl restart mosquitto 2>/dev/null; then return 0; fi
  # A broker already running from this config lacks our listener: restart it (listeners are not reloaded on HUP).
  local pidfile pid
  pidfile=$(mosquitto_conf_files | xargs awk '$1 == "pid_file" {print $2}' | tail -1)
  pid=$(cat "$pidfile" 2>/dev/null || true)
  if [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == mosquitto ]]; then
    as_root kill "$pid"
    for _ in {1..20}; do [[ -d /proc/$pid ]] || break; sleep 0.25; done
  fi
  # systemd's unit normally creates these; without systemd they may be missing (tmpfs /run).
  if id mosquitto >/dev/null 2>&1; then
    as_root install -d -m 740 -o mosquitto /run/mosquitto /var/log/mosquitto
  fi
  as_root mosquitto -d -c "$MOSQUITTO_CONF"
}

# --- ensure -----------------------------------------------------------------------------------

start_service() {
  case $1 in
    postgres) start_postgres ;;
    redis) start_redis ;;
    mosquitto) start_mosquitto ;;
  esac
}

# What to tell a human when a service stays down.
hint() {
  local compose="or start Docker and run: docker compose -f docker/compose.services.yml up -d $1"
  if ! installed "$1"; then
    echo "sudo apt-get install ${PKG[$1]} and re-run tools/services.sh, $compose"
    return
  fi
  case $1 in
    postgres) echo "check 'pg_lsclusters' and the log in /var/log/postgresql/" ;;
    redis) echo "run: redis-server --bind 127.0.0.1 --port $REDIS_PORT and read its output, $compose" ;;
    mosquitto) echo "see /var/log/mosquitto/mosquitto.log; try: sudo mosquitto -v -c $MOSQUITTO_CONF" ;;
  esac
}

# Poll until every listed service answers or WAIT_SECONDS pass; record failures in ERROR.
wait_for() {
  local deadline=$((SECONDS + WAIT_SECONDS)) svc pending=("$@") left
  while ((${#pending[@]})); do
    left=()
    for svc in "${pending[@]}"; do is_up "$svc" || left+=("$svc"); done
    pending=("${left[@]+"${left[@]}"}")
    ((${#pending[@]} == 0 || SECONDS >= deadline)) && break
    sleep 1
  done
  for svc in "${pending[@]+"${pending[@]}"}"; do
    ERROR[$svc]="${ERROR[$svc]:-not reachable on $HOST:${PORT[$svc]} after ${WAIT_SECONDS}s (${RESULT[$svc]:-not started})}"
  done
}

# Serialise concurrent runs (parallel CI jobs, two terminals) so only one installs/starts.
# The lock lives on fd 9: every command that may leave a daemon behind runs with 9>&-,
# otherwise the daemon would inherit the fd and hold the lock forever.
take_lock() {
  have flock || return 0
  local lock="${TMPDIR:-/tmp}/gridwatch-services.lock"
  { exec 9>>"$lock"; } 2>/dev/null || { exec 9<"$lock"; } 2>/dev/null || return 0
  chmod 666 "$lock" 2>/dev/null || true
  flock -n 9 && return 0
  say "waiting for another tools/services.sh run to finish ($lock)"
  flock -w 900 9 || warn "could not take $lock; continuing without it"
}

cmd_ensure() {
  local svc waiting=() missing=() ok=0
  take_lock
  can_root || true # sets SUDO when it helps; unprivileged starts are still attempted
  for svc in "${SERVICES[@]}"; do
    if is_up "$svc"; then
      RESULT[$svc]="already running"
    elif port_open "${PORT[$svc]}"; then
      # Something holds the port but does not answer yet (e.g. still starting): just wait.
      RESULT[$svc]="already running (was starting)"
      waiting+=("$svc")
    elif installed "$svc"; then
      if start_service "$svc" 9>&-; then RESULT[$svc]="started"; else ERROR[$svc]="${ERROR[$svc]:-failed to start the installed ${PKG[$svc]}}"; fi
      waiting+=("$svc")
    else
      missing+=("$svc")
    fi
  done

  if ((${#missing[@]})); then
    local pkgs=()
    for svc in "${missing[@]}"; do pkgs+=("${PKG[$svc]}"); done
    if can_apt && apt_install "${pkgs[@]}" 9>&-; then
      for svc in "${missing[@]}"; do
        # Package scripts may already have started it (systemd); otherwise start it ourselves.
        [[ $svc == postgres ]] && pg_allow_trust "$(pg_latest_version)"
        if is_up "$svc" || start_service "$svc" 9>&-; then RESULT[$svc]="installed (${PKG[$svc]})"; else ERROR[$svc]="${ERROR[$svc]:-installed ${PKG[$svc]} but could not start it}"; fi
        waiting+=("$svc")
      done
    elif docker_ok; then
      say "starting ${missing[*]} with docker compose ($COMPOSE_FILE)"
      if docker compose -f "$COMPOSE_FILE" up -d "${missing[@]}" 9>&-; then
        for svc in "${missing[@]}"; do RESULT[$svc]="via docker"; done
      else
        for svc in "${missing[@]}"; do ERROR[$svc]="docker compose up failed"; done
      fi
      waiting+=("${missing[@]}")
    else
      for svc in "${missing[@]}"; do
        ERROR[$svc]="${PKG[$svc]} is not installed, apt-get needs root or passwordless sudo, and no Docker engine is available"
      done
    fi
  fi

  ((${#waiting[@]})) && wait_for "${waiting[@]}"

  for svc in "${SERVICES[@]}"; do
    if [[ -n ${ERROR[$svc]:-} ]]; then
      err "$svc ($HOST:${PORT[$svc]}): ${ERROR[$svc]}"
      printf '[services]   fix: %s\n' "$(hint "$svc")" >&2
      ok=1
    else
      printf '[services] %-9s %s:%-5s %s\n' "$svc" "$HOST" "${PORT[$svc]}" "${RESULT[$svc]}"
    fi
  done
  [[ -z ${ERROR[postgres]:-} ]] && pg_after_up
  return "$ok"
}

cmd_status() {
  local svc rc=0
  for svc in "${SERVICES[@]}"; do
    if is_up "$svc"; then
      printf '%-9s %s:%-5s reachable\n' "$svc" "$HOST" "${PORT[$svc]}"
    else
      printf '%-9s %s:%-5s unreachable\n' "$svc" "$HOST" "${PORT[$svc]}"
      rc=1
    fi
  done
  return "$rc"
}

cmd_ensure_chromium() {
  local path=${CHROMIUM_PATH:-/usr/bin/chromium}
  if [[ ! -x $path ]]; then
    take_lock
    if [[ ! -x $path ]] && can_apt; then
      # Fonts are a recommends of chromium; without them pages render as boxes.
      apt_install chromium fonts-liberation 9>&- || { err "apt-get install chromium failed"; return 1; }
    fi
  fi
  if [[ ! -x $path ]]; then
    err "chromium not found at $path; install it: sudo apt-get install chromium (or set CHROMIUM_PATH)"
    return 1
  fi
  echo "$path"
}

main() {
  case ${1:-ensure} in
    ensure) cmd_ensure ;;
    status) cmd_status ;;
    ensure-chromium) cmd_ensure_chromium ;;
    -h | --help | help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *)
      err "unknown command '$1' (use ensure, status or ensure-chromium)"
      return 2
      ;;
  esac
}

# Run unless sourced (sourcing lets the helpers be tested on their own).
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
