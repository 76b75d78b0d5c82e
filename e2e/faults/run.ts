/**
 * The fault-injection suite (issue 10): private PostgreSQL, Redis and Mosquitto, the built API
 * (PROCESS_MODE=api), a worker and the transport as real processes, a steady signed load over REST
 * and MQTT, and one fault after another. After each: every reading acknowledged to its sender
 * (HTTP 202, MQTT PUBACK) is stored exactly once, and every rollup equals its recomputation from
 * raw. Prints one table; exits 1 on any loss, duplicate or rollup mismatch.
 *
 *   npx nx run-many -t build -p api transport && npm run test:faults
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import type { FleetManifest, ManifestGateway } from '@gridwatch/contracts';
import { freePort, runCli, startService, stopProcess } from '../support/api-server';
import { API_DIST, TRANSPORT_DIST, WORKSPACE_ROOT } from '../support/e2e-env';
import { sign, unixSeconds } from '../support/system';
import { PrivateMosquitto, PrivatePostgres, PrivateRedis } from './private-services';

/** Readiness probes (issue 10 item 1): database, Redis and, for the transport, the broker. */
const READY_PATH = { api: '/health/ready', transport: '/health/ready' };
const SEND_EVERY_MS = 100;
const STEADY_MS = 6_000;
const DRAIN_TIMEOUT_MS = 120_000;
const OUTAGE_MS = 3_000;

const sleep = (ms: number) => new Promise((wake) => setTimeout(wake, ms));
const log = (line: string) => console.log(`[faults] ${line}`);

interface Tally {
  sent: number;
  /** Keys (meter|epoch ms) of readings acknowledged to the sender. */
  acked: Set<string>;
}

/** The steady load: one signed batch per gateway every SEND_EVERY_MS, each reading a new key. */
class Load {
  rest: Tally = { sent: 0, acked: new Set() };
  mqtt: Tally = { sent: 0, acked: new Set() };
  private seq = 0;
  private readonly base = Math.floor(Date.now() / 1000) * 1000 - 3 * 3600_000;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly pending = new Set<Promise<unknown>>();
  private readonly device: MqttClient;

  constructor(
    private readonly apiUrl: () => string,
    mqttUrl: string,
    private readonly http: ManifestGateway,
    private readonly broker: ManifestGateway,
  ) {
    this.device = connect(mqttUrl, {
      protocolVersion: 4,
      clientId: `faults-${broker.serialNumber}`,
      username: broker.serialNumber,
      password: broker.secret,
      clean: false,
      reconnectPeriod: 500,
      connectTimeout: 5000,
    });
    this.device.on('error', () => undefined);
  }

  /** The timestamp of the next batch: ts at or after it were sent after this moment. */
  get nextTs(): number {
    return this.base + (this.seq + 1) * 1000;
  }

  start(): void {
    this.running = true;
    this.loops = [this.loop(() => this.sendRest()), this.loop(() => this.sendMqtt())];
  }

