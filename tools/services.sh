#!/usr/bin/env bash
# Local backing services for GridWatch: PostgreSQL, Redis, Mosquitto (and Chromium for browser tests).
#
#   tools/services.sh [ensure]        make all three reachable on 127.0.0.1 (default)
#   tools/services.sh install         only install the missing Debian/Ubuntu packages (apt-get)
#   tools/services.sh stop            stop the services an earlier `ensure` started (recorded in
#                                     .gridwatch/services-started); leaves others alone
#   tools/services.sh status          print reachable/unreachable for each (exit 1 if any is down)
#   tools/services.sh ensure-chromium install Debian's chromium if missing, print its path
#   tools/services.sh broker-auth     exit 0 (print "dynsec") when the broker on MQTT_PORT is the
#                                     dynamic-security one it started (itself or with Docker,
#                                     docker/compose.services.yml): it wants the accounts in
#                                     .gridwatch/secrets.env (MQTT_ADMIN_*, MQTT_USERNAME/PASSWORD)
#
# ensure, per service: already reachable -> nothing; Debian package installed -> start it;
# missing and root/passwordless sudo with apt-get -> install + start; else Docker -> compose.
# PostgreSQL: the cluster on PGPORT is started, or one is created there (`<version>/gridwatch-PORT`)
# when no cluster uses that port; passwordless 127.0.0.1 logins are added to its pg_hba.conf on
# every run where they are missing. Every failure prints `[services] ERROR:` and the fix.
# Safe to run repeatedly, from CI (no stdin) and concurrently (serialised by a lock file).
# Mosquitto: started from a config of its own under .gridwatch/mosquitto-PORT/ (never the packaged
# one), not open: dynamic security, accounts generated once into .gridwatch/secrets.env (below).
# Env: PGPORT (5432), REDIS_PORT (6379), MQTT_PORT (1883) (or taken from DATABASE_URL, REDIS_URL,
#      MQTT_URL: tools/local-env.sh), SERVICES_WAIT_SECONDS (60), CHROMIUM_PATH,
#      MQTT_AUTH (dynsec; anonymous: an open broker), MOSQUITTO_DATA_DIR, SECRETS_FILE,
#      POSTGRES_PACKAGE / REDIS_PACKAGE / MOSQUITTO_PACKAGE (apt package names).
# See docs/local-services.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
HOST=127.0.0.1
# shellcheck source=tools/local-env.sh
source "$ROOT/tools/local-env.sh"
STARTED_FILE=${SERVICES_STARTED_FILE:-$ROOT/.gridwatch/services-started}
WAIT_SECONDS=${SERVICES_WAIT_SECONDS:-60}
# PG_CLUSTER_CONF_ROOT: postgresql-common's own override (the tests use a temporary one).
PG_ETC=${PG_CLUSTER_CONF_ROOT:-/etc/postgresql}
COMPOSE_FILE="$ROOT/docker/compose.services.yml"
MOSQUITTO_DATA_DIR=${MOSQUITTO_DATA_DIR:-$ROOT/.gridwatch/mosquitto-$MQTT_PORT}
MQTT_AUTH=${MQTT_AUTH:-dynsec}
SECRETS_FILE=${SECRETS_FILE:-$ROOT/.gridwatch/secrets.env}
SERVICES=(postgres redis mosquitto)
export DEBIAN_FRONTEND=noninteractive
# Ubuntu 24.04: needrestart would otherwise ask which services to restart after apt-get install.
export NEEDRESTART_MODE=a
# Daemons (mosquitto, pg_ctlcluster) live in sbin, which non-root PATHs often lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

declare -A PORT=([postgres]=$PGPORT [redis]=$REDIS_PORT [mosquitto]=$MQTT_PORT)
declare -A PKG=([postgres]=${POSTGRES_PACKAGE:-postgresql} [redis]=${REDIS_PACKAGE:-redis-server} [mosquitto]=${MOSQUITTO_PACKAGE:-mosquitto})
declare -A RESULT=()  # service -> what ensure did (printed at the end)
declare -A ERROR=()   # service -> why it could not be brought up
declare -A FIX=()     # service -> what to run about it (else hint's default)
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
# kill is a shell builtin; minimal systems have no /bin/kill for sudo to run.
root_kill() { as_root sh -c 'kill "$@"' sh "$@"; }

