/**
 * Connection details a gateway heartbeat may carry (REST ping or MQTT status), in wire names, and
 * the one set of rules they are checked by before they are stored and served on gateway reads.
 */
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
export type GatewayConnectionField = (typeof GATEWAY_CONNECTION_FIELDS)[number];

/** The fields of a GNSS position; others are dropped. lat and lon are required together. */
export const GNSS_FIELDS = [
  'lat',
  'lon',
  'alt_m',
  'speed_kmh',
  'heading_deg',
  'satellites',
  'hdop',
  'accuracy_m',
] as const;
export type GnssField = (typeof GNSS_FIELDS)[number];

/** A heartbeat document (REST ping body, MQTT status payload) larger than this is refused. */
export const GATEWAY_HEARTBEAT_MAX_BYTES = 16 * 1024;

/** Bounds, shared with the API documentation of the ping. */
export const GATEWAY_CONNECTION_LIMITS = {
  /** Received signal strength in dBm (cellular RSSI/RSRP lie between about -140 and -30). */
  signalStrengthDbm: { min: -150, max: 0 },
  percent: { min: 0, max: 100 },
  /** Ten years. */
  uptimeSecondsMax: 315_360_000,
  ipAddressMaxLength: 45,
  /** ICCID: up to 22 digits (19-20 in practice), optionally ending in F. */
  simIccidPattern: /^[0-9]{1,22}[Ff]?$/,
  firmwareMaxLength: 64,
  /** More keys than this in `gnss` refuse it whole: the document is bounded before it is walked. */
  gnssMaxKeys: 16,
} as const;

// Type aliases, not interfaces: they stay assignable to Record<string, unknown> (jsonb columns).
export type GnssPosition = {
  lat: number;
  lon: number;
  alt_m?: number;
  speed_kmh?: number;
  heading_deg?: number;
  satellites?: number;
  hdop?: number;
  accuracy_m?: number;
};

export type GatewayConnection = {
  ip_address?: string;
  signal_strength?: number;
  sim_iccid?: string;
  cpu_percent?: number;
  memory_percent?: number;
  uptime_seconds?: number;
  firmware?: string;
  gnss?: GnssPosition;
};

export interface ConnectionProblem {
  field: string;
  message: string;
}

export interface ConnectionCheck {
  /** The valid known fields only: unknown keys and invalid fields are not in it. */
  connection: GatewayConnection;
  /** One per invalid field; empty when the heartbeat is valid. */
  problems: ConnectionProblem[];
}

type Check<T> = { ok: true; value: T } | { ok: false; message: string };

const LIMITS = GATEWAY_CONNECTION_LIMITS;
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6 = /^(?=.*:)[0-9A-Fa-f:.]{2,45}$/;
const PRINTABLE = /^[\x20-\x7E]+$/;

function numberIn(value: unknown, min: number, max: number, what: string): Check<number> {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    return { ok: false, message: `must be a number of ${what} between ${min} and ${max}` };
  }
  return { ok: true, value };
}

function integerIn(value: unknown, min: number, max: number, what: string): Check<number> {
  const number = numberIn(value, min, max, what);
  if (number.ok && !Number.isInteger(number.value)) {
    return { ok: false, message: `must be a whole number of ${what} between ${min} and ${max}` };
  }
  return number;
}

function ipAddress(value: unknown): Check<string> {
  const text = typeof value === 'string' && value.length <= LIMITS.ipAddressMaxLength ? value : '';
  if (!IPV4.test(text) && !IPV6.test(text)) {
    return { ok: false, message: 'must be an IPv4 or IPv6 address' };
  }
  return { ok: true, value: text };
}

function simIccid(value: unknown): Check<string> {
  if (typeof value !== 'string' || !LIMITS.simIccidPattern.test(value)) {
    return { ok: false, message: 'must be an ICCID: up to 22 digits' };
  }
  return { ok: true, value };
}

function firmware(value: unknown): Check<string> {
  if (
    typeof value !== 'string' ||
    value.length > LIMITS.firmwareMaxLength ||
    !PRINTABLE.test(value)
  ) {
    return {
      ok: false,
      message: `must be printable text of 1 to ${LIMITS.firmwareMaxLength} characters`,
    };
  }
  return { ok: true, value };
}