  /** Stops sending and waits (bounded) for answers still outstanding. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
    await Promise.race([Promise.allSettled([...this.pending]), sleep(15_000)]);
  }

  async close(): Promise<void> {
    await this.device.endAsync(true);
  }

  private async loop(send: () => void): Promise<void> {
    while (this.running) {
      send();
      await sleep(SEND_EVERY_MS);
    }
  }

  private batch(gateway: ManifestGateway): { body: string; keys: string[] } {
    const ts = this.base + ++this.seq * 1000;
    const timestamp = new Date(ts).toISOString();
    const readings = gateway.meters.map((meter) => ({
      meter_id: meter.id,
      parameter: 'power_w',
      value: Math.round(Math.random() * 5000),
      unit: 'W',
      timestamp,
    }));
    const body = JSON.stringify({ gateway_serial: gateway.serialNumber, timestamp, readings });
    return { body, keys: gateway.meters.map((meter) => `${meter.id}|${ts}`) };
  }

  private track(work: Promise<unknown>): void {
    this.pending.add(work);
    void work.finally(() => this.pending.delete(work));
  }

  private sendRest(): void {
    const { body, keys } = this.batch(this.http);
    this.rest.sent += keys.length;
    const timestamp = unixSeconds();
    const request = fetch(`${this.apiUrl()}/api/v1/readings/ingest`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Device-ID': this.http.serialNumber,
        'X-Timestamp': timestamp,
        'X-Signature': sign(this.http.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(10_000),
    })
      .then(async (response) => {
        if (response.status !== 202) return;
        const answer = (await response.json()) as { rejected?: { index: number }[] };
        const refused = new Set((answer.rejected ?? []).map((item) => item.index));
        keys.forEach((key, index) => {
          if (!refused.has(index)) this.rest.acked.add(key);
        });
      })
      .catch(() => undefined);
    this.track(request);
  }

  private sendMqtt(): void {
    const { body, keys } = this.batch(this.broker);
    this.mqtt.sent += keys.length;
    // MQTT 3.1.1, as most field routers: the signed envelope (docs/mqtt.md).
    const timestamp = unixSeconds();
    const signature = sign(this.broker.secret, timestamp, body);
    const payload = JSON.stringify({ timestamp, signature, body });
    const topic = `gridwatch/gateways/${this.broker.serialNumber}/readings`;
    const publish = this.device
      .publishAsync(topic, payload, { qos: 1 })
      .then(() => keys.forEach((key) => this.mqtt.acked.add(key)))
      .catch(() => undefined);
    this.track(publish);
  }
}

/** A built app as a real process, logging into the run's directory. */
class App {
  child?: ChildProcess;
  private starts = 0;
  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logPath: string,
    private readonly readyUrl?: string,
  ) {}

  async start(): Promise<void> {
    // One log per life of the process: what a killed one wrote last stays readable.
    const logPath = `${this.logPath}.${++this.starts}.log`;
    if (this.readyUrl) {
      this.child = await startService({
        name: this.name,
        script: this.script,
        env: this.env,
        healthUrl: this.readyUrl,
        logPath,
      });
      return;
    }
    // The worker has no port: it is ready when the queue drains, which the checks wait for.
    const out = createWriteStream(logPath);
    this.child = spawn(process.execPath, [this.script], {
      cwd: WORKSPACE_ROOT,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.pipe(out);
    this.child.stderr?.pipe(out);
  }

  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    if (signal === 'SIGTERM') return stopProcess(child);
    const exited = new Promise((done) => child.once('exit', done));
    child.kill(signal);
    await exited;
  }
}

async function query<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

interface Row {
  fault: string;
  sent: number;
  acknowledged: number;
  stored: number;
  lost: number;
  duplicated: number;
  recoverSeconds: string;
  rollups: string;
}

/** Stops whatever was started, last first, whatever happened. */
async function main(): Promise<number> {
  const cleanups: (() => Promise<unknown>)[] = [];
  try {
    return await runSuite(cleanups);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
  }
}

async function runSuite(cleanups: (() => Promise<unknown>)[]): Promise<number> {
  for (const built of [join(API_DIST, 'main.js'), join(TRANSPORT_DIST, 'main.js')]) {
    try {
      readFileSync(built);
    } catch {
      throw new Error(`${built} is missing: run npx nx run-many -t build -p api transport`);
    }
  }
  const started = Date.now();
  const work = mkdtempSync(join(tmpdir(), 'gridwatch-faults-'));
  chmodSync(work, 0o777);
  // Removed after a green run (unless KEEP_FAULTS_DIR is set); kept for its logs otherwise.
  let remove = false;
  cleanups.push(async () => {
    if (remove) rmSync(work, { recursive: true, force: true });
  });
  const postgres = new PrivatePostgres('postgres', join(work, 'postgres'));
  const redis = new PrivateRedis('redis', join(work, 'redis'));
  const mosquitto = new PrivateMosquitto('mosquitto', join(work, 'mosquitto'));
  log(`work directory ${work}`);
  log('Redis runs as the compose file ships it: appendonly yes, appendfsync everysec, noeviction');
  log(
    'Mosquitto runs as docker/mosquitto/mosquitto-dynsec.conf: persistence true, dynamic security',
  );
  log(
    `one transport, MQTT_SHARE_GROUP=${process.env['FAULTS_SHARE_GROUP'] ?? 'none'} (plain subscriptions; see docs/mqtt.md)`,
  );
  cleanups.push(() => Promise.all([redis.stop(), mosquitto.stop(), postgres.stop('SIGINT')]));
  await Promise.all([postgres.start(), redis.start(), mosquitto.start()]);
  const [port, transportPort] = await Promise.all([freePort(), freePort()]);
  const apiUrl = `http://127.0.0.1:${port}`;
  const manifestPath = join(work, 'demo.json');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: postgres.url,
    DATABASE_CONNECT_TIMEOUT_MS: '2000',
    REDIS_URL: redis.url,
    MQTT_URL: mosquitto.url,
    QUEUE_PREFIX: 'gwfaults',
    DEMO_MANIFEST: manifestPath,
    PORT: String(port),
    TRANSPORT_PORT: String(transportPort),
    TRANSPORT_INSTANCE_ID: 'faults',
    // One transport: plain subscriptions, which Mosquitto 2.0.11 restores after a restart (shared
    // ones it loses, and with them every message until the transport resubscribes: docs/mqtt.md).
    MQTT_SHARE_GROUP: process.env['FAULTS_SHARE_GROUP'] ?? 'none',
    MODBUS_POLLER_ENABLED: 'false',
    INGEST_RETRY_DELAY_MS: '500',
    // Two API processes (api, worker) would both take the default metrics port; the load is
    // steady, not an abuse the device rate limits are there for.
    METRICS_PORT: '0',
    DEMO_PASSWORD: randomBytes(12).toString('base64url'),
    DEVICE_MAX_REQUESTS_PER_IP: '1000000',
    DEVICE_MAX_REQUESTS_PER_DEVICE: '1000000',
    JWT_SECRET: randomBytes(48).toString('base64'),
    CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    MQTT_ADMIN_USERNAME: mosquitto.admin.username,
    MQTT_ADMIN_PASSWORD: mosquitto.admin.password,
    MQTT_USERNAME: 'gridwatch-transport-faults',
    MQTT_PASSWORD: randomBytes(24).toString('base64url'),
  };
  await retry(() => runCli('migrate', env), 'migrate');
  await runCli('seed-demo', env);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as FleetManifest;
  const byProtocol = (protocol: string) => {
    const found = manifest.gateways.find((gateway) => gateway.protocol === protocol);
    if (!found) throw new Error(`the demo has no ${protocol} gateway`);
    return found;
  };
  const httpGateway = byProtocol('http');
  const mqttGateway = byProtocol('mqtt');
  const meterIds = [...httpGateway.meters, ...mqttGateway.meters].map((meter) => meter.id);

