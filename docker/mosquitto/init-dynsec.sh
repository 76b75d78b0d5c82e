#!/bin/sh
# Entrypoint of the Mosquitto service (docker/compose.services.yml, and so docker/compose.yml).
#
#   init-dynsec.sh              run the broker
#   init-dynsec.sh healthcheck  exit 0 when the broker accepts a login (the compose health check)
#
# MQTT_AUTH=dynsec (the default): not open, as tools/services.sh's local broker. mosquitto-dynsec.conf
# (anonymous access off, max_packet_size, dynamic security); the plugin's file is created once with
# the admin account MQTT_ADMIN_USERNAME / MQTT_ADMIN_PASSWORD (the same values the API gets: it
# provisions the transport's account and one per MQTT device). MQTT_AUTH=anonymous: mosquitto.conf,
# an open broker for development. MOSQUITTO_CONFIG_DIR / MOSQUITTO_DATA_DIR: the container's
# /mosquitto/config and /mosquitto/data unless set (tools/docker-compose.test.ts runs it outside).
set -eu
config_dir=${MOSQUITTO_CONFIG_DIR:-/mosquitto/config}
data_dir=${MOSQUITTO_DATA_DIR:-/mosquitto/data}
auth=${MQTT_AUTH:-dynsec}
case $auth in
  dynsec | anonymous) ;;
  *)
    echo "MQTT_AUTH must be dynsec or anonymous (got '$auth')" >&2
    exit 2
    ;;
esac

if [ "${1:-}" = healthcheck ]; then
  # A QoS 0 publish after a login: fails when the broker refuses the account or does not answer.
  if [ "$auth" = dynsec ]; then
    exec mosquitto_pub -h 127.0.0.1 -p "${MQTT_HEALTHCHECK_PORT:-1883}" \
      -u "$MQTT_ADMIN_USERNAME" -P "$MQTT_ADMIN_PASSWORD" -t healthcheck -m ok
  fi
  exec mosquitto_pub -h 127.0.0.1 -p "${MQTT_HEALTHCHECK_PORT:-1883}" -t healthcheck -m ok
fi

if [ "$auth" = anonymous ]; then
  exec mosquitto -c "$config_dir/mosquitto.conf"
fi
: "${MQTT_ADMIN_USERNAME:?MQTT_ADMIN_USERNAME is required (MQTT_AUTH=dynsec)}"
: "${MQTT_ADMIN_PASSWORD:?MQTT_ADMIN_PASSWORD is required (MQTT_AUTH=dynsec)}"
file=$data_dir/dynamic-security.json
if [ ! -f "$file" ]; then
  mosquitto_ctrl dynsec init "$file" "$MQTT_ADMIN_USERNAME" "$MQTT_ADMIN_PASSWORD" >/dev/null
  chown mosquitto:mosquitto "$file" 2>/dev/null || true
fi
exec mosquitto -c "$config_dir/mosquitto-dynsec.conf"