const GNSS_RULES: Record<GnssField, (value: unknown) => Check<number>> = {
  lat: (value) => numberIn(value, -90, 90, 'degrees'),
  lon: (value) => numberIn(value, -180, 180, 'degrees'),
  alt_m: (value) => numberIn(value, -1000, 100_000, 'metres'),
  speed_kmh: (value) => numberIn(value, 0, 2000, 'km/h'),
  heading_deg: (value) => numberIn(value, 0, 360, 'degrees'),
  satellites: (value) => integerIn(value, 0, 200, 'satellites'),
  hdop: (value) => numberIn(value, 0, 100, 'HDOP'),
  accuracy_m: (value) => numberIn(value, 0, 100_000, 'metres'),
};

/** A flat, bounded position: lat and lon required, known fields checked, unknown ones dropped. */
function gnss(value: unknown, problems: ConnectionProblem[]): GnssPosition | undefined {
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject) {
    problems.push({ field: 'gnss', message: 'gnss must be an object with lat and lon' });
    return undefined;
  }
  const input = value as Record<string, unknown>;
  // Counted without walking: a huge or deeply nested document is refused before any recursion.
  if (Object.keys(input).length > LIMITS.gnssMaxKeys) {
    problems.push({
      field: 'gnss',
      message: `gnss must hold at most ${LIMITS.gnssMaxKeys} fields`,
    });
    return undefined;
  }
  const position: Partial<GnssPosition> = {};
  const before = problems.length;
  for (const field of GNSS_FIELDS) {
    if (input[field] === undefined) continue;
    const checked = GNSS_RULES[field](input[field]);
    if (checked.ok) position[field] = checked.value;
    else problems.push({ field: `gnss.${field}`, message: `gnss.${field} ${checked.message}` });
  }
  if (problems.length > before) return undefined;
  if (position.lat === undefined || position.lon === undefined) {
    problems.push({ field: 'gnss', message: 'gnss must hold both lat and lon' });
    return undefined;
  }
  return position as GnssPosition;
}

const SCALAR_RULES: Record<
  Exclude<GatewayConnectionField, 'gnss'>,
  (value: unknown) => Check<unknown>
> = {
  ip_address: ipAddress,
  signal_strength: (value) =>
    numberIn(value, LIMITS.signalStrengthDbm.min, LIMITS.signalStrengthDbm.max, 'dBm'),
  sim_iccid: simIccid,
  cpu_percent: (value) => numberIn(value, LIMITS.percent.min, LIMITS.percent.max, 'percent'),
  memory_percent: (value) => numberIn(value, LIMITS.percent.min, LIMITS.percent.max, 'percent'),
  uptime_seconds: (value) => integerIn(value, 0, LIMITS.uptimeSecondsMax, 'seconds'),
  firmware,
};

/**
 * Checks the connection details of a heartbeat. `connection` holds only the valid known fields,
 * so it is safe to store whatever arrived; `problems` says what was wrong, for callers that refuse
 * the heartbeat (REST answers 400) rather than keep its valid part.
 */
export function checkGatewayConnection(heartbeat: Record<string, unknown>): ConnectionCheck {
  const connection: Record<string, unknown> = {};
  const problems: ConnectionProblem[] = [];
  for (const field of GATEWAY_CONNECTION_FIELDS) {
    const value = heartbeat[field];
    if (value === undefined || value === null) continue;
    if (field === 'gnss') {
      const position = gnss(value, problems);
      if (position) connection['gnss'] = position;
      continue;
    }
    const checked = SCALAR_RULES[field](value);
    if (checked.ok) connection[field] = checked.value;
    else problems.push({ field, message: `${field} ${checked.message}` });
  }
  return { connection: connection as GatewayConnection, problems };
}

/** The valid connection details of a heartbeat, stamped with when it arrived; others are dropped. */
export function connectionDetails(
  heartbeat: Record<string, unknown>,
  at: Date,
): GatewayConnection & { last_ping_at: string } {
  return { last_ping_at: at.toISOString(), ...checkGatewayConnection(heartbeat).connection };
}