systemd_running() { [[ -d /run/systemd/system ]] && have systemctl; }

installed() {
  case $1 in
    postgres) have pg_ctlcluster && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null ;;
    redis) have redis-server ;;
    mosquitto) have mosquitto ;;
  esac
}

apt_get() {
  # confold: keep existing config files; the lock timeout waits for another apt instead of failing.
  as_root env DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a apt-get -q -y -o DPkg::Lock::Timeout=300 \
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

is_ubuntu() { grep -qs '^ID=ubuntu' /etc/os-release; }

# Remember what this script started, so `stop` stops exactly that (one line per service).
record_started() {
  mkdir -p "$(dirname "$STARTED_FILE")"
  grep -qsxF "$*" "$STARTED_FILE" || echo "$*" >>"$STARTED_FILE"
}
docker_ok() { have docker && docker info >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; }

# --- PostgreSQL -------------------------------------------------------------------------------

pg_newest_binaries() { ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -1; }

# "version name status" of the cluster configured for PGPORT (pg_lsclusters), if any.
pg_cluster_on_port() {
  have pg_lsclusters || return 0
  pg_lsclusters -h 2>/dev/null | awk -v port="$PGPORT" '$3 == port {print $1, $2, $4; exit}'
}

# Passwordless TCP logins from this machine, matching the app default postgres://postgres@127.0.0.1.
# pg_hba.conf is 0640 postgres: it is read and written as root (sudo -n), on every run it lacks them.
pg_allow_trust() {
  local ver=$1 name=$2 hba="$PG_ETC/$1/$2/pg_hba.conf" content tmp
  if ! content=$(as_root cat "$hba" 2>/dev/null); then
    ERROR[postgres]="cannot read $hba (it is readable by root and postgres only) to allow passwordless local logins"
    FIX[postgres]="rerun as root or with passwordless sudo, or add 'host all all 127.0.0.1/32 trust' at its top yourself (sudo -e $hba; sudo pg_ctlcluster $ver $name reload)"
    return 1
  fi
  grep -q '^# gridwatch-local-dev' <<<"$content" && return 0
  if ! can_root; then
    ERROR[postgres]="$hba lacks passwordless local logins and changing it needs root"
    FIX[postgres]="rerun with passwordless sudo, or add 'host all all 127.0.0.1/32 trust' at the top of $hba and run: sudo pg_ctlcluster $ver $name reload"
    return 1
  fi
  tmp=$(mktemp)
  # Prepended: pg_hba.conf is first-match, so these lines win over the packaged scram entries.
  {
    echo '# gridwatch-local-dev: passwordless local TCP for development (added by tools/services.sh)'
    echo 'host    all             all             127.0.0.1/32            trust'
    echo 'host    all             all             ::1/128                 trust'
    printf '%s\n' "$content"
  } >"$tmp"
  as_root install -m 640 -o postgres -g postgres "$tmp" "$hba"
  rm -f "$tmp"
  say "postgres: $hba now trusts 127.0.0.1 and ::1 (local development only)"
  # Reload only matters if it is already running; a fresh start reads the file anyway.
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload >/dev/null 2>&1 || true
}

# Start the cluster configured for PGPORT; create one there when no cluster uses that port
# (Debian's package makes "main" on 5432, or 5433 when 5432 is taken, before we can choose).
start_postgres() {
  local ver name state
  read -r ver name state <<<"$(pg_cluster_on_port)"
  if [[ -z ${ver:-} ]]; then
    ver=$(pg_newest_binaries)
    name=gridwatch-$PGPORT
    if ! can_root; then
      ERROR[postgres]="no PostgreSQL cluster is configured for port $PGPORT (see pg_lsclusters) and creating one needs root"
      FIX[postgres]="rerun with passwordless sudo, or use an existing cluster's port: PGPORT=<port from pg_lsclusters>"
      return 1
    fi
    say "postgres: no cluster on port $PGPORT; creating $ver/$name"
    if ! as_root pg_createcluster "$ver" "$name" --port "$PGPORT" >/dev/null; then
      ERROR[postgres]="pg_createcluster $ver $name --port $PGPORT failed"
      FIX[postgres]="run it yourself to see why: sudo pg_createcluster $ver $name --port $PGPORT"
      return 1
    fi
    state=down
  fi
  pg_allow_trust "$ver" "$name" || return 1
  if [[ $state == online* ]]; then
    ERROR[postgres]="cluster $ver/$name is running on port $PGPORT but 127.0.0.1:$PGPORT does not answer"
    FIX[postgres]="check listen_addresses in $PG_ETC/$ver/$name/postgresql.conf, then: sudo pg_ctlcluster $ver $name restart"
    return 1
  fi
  if systemd_running && as_root systemctl start "postgresql@$ver-$name" 2>/dev/null; then
    record_started postgres systemd "$ver" "$name"
    return 0
  fi
  if ! as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" start; then
    ERROR[postgres]="pg_ctlcluster $ver $name start failed"
    FIX[postgres]="read /var/log/postgresql/postgresql-$ver-$name.log; is port $PGPORT taken by something else?"
    return 1
  fi
  record_started postgres pg_ctlcluster "$ver" "$name"
}

# The role in DATABASE_URL must log in without a prompt; then the app database is created.
# A local cluster that refuses gets the trust lines (again) and a reload: reruns converge.
pg_after_up() {
  if ! have psql; then
    say "postgres: psql not found; not checking logins or creating the database"
    return 0
  fi
  local db url admin line ver name
  url=${DATABASE_URL%%\?*}
  db=${url##*/}
  admin="${url%/*}/postgres"
  local psql=(psql -w -qAtX -d "$admin")
  if ! "${psql[@]}" -c 'select 1' >/dev/null 2>&1; then
    line=$(pg_cluster_on_port)
    read -r ver name _ <<<"$line"
    if [[ -n ${ver:-} ]] && pg_allow_trust "$ver" "$name"; then
      as_root pg_ctlcluster --skip-systemctl-redirect "$ver" "$name" reload >/dev/null 2>&1 || true
      sleep 1
    fi
  fi
  if ! "${psql[@]}" -c 'select 1' >/dev/null 2>&1; then
    err "postgres: cannot log in as ${admin%/*} without a password prompt: $("${psql[@]}" -c 'select 1' 2>&1 | head -1)"
    local fix="add 'host all all 127.0.0.1/32 trust' at the top of the pg_hba.conf of the cluster on port $PGPORT (pg_lsclusters) and reload it, or set DATABASE_URL=postgres://USER:PASSWORD@127.0.0.1:$PGPORT/gridwatch"
    printf '[services]   fix: %s\n' "${FIX[postgres]:-$fix}" >&2
    return 1
  fi
  [[ $db =~ ^[A-Za-z0-9_]+$ ]] || return 0
  if [[ -z $("${psql[@]}" -c "select 1 from pg_database where datname = '$db'") ]]; then
    if "${psql[@]}" -c "create database \"$db\"" >/dev/null 2>&1; then say "postgres: created database $db"; fi
  fi
}

# --- Redis ------------------------------------------------------------------------------------

start_redis() {
  if systemd_running && [[ $REDIS_PORT == 6379 ]] && can_root && as_root systemctl start redis-server 2>/dev/null; then
    record_started redis systemd redis-server
    return 0
  fi
  # Durable like production: queued (acknowledged) readings live in Redis until stored, so an
  # AOF (fsync every second) under .gridwatch/ keeps them across a restart; noeviction, because
  # an evicted key is a lost job.
  local pidfile="${XDG_RUNTIME_DIR:-/tmp}/gridwatch-redis-$EUID-$REDIS_PORT.pid"
  local dir=${REDIS_DATA_DIR:-$ROOT/.gridwatch/redis-$REDIS_PORT}
  mkdir -p "$dir"
  if ! redis-server --daemonize yes --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$dir" \
    --appendonly yes --appendfsync everysec --save "" --maxmemory-policy noeviction \
    --pidfile "$pidfile" >/dev/null; then
    FIX[redis]="run: redis-server --bind 127.0.0.1 --port $REDIS_PORT and read why it stops (is the port taken?)"
    return 1
  fi
  record_started redis daemon "$REDIS_PORT" "$pidfile"
}

# --- Mosquitto --------------------------------------------------------------------------------

# The broker this script starts is its own: a config, data and dynamic-security file under
# MOSQUITTO_DATA_DIR, never the packaged /etc/mosquitto (a broker already answering on MQTT_PORT,
# such as the machine's own, is left as it is). MQTT_AUTH=dynsec (default): not open, as in
# docker/mosquitto/mosquitto.conf: anonymous access off, max_packet_size, the dynamic-security
# plugin with the admin account of SECRETS_FILE (MQTT_ADMIN_USERNAME / MQTT_ADMIN_PASSWORD); the
# API provisions the transport's account (MQTT_USERNAME / MQTT_PASSWORD, generated alongside) and
# one per MQTT device. MQTT_AUTH=anonymous (tools/test.sh: the test suites connect anonymously to
# the shared broker and run private dynamic-security brokers of their own).

# The plugin's path differs between distributions and architectures.
mosquitto_dynsec_plugin() {
  local path
  for path in /usr/lib/*/mosquitto_dynamic_security.so /usr/lib/mosquitto_dynamic_security.so /usr/local/lib/mosquitto_dynamic_security.so; do
    [[ -f $path ]] && { echo "$path"; return 0; }
  done
  return 1
}

# A random password of URL- and shell-safe characters.
random_password() { head -c 24 /dev/urandom | base64 -w0 | tr '+/' '-_' | tr -d '='; }

# The broker accounts, generated once into SECRETS_FILE (mode 0600) and read back from it: the
# broker's dynamic-security file holds the admin password it was initialised with, so the file
# decides (a value in the environment is only taken when the file has none yet). Exported.
mqtt_accounts() {
  local key value
  mkdir -p "$(dirname "$SECRETS_FILE")"
  (
    umask 077
    touch "$SECRETS_FILE"
  )
  chmod 600 "$SECRETS_FILE"
  for key in MQTT_ADMIN_USERNAME MQTT_ADMIN_PASSWORD MQTT_USERNAME MQTT_PASSWORD; do
    if ! grep -q "^$key=" "$SECRETS_FILE"; then
      case $key in
        MQTT_ADMIN_USERNAME) value=${MQTT_ADMIN_USERNAME:-gridwatch-admin} ;;
        MQTT_USERNAME) value=${MQTT_USERNAME:-gridwatch-transport} ;;
        *) value=${!key:-$(random_password)} ;;
      esac
      echo "$key=$value" >>"$SECRETS_FILE"
      say "mosquitto: generated $key into $SECRETS_FILE"
    fi
    export "$key=$(grep -m1 "^$key=" "$SECRETS_FILE" | cut -d= -f2-)"
  done
}

start_mosquitto() {
  local dir=$MOSQUITTO_DATA_DIR conf plugin dynsec admin pidfile=$MOSQUITTO_DATA_DIR/mosquitto.pid
  conf=$dir/mosquitto.conf
  dynsec=$dir/dynamic-security.json
  mkdir -p "$dir"
  chmod 700 "$dir"
  {
    echo "# GridWatch local broker (written by tools/services.sh on every start; MQTT_AUTH=$MQTT_AUTH)"
    echo "listener $MQTT_PORT 127.0.0.1"
    # Started as root, mosquitto would switch to the mosquitto user, who cannot read this directory.
    echo "user $(id -un)"
    echo "pid_file $pidfile"
    echo "persistence true"
    echo "persistence_location $dir/"
    echo "autosave_interval 60"
    echo "max_queued_messages 10000"
    echo "log_dest file $dir/mosquitto.log"
    # Bigger than the transport's MQTT_MAX_PAYLOAD_BYTES (256 KiB) plus headers.
    echo "max_packet_size 1048576"
  } >"$conf"
  if [[ $MQTT_AUTH == anonymous ]]; then
    echo "allow_anonymous true" >>"$conf"
  else
    if ! plugin=$(mosquitto_dynsec_plugin); then
      ERROR[mosquitto]="the installed mosquitto has no dynamic-security plugin (mosquitto_dynamic_security.so; Mosquitto 2.0 ships it)"
      FIX[mosquitto]="install Debian's mosquitto 2.0 (sudo apt-get install mosquitto), or MQTT_AUTH=anonymous for an open development broker"
      return 1
    fi
    mqtt_accounts
    # Made once, with the admin account of SECRETS_FILE; made again when that account changed (a
    # new SECRETS_FILE): the API provisions the transport and the devices again at its start.
    admin=$(printf '%s:%s' "$MQTT_ADMIN_USERNAME" "$MQTT_ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1)
    if [[ ! -s $dynsec || $(cat "$dir/admin.sha256" 2>/dev/null) != "$admin" ]]; then
      rm -f "$dynsec"
      if ! (umask 077 && mosquitto_ctrl dynsec init "$dynsec" "$MQTT_ADMIN_USERNAME" "$MQTT_ADMIN_PASSWORD" >/dev/null); then
        ERROR[mosquitto]="mosquitto_ctrl dynsec init $dynsec failed"
        return 1
      fi
      echo "$admin" >"$dir/admin.sha256"
    fi
    printf 'allow_anonymous false\nplugin %s\nplugin_opt_config_file %s\n' "$plugin" "$dynsec" >>"$conf"
  fi
  # The daemon must not keep our stdout, stderr (a caller reading them would wait for ever) or the
  # lock on fd 9 (take_lock).
  if ! mosquitto -d -c "$conf" </dev/null >/dev/null 2>>"$dir/mosquitto.log" 9>&-; then
    tail -3 "$dir/mosquitto.log" >&2
    FIX[mosquitto]="run: mosquitto -v -c $conf and read why it stops (is port $MQTT_PORT taken?)"
    return 1
  fi
  record_started mosquitto daemon "$pidfile"
}

# Does the broker on MQTT_PORT want the accounts of SECRETS_FILE, i.e. is it the dynamic-security
# broker this script started? (tools/start.sh then hands them to the API and the transport.)
cmd_broker_auth() {
  local pid
  pid=$(cat "$MOSQUITTO_DATA_DIR/mosquitto.pid" 2>/dev/null || true)
  if pid_alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == mosquitto ]] &&
    grep -qx 'allow_anonymous false' "$MOSQUITTO_DATA_DIR/mosquitto.conf" 2>/dev/null; then
    echo dynsec
    return 0
  fi
  # The Docker fallback's broker (cmd_ensure), while its container runs.
  if [[ -f $MOSQUITTO_DATA_DIR/docker-dynsec ]] && docker_ok &&
    [[ -n $(docker compose -f "$COMPOSE_FILE" ps -q --status running mosquitto 2>/dev/null) ]]; then
    echo dynsec
    return 0
  fi
  echo "none: the broker on $HOST:$MQTT_PORT was not started by tools/services.sh with MQTT_AUTH=dynsec; its own configuration decides who may connect"
  return 1
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
    echo "sudo apt-get install ${PKG[$1]} and re-run tools/services.sh, $compose$(is_ubuntu && echo " (Ubuntu: ${PKG[$1]} is in 'universe': sudo add-apt-repository universe)")"
    return
  fi
  if [[ -n ${FIX[$1]:-} ]]; then
    echo "${FIX[$1]}"
    return
  fi
  case $1 in
    postgres) echo "check 'pg_lsclusters' and the log in /var/log/postgresql/" ;;
    redis) echo "run: redis-server --bind 127.0.0.1 --port $REDIS_PORT and read its output, $compose" ;;
    mosquitto) echo "see $MOSQUITTO_DATA_DIR/mosquitto.log; try: mosquitto -v -c $MOSQUITTO_DATA_DIR/mosquitto.conf" ;;
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
    if can_apt; then
      if apt_install "${pkgs[@]}" 9>&-; then
        for svc in "${missing[@]}"; do
          # Package scripts may already have started it (systemd); otherwise start it ourselves.
          if is_up "$svc" || start_service "$svc" 9>&-; then RESULT[$svc]="installed (${PKG[$svc]})"; else ERROR[$svc]="${ERROR[$svc]:-installed ${PKG[$svc]} but could not start it}"; fi
          waiting+=("$svc")
        done
      else
        for svc in "${missing[@]}"; do
          ERROR[$svc]="apt-get install ${pkgs[*]} failed (output above)"
          FIX[$svc]="check the package names and apt sources, then rerun tools/services.sh install$(is_ubuntu && echo "; on Ubuntu enable 'universe': sudo add-apt-repository universe")"
        done
      fi
    elif docker_ok; then
      say "starting ${missing[*]} with docker compose ($COMPOSE_FILE)"
      # Its broker is not open either (docker/mosquitto/init-dynsec.sh): it gets the admin account
      # of SECRETS_FILE, made into its dynamic-security file at its first start (a volume), and a
      # marker tells broker-auth (so tools/start.sh) that it wants the accounts.
      local docker_dynsec=0
      if [[ " ${missing[*]} " == *" mosquitto "* && $MQTT_AUTH == dynsec ]]; then
        mqtt_accounts
        docker_dynsec=1
      fi
      if MQTT_AUTH=$MQTT_AUTH docker compose -f "$COMPOSE_FILE" up -d "${missing[@]}" 9>&-; then
        for svc in "${missing[@]}"; do RESULT[$svc]="via docker"; done
        if ((docker_dynsec)); then
          mkdir -p "$MOSQUITTO_DATA_DIR"
          echo "docker compose -f $COMPOSE_FILE (MQTT_AUTH=dynsec)" >"$MOSQUITTO_DATA_DIR/docker-dynsec"
        fi
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
  if [[ -z ${ERROR[postgres]:-} ]] && ! pg_after_up; then ok=1; fi
  return "$ok"
}

# Only the packages: what `ensure` would apt-get install, nothing started (so it can run where
# the network is, before the services start somewhere without it).
cmd_install() {
  local svc pkgs=()
  take_lock
  for svc in "${SERVICES[@]}"; do installed "$svc" || pkgs+=("${PKG[$svc]}"); done
  if ((${#pkgs[@]} == 0)); then
    say "installed already: ${PKG[*]}"
    return 0
  fi
  if ! have apt-get; then
    err "no apt-get here to install ${pkgs[*]}"
    printf '[services]   fix: install them with your package manager, or run them with Docker: docker compose -f docker/compose.services.yml up -d\n' >&2
    return 1
  fi
  if ! can_root; then
    err "installing ${pkgs[*]} needs root or passwordless sudo"
    printf '[services]   fix: sudo apt-get install %s (then rerun tools/services.sh)\n' "${pkgs[*]}" >&2
    return 1
  fi
  if ! apt_install "${pkgs[@]}" 9>&-; then
    err "apt-get install ${pkgs[*]} failed (output above)"
    printf '[services]   fix: check the package names and apt sources, then rerun tools/services.sh install%s\n' \
      "$(is_ubuntu && echo "; on Ubuntu enable 'universe': sudo add-apt-repository universe")" >&2
    return 1
  fi
  say "installed ${pkgs[*]}"
}

# wait_gone SECONDS COMMAND...: poll until COMMAND fails (the thing it checks is gone).
wait_gone() {
  local deadline=$((SECONDS + $1))
  shift
  while "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# A zombie (exited, not yet reaped: containers whose PID 1 reaps nothing keep the daemons' zombies)
# is not alive.
pid_alive() { [[ -n $1 && -d /proc/$1 ]] && ! grep -qs '^[0-9]* (.*) Z ' "/proc/$1/stat"; }

# Stop one service recorded by record_started: KIND HOW ARGS...
stop_recorded() {
  local kind=$1 how=$2 pid
  case $kind:$how in
    postgres:systemd) as_root systemctl stop "postgresql@$3-$4" ;;
    postgres:pg_ctlcluster)
      as_root pg_ctlcluster --skip-systemctl-redirect "$3" "$4" stop 2>/dev/null || true
      [[ $(pg_lsclusters -h 2>/dev/null | awk -v v="$3" -v n="$4" '$1 == v && $2 == n {print $4}') != online* ]]
      ;;
    redis:systemd | mosquitto:systemd) as_root systemctl stop "$3" ;;
    redis:daemon)
      if have redis-cli; then timeout 5 redis-cli -h "$HOST" -p "$3" shutdown nosave >/dev/null 2>&1 || true; fi
      pid=$(cat "$4" 2>/dev/null || true)
      if pid_alive "$pid"; then root_kill "$pid" 2>/dev/null || true; fi
      wait_gone 15 port_open "$3"
      ;;
    mosquitto:daemon)
      pid=$(as_root cat "$3" 2>/dev/null || true)
      if pid_alive "$pid" && [[ $(cat "/proc/$pid/comm" 2>/dev/null) == mosquitto ]]; then
        root_kill "$pid"
        wait_gone 15 pid_alive "$pid"
      fi
      ;;
    *) return 1 ;;
  esac
}

# Stops what `ensure` started here (recorded in STARTED_FILE); services it found running stay.
cmd_stop() {
  take_lock
  if [[ ! -s $STARTED_FILE ]]; then
    say "nothing to stop: $STARTED_FILE records no service started by tools/services.sh"
    return 0
  fi
  can_root || true
  local line rc=0 left=()
  while read -r line; do
    # shellcheck disable=SC2086 # KIND HOW ARGS...
    if stop_recorded $line 9>&-; then
      say "stopped ${line%% *} (${line#* })"
    else
      err "could not stop ${line%% *} (${line#* })"
      left+=("$line")
      rc=1
    fi
  done <"$STARTED_FILE"
  if ((rc == 0)); then
    rm -f "$STARTED_FILE"
  else
    printf '%s\n' "${left[@]}" >"$STARTED_FILE"
    printf '[services]   fix: stop it by hand (pg_lsclusters, redis-cli -p PORT shutdown, sudo kill the mosquitto pid); the line stays in %s\n' "$STARTED_FILE" >&2
  fi
  return "$rc"
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
  # Whatever fails unexpectedly still says so, with the line, instead of a bare `cat: ...` and exit.
  set -E
  # (A function's own `return 1` has already said why.)
  trap 'rc=$?; [[ $BASH_COMMAND == return* ]] || { err "unexpected failure (exit $rc) at tools/services.sh line $LINENO: $BASH_COMMAND"; printf "[services]   fix: rerun with: bash -x tools/services.sh %s\n" "${1:-ensure}" >&2; }' ERR
  case ${1:-ensure} in
    ensure) cmd_ensure ;;
    install) cmd_install ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    broker-auth) cmd_broker_auth ;;
    ensure-chromium) cmd_ensure_chromium ;;
    -h | --help | help) sed -n '2,27p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
    *)
      err "unknown command '$1' (use ensure, install, stop, status, broker-auth or ensure-chromium)"
      return 2
      ;;
  esac
}

# Run unless sourced (sourcing lets the helpers be tested on their own).
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