  const api = new App(
    'The API',
    join(API_DIST, 'main.js'),
    { ...env, PROCESS_MODE: 'api' },
    join(work, 'api'),
    `${apiUrl}${READY_PATH.api}`,
  );
  const worker = new App(
    'The worker',
    join(API_DIST, 'main.js'),
    { ...env, PROCESS_MODE: 'worker' },
    join(work, 'worker'),
  );
  const transport = new App(
    'The transport',
    join(TRANSPORT_DIST, 'main.js'),
    env,
    join(work, 'transport'),
    `http://127.0.0.1:${transportPort}${READY_PATH.transport}`,
  );
  cleanups.push(() =>
    Promise.all([api.kill('SIGTERM'), worker.kill('SIGTERM'), transport.kill('SIGTERM')]),
  );
  // The API provisions the transport's and the devices' broker accounts before they connect.
  await api.start();
  await Promise.all([worker.start(), transport.start()]);
  const load = new Load(() => apiUrl, mosquitto.url, httpGateway, mqttGateway);

  const restartApps = async (...apps: App[]) => {
    for (const app of apps) await app.start();
  };
  const faults: [string, () => Promise<void>][] = [
    [
      'restart Redis',
      async () => {
        await redis.stop('SIGTERM');
        await sleep(OUTAGE_MS);
        await redis.start();
      },
    ],
    [
      'restart PostgreSQL (immediate)',
      async () => {
        await postgres.stop('SIGQUIT'); // immediate shutdown: crash recovery from the WAL on start
        await sleep(OUTAGE_MS);
        await postgres.start();
      },
    ],
    [
      'restart Mosquitto',
      async () => {
        await mosquitto.stop('SIGTERM');
        await sleep(OUTAGE_MS);
        await mosquitto.start();
      },
    ],
    [
      'SIGKILL the API',
      async () => {
        await api.kill('SIGKILL');
        await restartApps(api);
      },
    ],
    [
      'SIGKILL the worker',
      async () => {
        await worker.kill('SIGKILL');
        await sleep(OUTAGE_MS);
        await restartApps(worker);
      },
    ],
    [
      'SIGKILL the transport',
      async () => {
        await transport.kill('SIGKILL');
        await sleep(OUTAGE_MS);
        await restartApps(transport);
      },
    ],
    [
      'SIGTERM everything',
      async () => {
        await Promise.all([api.kill('SIGTERM'), worker.kill('SIGTERM'), transport.kill('SIGTERM')]);
        // PostgreSQL's SIGTERM waits for every client to leave; SIGINT is its fast shutdown.
        await Promise.all([
          redis.stop('SIGTERM'),
          mosquitto.stop('SIGTERM'),
          postgres.stop('SIGINT'),
        ]);
        await Promise.all([postgres.start(), redis.start(), mosquitto.start()]);
        await restartApps(api, worker, transport);
      },
    ],
  ];

