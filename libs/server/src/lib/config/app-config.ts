import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';

/** Typed configuration, read once from the environment and validated at start-up. */
export interface AppConfig {
  env: 'development' | 'test' | 'production';
  port: number;
  transportPort: number;
  /** Interface the transport's health and metrics port binds to (loopback unless configured). */
  transportHost: string;
  /** The API's Prometheus port (0: none) and its interface (loopback unless configured). */
  metricsPort: number;
  metricsHost: string;
  /** When set, the API also answers GET /metrics on its public port to this bearer token. */
  metricsToken: string | null;
  /** How long a SIGTERM'd process may take to drain before it exits anyway. */
  shutdownTimeoutMs: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Device endpoint requests per window, per client IP and per device id (429 past them). */
  deviceMaxRequestsPerIp: number;
  deviceMaxRequestsPerDevice: number;
  deviceRateWindowSeconds: number;
  /** Stable per transport instance: its MQTT client id and persistent session hang off it. */
  transportInstanceId: string;
  databaseUrl: string;
  databasePoolSize: number;
  databaseConnectTimeoutMs: number;
  redisUrl: string;
  queuePrefix: string;
  mqttUrl: string;
  /**
   * Shared-subscription group ($share/<group>/...): the instances in it split the load. Null
   * (MQTT_SHARE_GROUP=none): plain subscriptions for a single instance, which Mosquitto 2.0.11
   * restores after a restart while it loses shared ones (docs/mqtt.md).
   */
  mqttShareGroup: string | null;
  /** MQTT messages larger than this are counted, logged and dropped. */
  mqttMaxPayloadBytes: number;
  /** How long the broker keeps a disconnected transport's session (subscriptions, queued messages). */
  mqttSessionExpirySeconds: number;
  /**
   * Broker connections per transport instance, each a member of the share group with a session of
   * its own: mqtt.js handles one message at a time per connection (and acknowledges it only once
   * enqueued), so these are the messages handled at once. 1 without a share group.
   */
  mqttConnections: number;
  /** The transport's own broker account (MQTT_USERNAME / MQTT_PASSWORD); unset: connect without one. */
  mqttUsername?: string;
  mqttPassword?: string;
  /**
   * The broker's dynamic-security admin account: the API provisions one broker client per MQTT
   * device with it. Unset: provisioning is off (an open development broker).
   */
  mqttAdmin?: { username: string; password: string };
  /** How often the API re-syncs every device's broker client with the credentials table. */
  brokerReconcileSeconds: number;
  jwtSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  credentialsKey: Buffer;
  credentialRotationGraceSeconds: number;
  signupEnabled: boolean;
  loginMaxAttemptsPerEmail: number;
  loginMaxAttemptsPerIp: number;
  loginWindowSeconds: number;
  /** Sign-up attempts one IP may make per window (each costs an argon2 hash). */
  signupMaxAttemptsPerIp: number;
  signupWindowSeconds: number;
  webDistPath: string;
  /** all: HTTP + queue processors; api: HTTP only; worker: processors and maintenance only. */
  processMode: 'all' | 'api' | 'worker';
  ingestMaxAgeSeconds: number;
  /** Ingest jobs a process holds at once; they are stored in groups (one transaction each). */
  ingestWorkerConcurrency: number;
  /** Tries per ingest job before it is parked in the failed set, and the first backoff delay. */
  ingestJobAttempts: number;
  ingestRetryDelayMs: number;
  /**
   * How long a worker's claim on an ingest job lasts unless renewed (Bull's lockDuration, also
   * its stalled-job check interval): a crashed worker's jobs run again within about twice this.
   */
  ingestJobLockSeconds: number;
  /** Readings queued but not yet stored past which ingest answers 503 (MQTT: left unacknowledged). */
  ingestMaxBacklog: number;
  /** A `queued` batch older than this whose job Bull no longer holds is marked `lost`. */
  ingestLostAfterSeconds: number;
  replayWindowSeconds: number;
  rawRetentionDays: number;
  rollup5mRetentionDays: number;
  partitionDaysAhead: number;
  offlineAfterHeartbeats: number;
  sweepIntervalSeconds: number;
  /** Per room: at most one live reading event per window, the first at once (0: no throttle). */
  realtimeCoalesceMs: number;
  /** A counter dropping below this fraction of its previous value was reset; a smaller drop is a glitch. */
  counterResetFraction: number;
  corsOrigins: string[];
  /** Whether this transport polls modbus_tcp gateways (tests and MQTT-only instances turn it off). */
  modbusPollerEnabled: boolean;
  /** CIDR networks Modbus gateways may be polled in; any other host is refused (no internal scans). */
  modbusAllowedNetworks: string[];
  /** Per connect and per request; a request that has not answered by then counts as failed. */
  modbusTimeoutMs: number;
  /** Tries per request before it is a communication_error, with exponential backoff between. */
  modbusRetries: number;
  modbusRetryBackoffMs: number;
  modbusMaxConcurrentGateways: number;
  /** Floor for a gateway's poll interval, whatever its configuration says. */
  modbusMinIntervalSeconds: number;
  /** Consecutive failed polls that open a gateway's circuit breaker (gateway offline). */
  modbusBreakerThreshold: number;
  /** How long an open breaker waits before one trial poll (half-open). */
  modbusBreakerCooldownSeconds: number;
  /** How often gateway and meter configuration is re-read: new gateways and intervals apply then. */
  modbusReloadSeconds: number;
  /** How often no_data, device_offline, escalations and repeats are checked. */
  alertSweepIntervalSeconds: number;
  /** SMTP server for alert e-mail (smtp:// or smtps://); null: e-mail deliveries are skipped. */
  smtpUrl: string | null;
  smtpFrom: string;
  /** CIDR networks a webhook may target besides public addresses (loopback/private are refused). */
  webhookAllowedNetworks: string[];
  webhookTimeoutMs: number;
  /** Tries per notification delivery, with exponential backoff from the first delay. */
  notificationAttempts: number;
  notificationRetryDelayMs: number;
  /** Absolute directory of ticket attachments, stored by SHA-256 content hash. */
  attachmentsDir: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/** The configuration of commands that only reach the database (migrate): no secrets in it. */
export type ConfigWithoutSecrets = Omit<AppConfig, 'jwtSecret' | 'credentialsKey'>;

const WHERE_SECRETS_COME_FROM = '`npm start` generates it into .gridwatch/secrets.env';
const JWT_SECRET_MIN_LENGTH = 32;
const CREDENTIALS_KEY_BYTES = 32;
/** 32 random bytes have ~28 distinct values; a hand-typed or patterned key far fewer. */
const MIN_DISTINCT_KEY_BYTES = 12;

/** Collects every problem instead of stopping at the first, so one start-up names them all. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  string(name: string, fallback: string): string {
    const raw = this.env[name];
    return raw === undefined || raw === '' ? fallback : raw;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      this.problems.push(`${name} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  /** A number from 0 to 1 inclusive. */
  fraction(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1) {
      this.problems.push(`${name} must be a number between 0 and 1 (got "${raw}")`);
      return fallback;
    }
    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name} must be true or false (got "${this.env[name]}")`);
    return fallback;
  }

  url(name: string, fallback: string, protocols: string[]): string {
    const value = this.string(name, fallback);
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        this.problems.push(`${name} must use ${protocols.join(' or ')} (got "${parsed.protocol}")`);
      }
    } catch {
      this.problems.push(`${name} must be a URL (got "${value}")`);
    }
    return value;
  }

  /** A URL when set, null when unset or empty. */
  optionalUrl(name: string, protocols: string[]): string | null {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return null;
    return this.url(name, raw, protocols);
  }

  oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }

  /** A directory path, resolved against the working directory (created on first use). */
  directory(name: string, fallback: string): string {
    const value = this.string(name, fallback);
    if (value.includes('\0') || value.trim() !== value) {
      this.problems.push(`${name} must be a directory path (got "${value}")`);
      return resolve(fallback);
    }
    return resolve(value);
  }

  /** Comma-separated CIDR networks ("10.20.0.0/16, 192.0.2.7/32, 2001:db8::/32"). */
  cidrList(name: string, fallback: string): string[] {
    const networks = this.string(name, fallback)
      .split(',')
      .map((network) => network.trim())
      .filter(Boolean);
    for (const network of networks) {
      if (!isCidr(network))
        this.problems.push(`${name} must list CIDR networks (got "${network}")`);
    }
    return networks;
  }

  /** A secret has no default, whatever NODE_ENV says: a printed default would sign anyone's token. */
  secret(name: string): string | undefined {
    const raw = this.env[name];
    if (raw === undefined || raw === '') {
      this.problems.push(`${name} is required (${WHERE_SECRETS_COME_FROM})`);
      return undefined;
    }
    return raw;
  }
}

/** "address/prefix" with a prefix the address family allows. */
export function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split('/');
  const family = isIP(address ?? '');
  const bits = Number(prefix);
  return (
    rest.length === 0 &&
    family !== 0 &&
    /^\d{1,3}$/.test(prefix ?? '') &&
    bits <= (family === 4 ? 32 : 128)
  );
}

const METRICS_TOKEN_MIN_LENGTH = 32;

function metricsToken(read: EnvReader): string | null {
  const token = read.string('METRICS_TOKEN', '');
  if (token === '') return null;
  if (token.length < METRICS_TOKEN_MIN_LENGTH || isPlaceholderSecret(token)) {
    read.problems.push(
      `METRICS_TOKEN must be at least ${METRICS_TOKEN_MIN_LENGTH} random characters`,
    );
  }
  return token;
}

/**
 * Words that mark a value copied from documentation or a development setup rather than generated
 * (`openssl rand`): such a secret is refused whatever NODE_ENV says.
 */
const PLACEHOLDER_WORDS =
  /change.?me|changeit|example|placeholder|development|dev.?secret|test.?secret|your.?secret|replace.?me|not.?secret|insecure|secret.?key|default|password|gridwatch/i;
const MIN_DISTINCT_CHARACTERS = 10;

/** A development or example value: a known word in it, or too few distinct characters. */
export function isPlaceholderSecret(value: string): boolean {
  return PLACEHOLDER_WORDS.test(value) || new Set(value).size < MIN_DISTINCT_CHARACTERS;
}

function jwtSecret(read: EnvReader): string {
  const secret = read.secret('JWT_SECRET') ?? '';
  if (secret && secret.length < JWT_SECRET_MIN_LENGTH) {
    read.problems.push(`JWT_SECRET must be at least ${JWT_SECRET_MIN_LENGTH} characters`);
  } else if (secret && isPlaceholderSecret(secret)) {
    read.problems.push(
      `JWT_SECRET holds a development or example value; generate one (${WHERE_SECRETS_COME_FROM}, or openssl rand -base64 48)`,
    );
  }
  return secret;
}

function credentialsKey(read: EnvReader): Buffer {
  const name = 'CREDENTIALS_ENCRYPTION_KEY';
  const text = read.secret(name);
  if (text === undefined) return Buffer.alloc(0);
  const key = Buffer.from(text, 'base64');
  // Buffer.from skips characters that are not base64: a round trip proves the text was base64.
  const isBase64 = key.toString('base64').replace(/=+$/, '') === text.replace(/=+$/, '');
  if (!isBase64 || key.length !== CREDENTIALS_KEY_BYTES) {
    read.problems.push(
      `${name} must be ${CREDENTIALS_KEY_BYTES} bytes encoded as base64, e.g. openssl rand -base64 32` +
        (isBase64 ? ` (got ${key.length} bytes)` : ' (got text that is not base64)'),
    );
  } else if (isPlaceholderSecret(text) || new Set(key).size < MIN_DISTINCT_KEY_BYTES) {
    read.problems.push(
      `${name} holds a development or example value; generate one (openssl rand -base64 32)`,
    );
  }
  return key;
}

/** `none`: no shared subscription (one transport instance). */
function shareGroup(value: string): string | null {
  return value === 'none' ? null : value;
}

/** Broker accounts: each user name goes with its password, or neither is set. */
function brokerAccounts(
  read: EnvReader,
): Pick<AppConfig, 'mqttUsername' | 'mqttPassword' | 'mqttAdmin'> {
  const pair = (userVar: string, passwordVar: string) => {
    const username = read.string(userVar, '');
    const password = read.string(passwordVar, '');
    if (Boolean(username) !== Boolean(password)) {
      read.problems.push(`${userVar} and ${passwordVar} are set together or not at all`);
    }
    return username && password ? { username, password } : undefined;
  };
  const transport = pair('MQTT_USERNAME', 'MQTT_PASSWORD');
  const admin = pair('MQTT_ADMIN_USERNAME', 'MQTT_ADMIN_PASSWORD');
  if (admin && transport && admin.username === transport.username) {
    read.problems.push('MQTT_ADMIN_USERNAME must differ from MQTT_USERNAME');
  }
  return {
    ...(transport ? { mqttUsername: transport.username, mqttPassword: transport.password } : {}),
    ...(admin ? { mqttAdmin: admin } : {}),
  };
}

/** Every setting, secrets included; start-up fails naming every missing or bad variable. */
export function loadConfig(env: Env = process.env): AppConfig {
  const read = new EnvReader(env);
  const config = readSettings(read);
  const secrets = { jwtSecret: jwtSecret(read), credentialsKey: credentialsKey(read) };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return { ...config, ...secrets };
}

/** For commands that only reach the database (migrate, schema tools): secrets are not read. */
export function loadConfigWithoutSecrets(env: Env = process.env): ConfigWithoutSecrets {
  const read = new EnvReader(env);
  const config = readSettings(read);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

function readSettings(read: EnvReader): ConfigWithoutSecrets {
  const nodeEnv = read.string('NODE_ENV', 'development');
  if (!['development', 'test', 'production'].includes(nodeEnv)) {
    read.problems.push(`NODE_ENV must be development, test or production (got "${nodeEnv}")`);
  }
  const config: ConfigWithoutSecrets = {
    env: nodeEnv as AppConfig['env'],
    port: read.int('PORT', 3000, 1, 65535),
    transportPort: read.int('TRANSPORT_PORT', 3100, 1, 65535),
    transportHost: read.string('TRANSPORT_HOST', '127.0.0.1'),
    metricsPort: read.int('METRICS_PORT', 9464, 0, 65535),
    metricsHost: read.string('METRICS_HOST', '127.0.0.1'),
    metricsToken: metricsToken(read),
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10_000, 100, 600_000),
    logLevel: read.oneOf('LOG_LEVEL', 'info', [
      'fatal',
      'error',
      'warn',
      'info',
      'debug',
      'trace',
      'silent',
    ] as const),
    deviceMaxRequestsPerIp: read.int('DEVICE_MAX_REQUESTS_PER_IP', 3000, 1, 10_000_000),
    deviceMaxRequestsPerDevice: read.int('DEVICE_MAX_REQUESTS_PER_DEVICE', 600, 1, 10_000_000),
    deviceRateWindowSeconds: read.int('DEVICE_RATE_WINDOW_SECONDS', 60, 1, 86400),
    transportInstanceId: read.string('TRANSPORT_INSTANCE_ID', hostname()),
    databaseUrl: read.url('DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/gridwatch', [
      'postgres:',
      'postgresql:',
    ]),
    databasePoolSize: read.int('DATABASE_POOL_SIZE', 10, 1, 200),
    databaseConnectTimeoutMs: read.int('DATABASE_CONNECT_TIMEOUT_MS', 5000, 100, 120000),
    redisUrl: read.url('REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    queuePrefix: read.string('QUEUE_PREFIX', 'gridwatch'),
    mqttUrl: read.url('MQTT_URL', 'mqtt://127.0.0.1:1883', [
      'mqtt:',
      'mqtts:',
      'tcp:',
      'ws:',
      'wss:',
    ]),
    mqttShareGroup: shareGroup(read.string('MQTT_SHARE_GROUP', 'gridwatch')),
    mqttMaxPayloadBytes: read.int('MQTT_MAX_PAYLOAD_BYTES', 262144, 1024, 256 * 1024 * 1024),
    mqttSessionExpirySeconds: read.int('MQTT_SESSION_EXPIRY_SECONDS', 3600, 0, 7 * 86400),
    mqttConnections: read.int('MQTT_CONNECTIONS', 4, 1, 32),
    ...brokerAccounts(read),
    brokerReconcileSeconds: read.int('BROKER_RECONCILE_SECONDS', 300, 5, 86400),
    accessTokenTtlSeconds: read.int('ACCESS_TOKEN_TTL_SECONDS', 900, 10, 86400),
    refreshTokenTtlSeconds: read.int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86400, 60, 365 * 86400),
    credentialRotationGraceSeconds: read.int(
      'CREDENTIAL_ROTATION_GRACE_SECONDS',
      86400,
      0,
      30 * 86400,
    ),
    signupEnabled: read.bool('SIGNUP_ENABLED', false),
    loginMaxAttemptsPerEmail: read.int('LOGIN_MAX_ATTEMPTS_PER_EMAIL', 10, 1, 10000),
    loginMaxAttemptsPerIp: read.int('LOGIN_MAX_ATTEMPTS_PER_IP', 100, 1, 100000),
    loginWindowSeconds: read.int('LOGIN_WINDOW_SECONDS', 900, 1, 86400),
    signupMaxAttemptsPerIp: read.int('SIGNUP_MAX_ATTEMPTS_PER_IP', 10, 1, 100000),
    signupWindowSeconds: read.int('SIGNUP_WINDOW_SECONDS', 3600, 1, 86400),
    webDistPath: read.string('WEB_DIST_PATH', 'dist/apps/web/browser'),
    processMode: read.oneOf('PROCESS_MODE', 'all', ['all', 'api', 'worker'] as const),
    ingestMaxAgeSeconds: read.int('INGEST_MAX_AGE_SECONDS', 7 * 86400, 60, 365 * 86400),
    ingestWorkerConcurrency: read.int('INGEST_WORKER_CONCURRENCY', 16, 1, 64),
    ingestJobAttempts: read.int('INGEST_JOB_ATTEMPTS', 8, 1, 100),
    ingestRetryDelayMs: read.int('INGEST_RETRY_DELAY_MS', 1000, 1, 600_000),
    ingestJobLockSeconds: read.int('INGEST_JOB_LOCK_SECONDS', 30, 1, 3600),
    ingestMaxBacklog: read.int('INGEST_MAX_BACKLOG', 2_000_000, 1, 1_000_000_000),
    ingestLostAfterSeconds: read.int('INGEST_LOST_AFTER_SECONDS', 900, 10, 30 * 86400),
    replayWindowSeconds: read.int('REPLAY_WINDOW_SECONDS', 300, 10, 3600),
    rawRetentionDays: read.int('RAW_RETENTION_DAYS', 90, 1, 3650),
    rollup5mRetentionDays: read.int('ROLLUP_5M_RETENTION_DAYS', 400, 1, 3650),
    partitionDaysAhead: read.int('PARTITION_DAYS_AHEAD', 7, 1, 90),
    offlineAfterHeartbeats: read.int('OFFLINE_AFTER_HEARTBEATS', 2, 1, 100),
    sweepIntervalSeconds: read.int('SWEEP_INTERVAL_SECONDS', 30, 1, 3600),
    realtimeCoalesceMs: read.int('REALTIME_COALESCE_MS', 100, 0, 10000),
    counterResetFraction: read.fraction('COUNTER_RESET_FRACTION', 0.1),
    corsOrigins: read
      .string('CORS_ORIGINS', 'http://localhost:4200')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    modbusPollerEnabled: read.bool('MODBUS_POLLER_ENABLED', true),
    // Loopback only by default, so the local demo works; production sets its gateways' networks.
    modbusAllowedNetworks: read.cidrList('MODBUS_ALLOWED_NETWORKS', '127.0.0.0/8'),
    modbusTimeoutMs: read.int('MODBUS_TIMEOUT_MS', 3000, 50, 60000),
    modbusRetries: read.int('MODBUS_RETRIES', 3, 1, 10),
    modbusRetryBackoffMs: read.int('MODBUS_RETRY_BACKOFF_MS', 500, 0, 60000),
    modbusMaxConcurrentGateways: read.int('MODBUS_MAX_CONCURRENT_GATEWAYS', 16, 1, 1000),
    modbusMinIntervalSeconds: read.int('MODBUS_MIN_INTERVAL_SECONDS', 5, 1, 86400),
    modbusBreakerThreshold: read.int('MODBUS_BREAKER_THRESHOLD', 5, 1, 1000),
    modbusBreakerCooldownSeconds: read.int('MODBUS_BREAKER_COOLDOWN_SECONDS', 60, 1, 86400),
    modbusReloadSeconds: read.int('MODBUS_RELOAD_SECONDS', 15, 1, 3600),
    alertSweepIntervalSeconds: read.int('ALERT_SWEEP_INTERVAL_SECONDS', 30, 1, 3600),
    smtpUrl: read.optionalUrl('SMTP_URL', ['smtp:', 'smtps:']),
    smtpFrom: read.string('SMTP_FROM', 'GridWatch <alerts@gridwatch.localhost>'),
    webhookAllowedNetworks: read.cidrList('WEBHOOK_ALLOWED_NETWORKS', ''),
    webhookTimeoutMs: read.int('WEBHOOK_TIMEOUT_MS', 5000, 100, 60000),
    notificationAttempts: read.int('NOTIFICATION_ATTEMPTS', 6, 1, 50),
    notificationRetryDelayMs: read.int('NOTIFICATION_RETRY_DELAY_MS', 2000, 1, 600_000),
    attachmentsDir: read.directory('ATTACHMENTS_DIR', '.gridwatch/attachments'),
  };
  if (config.mqttShareGroup !== null && !/^[A-Za-z0-9_.-]+$/.test(config.mqttShareGroup)) {
    read.problems.push('MQTT_SHARE_GROUP may only hold letters, digits, "_", "." and "-"');
  }
  return config;
}
