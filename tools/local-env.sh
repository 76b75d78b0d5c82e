# shellcheck shell=bash
# Sourced by tools/start.sh, tools/test.sh and tools/services.sh: one set of ports for the local
# services, the apps and the tests. A URL that is set decides its service's port when the port
# variable is unset; a URL that is unset is built from the port (default or chosen).
#   PGPORT (5432)  <-> DATABASE_URL (postgres://postgres@127.0.0.1:$PGPORT/gridwatch)
#   REDIS_PORT (6379) <-> REDIS_URL (redis://127.0.0.1:$REDIS_PORT)
#   MQTT_PORT (1883)  <-> MQTT_URL (mqtt://127.0.0.1:$MQTT_PORT)
#   MODBUS_SIM_PORT (5020): the demo's Modbus TCP gateway (seed-demo and the simulator)
#   MAIL_CATCHER_SMTP_PORT (1025) / MAIL_CATCHER_HTTP_PORT (1080): the demo's mail catcher

# The port of URL when it points at this machine (DEFAULT when it names none); nothing otherwise.
local_url_port() {
  local authority=${1#*://}
  authority=${authority%%/*}
  authority=${authority%%\?*}
  authority=${authority##*@}
  case $authority in
    127.0.0.1:* | localhost:* | '[::1]':*) echo "${authority##*:}" ;;
    127.0.0.1 | localhost | '[::1]') echo "$2" ;;
  esac
}

if [[ -z ${PGPORT:-} && -n ${DATABASE_URL:-} ]]; then PGPORT=$(local_url_port "$DATABASE_URL" 5432); fi
if [[ -z ${REDIS_PORT:-} && -n ${REDIS_URL:-} ]]; then REDIS_PORT=$(local_url_port "$REDIS_URL" 6379); fi
if [[ -z ${MQTT_PORT:-} && -n ${MQTT_URL:-} ]]; then MQTT_PORT=$(local_url_port "$MQTT_URL" 1883); fi
export PGPORT=${PGPORT:-5432} REDIS_PORT=${REDIS_PORT:-6379} MQTT_PORT=${MQTT_PORT:-1883}
export MODBUS_SIM_PORT=${MODBUS_SIM_PORT:-5020}
export MAIL_CATCHER_SMTP_PORT=${MAIL_CATCHER_SMTP_PORT:-1025}
export MAIL_CATCHER_HTTP_PORT=${MAIL_CATCHER_HTTP_PORT:-1080}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:$PGPORT/gridwatch}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:$REDIS_PORT}
export MQTT_URL=${MQTT_URL:-mqtt://127.0.0.1:$MQTT_PORT}