  const rows: Row[] = [];
  let failed = false;
  try {
    for (const [name, inject] of faults) {
      log(`${name}: steady load, then the fault`);
      load.rest = { sent: 0, acked: new Set() };
      load.mqtt = { sent: 0, acked: new Set() };
      load.start();
      await sleep(STEADY_MS);
      const faultAt = Date.now();
      const firstTsAfter = load.nextTs;
      await inject();
      const recovered = await waitForRecovery(postgres.url, httpGateway, mqttGateway, firstTsAfter);
      await sleep(STEADY_MS / 2);
      await load.stop();
      const acked = new Set([...load.rest.acked, ...load.mqtt.acked]);
      const counts = await drained(postgres.url, meterIds, acked);
      const rollups = await rollupMismatches(postgres.url, meterIds);
      const row: Row = {
        fault: name,
        sent: load.rest.sent + load.mqtt.sent,
        acknowledged: acked.size,
        stored: counts.stored,
        lost: counts.lost.length,
        duplicated: counts.duplicated,
        recoverSeconds: ((recovered - faultAt) / 1000).toFixed(1),
        rollups: rollups === 0 ? 'equal' : `${rollups} differ`,
      };
      rows.push(row);
      log(JSON.stringify(row));
      if (counts.lost.length > 0) {
        const overMqtt = counts.lost.filter((key) => load.mqtt.acked.has(key)).length;
        log(`lost: ${overMqtt} sent over MQTT, ${counts.lost.length - overMqtt} over REST`);
        log(`lost (first 10): ${counts.lost.slice(0, 10).join(', ')}`);
      }
      if (row.lost > 0 || row.duplicated > 0 || rollups > 0) failed = true;
    }
  } finally {
    await load.close();
  }
  printTable(rows);
  const took = `took ${Math.round((Date.now() - started) / 1000)} s`;
  if (failed) {
    log(`${took}; logs in ${work}`);
    log('FAILED: an acknowledged reading was lost or stored twice, or a rollup differs');
    return 1;
  }
  remove = !process.env['KEEP_FAULTS_DIR'];
  log(
    `${took}; 0 lost and 0 duplicated after every fault, every rollup equal to its recomputation`,
  );
  return 0;
}

/** When a reading sent after the fault has been stored, over REST and over MQTT alike. */
async function waitForRecovery(
  databaseUrl: string,
  http: ManifestGateway,
  broker: ManifestGateway,
  firstTsAfter: number,
): Promise<number> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  const sql = `SELECT count(*)::int AS n FROM readings WHERE meter_id = ANY($1) AND ts >= $2`;
  const since = new Date(firstTsAfter);
  while (Date.now() < deadline) {
    try {
      const [rest] = await query<{ n: number }>(databaseUrl, sql, [ids(http), since]);
      const [mqtt] = await query<{ n: number }>(databaseUrl, sql, [ids(broker), since]);
      if ((rest?.n ?? 0) > 0 && (mqtt?.n ?? 0) > 0) return Date.now();
    } catch {
      // The database itself may be the fault.
    }
    await sleep(250);
  }
  throw new Error('no reading sent after the fault was stored within the drain timeout');
}

const ids = (gateway: ManifestGateway) => gateway.meters.map((meter) => meter.id);

