/**
 * The system under test, started from the built apps (dist/) the way a deployment runs them: a
 * private database, one API process (PROCESS_MODE=api), one queue worker (PROCESS_MODE=worker) and
 * the transport, on a queue prefix and MQTT share group of this run's own. `stopServices` and
 * `startServices` swap in a fresh queue prefix between phases, so one phase's backlog never slows
 * the next. `tearDown` stops every child, deletes the run's Redis keys and drops the database; it
 * is safe to call twice and from a signal handler.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { ROOT, freePort, sleep, step, warn, withPostgres } from './common';

const API_MAIN = join(ROOT, 'dist/apps/api/main.js');
const API_CLI = join(ROOT, 'dist/apps/api/cli.js');
const TRANSPORT_MAIN = join(ROOT, 'dist/apps/transport/main.js');
const START_TIMEOUT_MS = 60_000;

export class NotBuiltError extends Error {}

export type Role = 'api' | 'worker' | 'transport';

export interface StackOptions {
  postgres: string;
  redisUrl: string;
  mqttUrl: string;
  keep: boolean;
  /** Extra environment for every service (e.g. INGEST_WORKER_CONCURRENCY). */
  extraEnv?: NodeJS.ProcessEnv;
}

export class BenchStack {
  /** Unique per run: database name, Redis key prefix, MQTT share group and client id. */
  readonly id = `gwbench_${Date.now().toString(36)}_${process.pid}`;
  readonly databaseUrl: string;
  readonly logDir = join(ROOT, '.gridwatch/logs');
  readonly owner = {
    email: `bench-${process.pid}@bench.gridwatch.dev`,
    password: randomBytes(18).toString('base64url'),
  };
  api = '';
  transportUrl = '';
  queuePrefix = '';
  private readonly secrets = {
    JWT_SECRET: randomBytes(48).toString('base64'),
    CREDENTIALS_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  };
  private readonly children = new Map<Role, ChildProcess>();
  private tornDown: Promise<void> | null = null;

  constructor(private readonly options: StackOptions) {
    this.databaseUrl = `${options.postgres}/${this.id}`;
  }

  private env(prefix: string): NodeJS.ProcessEnv {
    return {
      ...process.env,
      ...this.options.extraEnv,
      ...this.secrets,
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.options.redisUrl,
      MQTT_URL: this.options.mqttUrl,
      QUEUE_PREFIX: prefix,
      ACCESS_TOKEN_TTL_SECONDS: '86400',
      // The load comes from one address and a few gateways: device rate limits would cap it.
      DEVICE_MAX_REQUESTS_PER_IP: '10000000',
      DEVICE_MAX_REQUESTS_PER_DEVICE: '10000000',
      // No Modbus gateways exist in the bench database; keep the poller quiet anyway.
      MODBUS_POLLER_ENABLED: 'false',
    };
  }

  /** The pid of a running service (for RSS sampling). */
  pid(role: Role): number | undefined {
    return this.children.get(role)?.pid;
  }

  async setUp(): Promise<void> {
    for (const built of [API_MAIN, API_CLI, TRANSPORT_MAIN]) {
      if (!existsSync(built))
        throw new NotBuiltError(
          `${built} is missing: build first (npx nx run-many -t build -p api transport)`,
        );
    }
    mkdirSync(this.logDir, { recursive: true });
    await withPostgres(`${this.options.postgres}/postgres`, (db) =>
      db.query(`CREATE DATABASE "${this.id}"`),
    );
    step(`database ${this.id}`);
    const env = this.env(`${this.id}_setup`);
    await runCli(['migrate'], env);
    await runCli(
      [
        'create-org',
        '--name',
        `Bench ${this.id}`,
        '--owner-email',
        this.owner.email,
        '--owner-name',
        'Bench Owner',
        '--password',
        this.owner.password,
      ],
      env,
    );
  }

