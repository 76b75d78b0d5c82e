import type { ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import Redis from 'ioredis';
import { connectAsync } from 'mqtt';
import { stopProcess } from './api-server';
import { dropDatabase } from './database';

/** What the global setup started, for the global teardown (both run in jest's main process). */
export interface E2eRun {
  databaseName: string;
  queuePrefix: string;
  workDir: string;
  api: ChildProcess | null;
  transport: ChildProcess | null;
  /** The transport's TRANSPORT_INSTANCE_ID: it leaves its status retained on the shared broker. */
  transportInstanceId: string;
  mqttUrl: string;
  /** What the API (with its in-process worker) and the transport printed, one file each. */
  logPaths: string[];
  /** Every secret the run used, by what it is: none may appear in the logs. */
  secrets: Record<string, string>;
}

const KEY = Symbol.for('gridwatch.e2e.run');
type WithRun = typeof globalThis & { [KEY]?: E2eRun };

export function setRun(run: E2eRun): void {
  (globalThis as WithRun)[KEY] = run;
}

export function takeRun(): E2eRun | undefined {
  const holder = globalThis as WithRun;
  const run = holder[KEY];
  delete holder[KEY];
  return run;
}

/** A JSON Web Token, whoever issued it: a logged access or refresh token. */
const JWT = /eyJ[\w-]{10,}\.eyJ[\w-]{10,}\.[\w-]{10,}/;

/**
 * Issue 10: the logs of a full run contain none of the secrets used. Reads the logs of the
 * processes the run started (after they stopped) and names each secret found, and any JWT (the
 * tokens the specs were issued live in the browser and the test workers; none belongs in a log).
 */
export function secretsInLogs(run: Pick<E2eRun, 'logPaths' | 'secrets'>): string[] {
  const found: string[] = [];
  for (const path of run.logPaths) {
    if (!existsSync(path)) continue;
    const log = readFileSync(path, 'utf8');
    for (const [what, value] of Object.entries(run.secrets)) {
      if (value.length >= 8 && log.includes(value)) found.push(`${what} in ${path}`);
    }
    if (JWT.test(log)) found.push(`a JSON Web Token in ${path}`);
  }
  return found;
}

/**
 * Stops the transport and the API, clears the transport's retained status on the shared broker,
 * then drops the run's database and Redis keys (KEEP_E2E_DB=1 keeps them).
 */
export async function cleanUp(run: E2eRun): Promise<void> {
  await Promise.all([run.transport, run.api].map((child) => child && stopProcess(child)));
  if (run.transport) await clearRetainedStatus(run);
  rmSync(run.workDir, { recursive: true, force: true });
  if (process.env['KEEP_E2E_DB'] === '1') {
    console.log(`\nKept database ${run.databaseName} and Redis keys ${run.queuePrefix}:*`);
    return;
  }
  await dropDatabase(run.databaseName);
  await deleteQueueKeys(run.queuePrefix);
}

async function deleteQueueKeys(prefix: string): Promise<void> {
  const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379', {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
  });
  try {
    await redis.connect();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

/** Best effort: the shared broker would otherwise keep every run's "offline" status for ever. */
async function clearRetainedStatus(run: E2eRun): Promise<void> {
  try {
    const client = await connectAsync(run.mqttUrl, {
      clientId: `gridwatch-e2e-cleanup-${run.transportInstanceId}`,
      protocolVersion: 4,
      clean: true,
      connectTimeout: 5_000,
      reconnectPeriod: 0,
    });
    try {
      await client.publishAsync(`gridwatch/transport/${run.transportInstanceId}/status`, '', {
        qos: 1,
        retain: true,
      });
    } finally {
      await client.endAsync();
    }
  } catch (error) {
    console.warn(`Could not clear the transport's retained status: ${(error as Error).message}`);
  }
}
