#!/bin/sh
# Entrypoint for the dynamic-security broker: creates the plugin's file with the admin account once
# (MQTT_ADMIN_USERNAME / MQTT_ADMIN_PASSWORD, the same values the API gets), then runs mosquitto.
set -eu
file=/mosquitto/data/dynamic-security.json
if [ ! -f "$file" ]; then
  : "${MQTT_ADMIN_USERNAME:?MQTT_ADMIN_USERNAME is required}" "${MQTT_ADMIN_PASSWORD:?MQTT_ADMIN_PASSWORD is required}"
  mosquitto_ctrl dynsec init "$file" "$MQTT_ADMIN_USERNAME" "$MQTT_ADMIN_PASSWORD" >/dev/null
  chown mosquitto:mosquitto "$file" 2>/dev/null || true
fi
exec mosquitto -c /mosquitto/config/mosquitto.conf