/** Waits until every acknowledged reading is stored (or the timeout), then counts. */
async function drained(
  databaseUrl: string,
  meterIds: string[],
  acked: Set<string>,
): Promise<{ stored: number; lost: string[]; duplicated: number }> {
  const deadline = Date.now() + DRAIN_TIMEOUT_MS;
  for (;;) {
    const rows = await query<{ key: string; n: number }>(
      databaseUrl,
      `SELECT meter_id || '|' || (extract(epoch FROM ts) * 1000)::bigint AS key, count(*)::int AS n
         FROM readings WHERE meter_id = ANY($1) AND parameter = 'power_w' GROUP BY meter_id, ts`,
      [meterIds],
    );
    const stored = new Map(rows.map((row) => [row.key, row.n]));
    const lost = [...acked].filter((key) => !stored.has(key));
    if (lost.length === 0 || Date.now() > deadline) {
      const duplicated = [...acked].filter((key) => (stored.get(key) ?? 0) > 1).length;
      return { stored: acked.size - lost.length, lost, duplicated };
    }
    await sleep(500);
  }
}

/**
 * Rollup rows (5 min, 1 h) whose count, sum, min or max differ from the raw readings', once the
 * rollup step has folded what is waiting in `rollup_dirty` (rollups lag raw by design; 30 s at
 * most here, then whatever is still unfolded counts as a difference).
 */
async function rollupMismatches(databaseUrl: string, meterIds: string[]): Promise<number> {
  const waitUntil = Date.now() + 30_000;
  while (Date.now() < waitUntil) {
    const [pending] = await query<{ n: number }>(
      databaseUrl,
      'SELECT count(*)::int AS n FROM rollup_dirty WHERE meter_id = ANY($1)',
      [meterIds],
    );
    if ((pending?.n ?? 0) === 0) break;
    await sleep(250);
  }
  let mismatches = 0;
  for (const [table, seconds] of [
    ['reading_rollups_5m', 300],
    ['reading_rollups_1h', 3600],
  ] as const) {
    const [row] = await query<{ n: number }>(
      databaseUrl,
      `WITH raw AS (
         SELECT meter_id, parameter,
                to_timestamp(floor(extract(epoch FROM ts) / ${seconds}) * ${seconds}) AS bucket,
                count(*) FILTER (WHERE quality IN ('good', 'estimated'))::int AS count,
                sum(value) FILTER (WHERE quality IN ('good', 'estimated')) AS sum,
                min(value) FILTER (WHERE quality IN ('good', 'estimated')) AS min,
                max(value) FILTER (WHERE quality IN ('good', 'estimated')) AS max
           FROM readings WHERE meter_id = ANY($1) GROUP BY 1, 2, 3),
       stored AS (SELECT * FROM ${table} WHERE meter_id = ANY($1))
       SELECT count(*)::int AS n FROM raw FULL JOIN stored
           ON stored.meter_id = raw.meter_id AND stored.parameter = raw.parameter
          AND stored.bucket = raw.bucket
        WHERE raw.meter_id IS NULL OR stored.meter_id IS NULL OR stored.count <> raw.count
           OR abs(coalesce(stored.sum, 0) - coalesce(raw.sum, 0)) > 1e-6
           OR stored.min IS DISTINCT FROM raw.min OR stored.max IS DISTINCT FROM raw.max`,
      [meterIds],
    );
    mismatches += row?.n ?? 0;
  }
  return mismatches;
}

async function retry(work: () => Promise<void>, what: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= 20) throw error;
      log(`${what}: ${(error as Error).message.split('\n')[0]}; retrying`);
      await sleep(500);
    }
  }
}

function printTable(rows: Row[]): void {
  const header = [
    'fault',
    'sent',
    'acknowledged',
    'stored',
    'lost',
    'duplicated',
    'time to recover (s)',
    'rollups',
  ];
  const cells = rows.map((row) => [
    row.fault,
    String(row.sent),
    String(row.acknowledged),
    String(row.stored),
    String(row.lost),
    String(row.duplicated),
    row.recoverSeconds,
    row.rollups,
  ]);
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((row) => row[i]?.length ?? 0)),
  );
  const line = (values: string[]) =>
    `| ${values.map((value, i) => value.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(
    ['', line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line), ''].join(
      '\n',
    ),
  );
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
