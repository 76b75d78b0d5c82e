/**
 * REST ingest benchmark: sends --readings readings (default 1,000,000) in batches of --batch
 * (default 1,000) to POST /api/v1/readings/ingest of a private API instance and its own database,
 * then reports request throughput, persisted throughput and request latency. Prints figures;
 * never asserts timings. See tools/bench/README.md.
 *
 *   npx nx build api && node -r ./tools/register.js tools/bench/ingest-rest.ts [--readings 100000]
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Redis from 'ioredis';
import { Client } from 'pg';
import { DEVICE_AUTH_MODES, type DeviceAuthMode } from '../simulators/device-auth';
import {
  INGEST_PATH,
  backoffDelayMs,
  isIngestAnswer,
  postDevice,
  type WireBatch,
  type WireReading,
} from '../simulators/device-client';
import { provisionFleet } from '../simulators/fleet-provisioner';
import { LoadProfile } from '../simulators/load-profile';
import type { FleetManifest, ManifestGateway } from '../simulators/manifest';
import { ManagementClient } from '../simulators/management-client';

const ROOT = resolve(__dirname, '../..');
const API_MAIN = join(ROOT, 'dist/apps/api/main.js');
const API_CLI = join(ROOT, 'dist/apps/api/cli.js');
const TIME_ZONE = 'Europe/London';
const MAX_ATTEMPTS = 10;

const USAGE = `Usage: node -r ./tools/register.js tools/bench/ingest-rest.ts [options]
  --readings N       readings to ingest (default 1000000)
  --batch N          readings per request (default 1000)
  --concurrency N    requests in flight (default 8)
  --meters N         meters of the one benchmark gateway (default 100)
  --hours H          readings are spread over the last H hours (default 6)
  --auth hmac|secret device authentication (default hmac)
  --postgres URL     server to create the benchmark database on (default postgres://postgres@127.0.0.1:5432)
  --stall-timeout S  give up waiting for persistence after S seconds without progress (default 120)
  --keep             keep the database and Redis keys afterwards (the API log is always kept)
  -h, --help`;

interface Options {
  readings: number;
  batch: number;
  concurrency: number;
  meters: number;
  hours: number;
  auth: DeviceAuthMode;
  postgres: string;
  stallTimeoutMs: number;
  keep: boolean;
}

class UsageError extends Error {}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      readings: { type: 'string', default: '1000000' },
      batch: { type: 'string', default: '1000' },
      concurrency: { type: 'string', default: '8' },
      meters: { type: 'string', default: '100' },
      hours: { type: 'string', default: '6' },
      auth: { type: 'string', default: 'hmac' },
      postgres: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432' },
      'stall-timeout': { type: 'string', default: '120' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!DEVICE_AUTH_MODES.includes(values.auth as DeviceAuthMode)) {
    throw new UsageError('--auth must be hmac or secret');
  }
  const hours = positive(values.hours, '--hours');
  if (hours > 6 * 24)
    throw new UsageError('--hours must be under 6 days: older readings are refused');
  return {
    readings: integer(values.readings, '--readings'),
    batch: integer(values.batch, '--batch'),
    concurrency: integer(values.concurrency, '--concurrency'),
    meters: integer(values.meters, '--meters'),
    hours,
    auth: values.auth as DeviceAuthMode,
    postgres: values.postgres.replace(/\/+$/, ''),
    stallTimeoutMs: positive(values['stall-timeout'], '--stall-timeout') * 1000,
    keep: values.keep,
  };
}

function positive(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${name} must be a positive number`);
  return value;
}

function integer(text: string, name: string): number {
  const value = positive(text, name);
  if (!Number.isInteger(value)) throw new UsageError(`${name} must be a whole number`);
  return value;
}

/** A private database, API process and queue prefix, all removed again by `tearDown`. */
class BenchEnvironment {
  readonly id = `gridwatch_bench_${process.pid}`;
  readonly databaseUrl: string;
  readonly logPath = join(ROOT, `.gridwatch/logs/bench-api-${process.pid}.log`);
  readonly owner = {
    email: `bench-${process.pid}@bench.gridwatch.dev`,
    password: randomBytes(18).toString('base64url'),
  };
  api = '';
  // Its own secrets: the CLI seals the devices' secrets with the key the API opens them with.
  private readonly secrets = {
    JWT_SECRET: randomBytes(48).toString('base64'),
    CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  private apiProcess: ChildProcess | null = null;
  private databaseCreated = false;

  constructor(private readonly options: Options) {
    this.databaseUrl = `${options.postgres}/${this.id}`;
  }

  private get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.secrets,
      DATABASE_URL: this.databaseUrl,
      QUEUE_PREFIX: this.id,
      // The benchmark may outlast a default 15-minute access token.
      ACCESS_TOKEN_TTL_SECONDS: '86400',
      // The load comes from one address and a few gateways: device rate limits would cap it.
      DEVICE_MAX_REQUESTS_PER_IP: '10000000',
      DEVICE_MAX_REQUESTS_PER_DEVICE: '10000000',
    };
  }

  async setUp(): Promise<void> {
    if (!existsSync(API_MAIN) || !existsSync(API_CLI)) {
      throw new UsageError(`${API_MAIN} is missing: build the API first (npx nx build api)`);
    }
    await withPostgres(`${this.options.postgres}/postgres`, (db) =>
      db.query(`CREATE DATABASE "${this.id}"`),
    );
    this.databaseCreated = true;
    step(`database ${this.id}`);
    await runCli(['migrate'], this.env);
    await runCli(
      [
        'create-org',
        '--name',
        `Bench ${process.pid}`,
        '--owner-email',
        this.owner.email,
        '--owner-name',
        'Bench Owner',
        '--password',
        this.owner.password,
      ],
      this.env,
    );
    const port = await freePort();
    this.api = `http://127.0.0.1:${port}`;
    mkdirSync(join(ROOT, '.gridwatch/logs'), { recursive: true });
    const log = createWriteStream(this.logPath);
    this.apiProcess = spawn(process.execPath, [API_MAIN], {
      cwd: ROOT,
      env: { ...this.env, PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.apiProcess.stdout?.pipe(log);
    this.apiProcess.stderr?.pipe(log);
    await this.waitForHealth();
    step(`API on ${this.api} (log: ${this.logPath})`);
  }

  async tearDown(): Promise<void> {
    await this.stopApi();
    if (this.options.keep) {
      step(`kept database ${this.databaseUrl} and Redis keys ${this.id}:*`);
      return;
    }
    await removeRedisKeys(`${this.id}:*`).catch((error: Error) =>
      warn(`Redis keys ${this.id}:* not removed: ${error.message}`),
    );
    if (this.databaseCreated) {
      await withPostgres(`${this.options.postgres}/postgres`, (db) =>
        db.query(`DROP DATABASE IF EXISTS "${this.id}" WITH (FORCE)`),
      ).catch((error: Error) => warn(`database ${this.id} not dropped: ${error.message}`));
      step(`dropped database ${this.id}`);
    }
  }

  private async waitForHealth(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.apiProcess?.exitCode !== null) {
        throw new Error(`the API exited with ${this.apiProcess?.exitCode}; see ${this.logPath}`);
      }
      const healthy = await fetch(`${this.api}/api/v1/health`).then(
        (response) => response.ok,
        () => false,
      );
      if (healthy) return;
      await sleep(250);
    }
    throw new Error(`the API did not become healthy within 60 s; see ${this.logPath}`);
  }

  private async stopApi(): Promise<void> {
    const child = this.apiProcess;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** The readings to send: `meters` x parameters x evenly spaced instants of the last `hours`. */
interface ReadingPlan {
  gateway: ManifestGateway;
  profile: LoadProfile;
  total: number;
  batch: number;
  startMs: number;
  stepMs: number;
  instants: number;
}

function planReadings(gateway: ManifestGateway, options: Options): ReadingPlan {
  const profile = new LoadProfile({ seed: 'bench', timeZone: TIME_ZONE });
  const probe = Date.now();
  const perInstant = gateway.meters.reduce(
    (sum, meter) =>
      sum +
      profile.readingsOf(meter, profile.sample(meter, probe), profile.initialCounters(meter, probe))
        .length,
    0,
  );
  const instants = Math.ceil(options.readings / perInstant);
  const windowMs = options.hours * 3_600_000;
  const stepMs = Math.floor(windowMs / instants);
  if (stepMs < 1)
    throw new UsageError(
      `${options.readings} readings do not fit in ${options.hours} h: raise --meters or --hours`,
    );
  // Ends a minute ago: nothing in the future, even with a little clock skew.
  const startMs = Date.now() - 60_000 - instants * stepMs;
  return {
    gateway,
    profile,
    total: options.readings,
    batch: options.batch,
    startMs,
    stepMs,
    instants,
  };
}

/** The planned readings as batches, generated as they are sent; unique per (meter, parameter, ts). */
function* batchesOf(plan: ReadingPlan): Generator<WireBatch> {
  const { gateway, profile } = plan;
  const counters = new Map(
    gateway.meters.map((meter) => [meter.id, profile.initialCounters(meter, plan.startMs)]),
  );
  let readings: WireReading[] = [];
  let produced = 0;
  for (let instant = 0; instant < plan.instants && produced < plan.total; instant += 1) {
    const ms = plan.startMs + instant * plan.stepMs;
    const timestamp = new Date(ms).toISOString();
    for (const meter of gateway.meters) {
      const advanced = profile.advance(
        meter,
        counters.get(meter.id) ?? profile.initialCounters(meter, plan.startMs),
        ms,
      );
      counters.set(meter.id, advanced);
      for (const reading of profile.readingsOf(meter, profile.sample(meter, ms), advanced)) {
        if (produced === plan.total) break;
        readings.push({ meter_id: meter.id, ...reading, timestamp });
        produced += 1;
        if (readings.length === plan.batch) {
          yield {
            gateway_serial: gateway.serialNumber,
            timestamp: readings[0].timestamp as string,
            readings,
          };
          readings = [];
        }
      }
    }
  }
  if (readings.length > 0)
    yield {
      gateway_serial: gateway.serialNumber,
      timestamp: readings[0].timestamp as string,
      readings,
    };
}

interface SendReport {
  requests: number;
  retries: number;
  accepted: number;
  rejected: number;
  failed: number;
  latenciesMs: number[];
  startedAt: number;
  finishedAt: number;
  problems: Map<string, number>;
}

/**
 * Sends every batch with at most `concurrency` requests in flight; retries 429/5xx/network errors,
 * and waits out Retry-After as long as the API keeps answering it.
 */
async function sendAll(api: string, plan: ReadingPlan, options: Options): Promise<SendReport> {
  const batches = batchesOf(plan);
  const report: SendReport = {
    requests: 0,
    retries: 0,
    accepted: 0,
    rejected: 0,
    failed: 0,
    latenciesMs: [],
    startedAt: performance.now(),
    finishedAt: 0,
    problems: new Map(),
  };
  const note = (problem: string): void => {
    report.problems.set(problem, (report.problems.get(problem) ?? 0) + 1);
  };
  const device = { deviceId: plan.gateway.serialNumber, secret: plan.gateway.secret };
  let sent = 0;
  let nextProgress = plan.total / 10;
  const worker = async (): Promise<void> => {
    for (let next = batches.next(); !next.done; next = batches.next()) {
      const batch = next.value;
      for (let attempt = 1; ; attempt += 1) {
        const response = await postDevice({
          api,
          path: INGEST_PATH,
          body: batch,
          device,
          auth: options.auth,
          timeoutMs: 120_000,
        });
        report.requests += 1;
        if (response.outcome === 'ok' && isIngestAnswer(response.body)) {
          report.latenciesMs.push(response.durationMs);
          report.accepted += response.body.accepted;
          report.rejected += response.body.rejected.length;
          for (const rejection of response.body.rejected) note(`rejected: ${rejection.error}`);
          break;
        }
        // Back-pressure (503 + Retry-After) is waited out and the same batch resent, however
        // long it lasts; other failures get MAX_ATTEMPTS tries.
        const pushedBack = response.outcome === 'retry' && response.retryAfterMs !== null;
        if (response.outcome === 'retry' && (pushedBack || attempt < MAX_ATTEMPTS)) {
          report.retries += 1;
          note(`retried: ${response.reason}`);
          await sleep(backoffDelayMs(attempt, response.retryAfterMs));
          continue;
        }
        report.failed += batch.readings.length;
        note(
          response.outcome === 'ok'
            ? `unexpected answer ${JSON.stringify(response.body).slice(0, 200)}`
            : response.reason,
        );
        break;
      }
      sent += batch.readings.length;
      if (sent >= nextProgress) {
        nextProgress += plan.total / 10;
        const seconds = (performance.now() - report.startedAt) / 1000;
        step(
          `sent ${sent}/${plan.total} readings, ${Math.round(report.accepted / seconds)} accepted/s`,
        );
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  report.finishedAt = performance.now();
  return report;
}

interface PersistReport {
  persisted: number;
  /** When the count last grew (performance.now()). */
  reachedAt: number;
  stalled: boolean;
}

/** Polls the readings table until it holds `expected` rows, or stops growing for `stallTimeoutMs`. */
async function waitForPersisted(
  databaseUrl: string,
  expected: number,
  stallTimeoutMs: number,
): Promise<PersistReport> {
  return withPostgres(databaseUrl, async (db) => {
    let persisted = -1;
    let reachedAt = performance.now();
    for (;;) {
      const { rows } = await db.query<{ count: string }>('SELECT count(*) AS count FROM readings');
      const count = Number(rows[0].count);
      const now = performance.now();
      if (count !== persisted) {
        persisted = count;
        reachedAt = now;
      }
      if (count >= expected) return { persisted, reachedAt, stalled: false };
      if (now - reachedAt > stallTimeoutMs) return { persisted, reachedAt, stalled: true };
      await sleep(200);
    }
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function printReport(
  options: Options,
  plan: ReadingPlan,
  sent: SendReport,
  persisted: PersistReport,
): void {
  const latencies = [...sent.latenciesMs].sort((a, b) => a - b);
  const sendSeconds = (sent.finishedAt - sent.startedAt) / 1000;
  const persistSeconds = (persisted.reachedAt - sent.startedAt) / 1000;
  const rate = (count: number, seconds: number): string =>
    `${Math.round(count / seconds).toLocaleString('en-US')} readings/s`;
  const lines = [
    '',
    'GridWatch REST ingest benchmark',
    `  setup        ${plan.total} readings, batches of ${options.batch}, ${plan.gateway.meters.length} meters, ` +
      `${plan.instants} instants ${plan.stepMs} ms apart, concurrency ${options.concurrency}, ${options.auth} auth`,
    `  machine      ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
    `  requests     ${sent.requests} (${sent.retries} retries), latency p50 ${percentile(latencies, 50).toFixed(1)} ms, ` +
      `p95 ${percentile(latencies, 95).toFixed(1)} ms, max ${(latencies.at(-1) ?? NaN).toFixed(1)} ms`,
    `  accepted     ${sent.accepted} readings in ${sendSeconds.toFixed(1)} s = ${rate(sent.accepted, sendSeconds)} (HTTP 202)`,
    `  rejected     ${sent.rejected}, failed ${sent.failed}`,
    `persisted ${persisted.persisted} readings in ${persistSeconds.toFixed(1)} s = ${rate(persisted.persisted, persistSeconds)}` +
      (persisted.stalled ? ` (stopped growing before reaching ${sent.accepted})` : ''),
  ];
  for (const [problem, count] of [...sent.problems].sort((a, b) => b[1] - a[1]).slice(0, 5)) {
    lines.push(`  problem      ${problem} (x${count})`);
  }
  console.log(lines.join('\n'));
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const environment = new BenchEnvironment(options);
  let interrupted = false;
  const interrupt = (): void => {
    if (interrupted) return;
    interrupted = true;
    warn('interrupted: cleaning up');
    void environment.tearDown().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupt);
  process.once('SIGTERM', interrupt);
  try {
    await environment.setUp();
    const client = await ManagementClient.login(
      environment.api,
      environment.owner.email,
      environment.owner.password,
    );
    const fleet: FleetManifest = await provisionFleet(client, {
      gateways: 1,
      metersPerGateway: options.meters,
      timezone: TIME_ZONE,
      label: `B${process.pid}`,
    });
    const plan = planReadings(fleet.gateways[0], options);
    step(`sending ${plan.total} readings to ${environment.api}${INGEST_PATH}`);
    const sent = await sendAll(environment.api, plan, options);
    step(`all requests answered; waiting until ${sent.accepted} readings are persisted`);
    const persisted = await waitForPersisted(
      environment.databaseUrl,
      sent.accepted,
      options.stallTimeoutMs,
    );
    printReport(options, plan, sent, persisted);
    return sent.failed > 0 || persisted.stalled ? 1 : 0;
  } finally {
    if (!interrupted) await environment.tearDown();
  }
}

async function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, [API_CLI, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));
  if (code !== 0) throw new Error(`cli.js ${args[0]} failed (${code}):\n${output}`);
  step(`cli.js ${args[0]}: ${output.trim().split('\n')[0]}`);
}

async function withPostgres<T>(url: string, use: (db: Client) => Promise<T>): Promise<T> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    return await use(db);
  } finally {
    await db.end();
  }
}

async function removeRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(process.env['REDIS_URL'] || 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
  });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

function step(line: string): void {
  console.error(`[bench] ${line}`);
}

function warn(line: string): void {
  console.error(`[bench] WARNING: ${line}`);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof UsageError ? `${error.message}\n\n${USAGE}` : error);
    process.exit(error instanceof UsageError ? 2 : 1);
  },
);