  /** Starts the API, the worker and the transport on queue prefix `<id>_<phase>`. */
  async startServices(phase: string): Promise<void> {
    this.queuePrefix = `${this.id}_${phase}`;
    const env = this.env(this.queuePrefix);
    const [apiPort, transportPort] = await Promise.all([freePort(), freePort()]);
    this.api = `http://127.0.0.1:${apiPort}`;
    this.transportUrl = `http://127.0.0.1:${transportPort}`;
    const workerLog = this.logPath('worker', phase);
    await Promise.all([
      this.spawnService('api', API_MAIN, phase, {
        ...env,
        PORT: String(apiPort),
        PROCESS_MODE: 'api',
      }).then(() => waitForHealth(this, 'api', `${this.api}/api/v1/health`)),
      this.spawnService('worker', API_MAIN, phase, { ...env, PROCESS_MODE: 'worker' }).then(() =>
        waitForLog(this, 'worker', workerLog, 'processing the ingest queue'),
      ),
      this.spawnService('transport', TRANSPORT_MAIN, phase, {
        ...env,
        TRANSPORT_PORT: String(transportPort),
        TRANSPORT_INSTANCE_ID: this.queuePrefix,
        MQTT_SHARE_GROUP: this.queuePrefix,
        MQTT_SESSION_EXPIRY_SECONDS: '30',
      }).then(() => waitForHealth(this, 'transport', `${this.transportUrl}/health`)),
    ]);
    step(
      `${phase}: API ${this.api}, worker, transport ${this.transportUrl} (prefix ${this.queuePrefix})`,
    );
  }

  /** Stops the three services (SIGTERM, SIGKILL after 5 s) and deletes the phase's Redis keys. */
  async stopServices(): Promise<void> {
    await Promise.all([...this.children.values()].map((child) => stopChild(child)));
    this.children.clear();
    if (this.queuePrefix && !this.options.keep) await this.removeRedisKeys(`${this.queuePrefix}:*`);
  }

  exited(role: Role): boolean {
    const child = this.children.get(role);
    return !child || child.exitCode !== null || child.signalCode !== null;
  }

  logPath(role: Role, phase: string): string {
    return join(this.logDir, `${this.id}-${phase}-${role}.log`);
  }

  tearDown(): Promise<void> {
    this.tornDown ??= this.doTearDown();
    return this.tornDown;
  }

  private async doTearDown(): Promise<void> {
    await Promise.all([...this.children.values()].map((child) => stopChild(child)));
    this.children.clear();
    if (this.options.keep) {
      step(`kept database ${this.databaseUrl} and Redis keys ${this.id}_*`);
      return;
    }
    await this.removeRedisKeys(`${this.id}_*`);
    // Even when the bench was interrupted while CREATE DATABASE ran.
    {
      await withPostgres(`${this.options.postgres}/postgres`, (db) =>
        db.query(`DROP DATABASE IF EXISTS "${this.id}" WITH (FORCE)`),
      ).then(
        () => step(`dropped database ${this.id}`),
        (error: Error) => warn(`database ${this.id} not dropped: ${error.message}`),
      );
    }
  }

  private async removeRedisKeys(pattern: string): Promise<void> {
    const redis = new Redis(this.options.redisUrl, { lazyConnect: true, maxRetriesPerRequest: 2 });
    try {
      await redis.connect();
      let cursor = '0';
      let removed = 0;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
        if (keys.length > 0) removed += await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
      step(`deleted ${removed} Redis keys ${pattern}`);
    } catch (error) {
      warn(`Redis keys ${pattern} not removed: ${(error as Error).message}`);
    } finally {
      redis.disconnect();
    }
  }

  private async spawnService(
    role: Role,
    script: string,
    phase: string,
    env: NodeJS.ProcessEnv,
  ): Promise<void> {
    const log = createWriteStream(this.logPath(role, phase));
    const child = spawn(process.execPath, [script], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    // A crash of the bench itself must not leave servers behind.
    const killOnExit = (): void => void child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.off('exit', killOnExit));
    this.children.set(role, child);
  }
}

async function waitForHealth(stack: BenchStack, role: Role, url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (stack.exited(role)) throw new Error(`the ${role} exited while starting`);
    const healthy = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) return;
    await sleep(250);
  }
  throw new Error(`the ${role} did not answer 200 on ${url} within ${START_TIMEOUT_MS / 1000} s`);
}

async function waitForLog(
  stack: BenchStack,
  role: Role,
  path: string,
  text: string,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (stack.exited(role)) throw new Error(`the ${role} exited while starting; see ${path}`);
    if (existsSync(path) && readFileSync(path, 'utf8').includes(text)) return;
    await sleep(250);
  }
  throw new Error(`the ${role} did not log "${text}" within ${START_TIMEOUT_MS / 1000} s`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
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
