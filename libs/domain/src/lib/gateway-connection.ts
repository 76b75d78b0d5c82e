/** Connection details a gateway heartbeat may carry (REST ping or MQTT status), in wire names. */
export const GATEWAY_CONNECTION_FIELDS = [
  'ip_address',
  'signal_strength',
  'sim_iccid',
  'cpu_percent',
  'memory_percent',
  'uptime_seconds',
  'firmware',
  'gnss',
] as const;

/** The known connection details of a heartbeat, stamped with when it arrived; others are dropped. */
export function connectionDetails(
  heartbeat: Record<string, unknown>,
  at: Date,
): Record<string, unknown> {
  const details: Record<string, unknown> = { last_ping_at: at.toISOString() };
  for (const field of GATEWAY_CONNECTION_FIELDS) {
    if (heartbeat[field] !== undefined) details[field] = heartbeat[field];
  }
  return details;
}
