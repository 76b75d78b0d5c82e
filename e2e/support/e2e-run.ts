import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import Redis from 'ioredis';
import { stopApi } from './api-server';
import { dropDatabase } from './database';

/** What the global setup started, for the global teardown (both run in jest's main process). */
export interface E2eRun {
  databaseName: string;
  queuePrefix: string;
  workDir: string;
  api: ChildProcess | null;
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

/** Stops the API, then drops the run's database and Redis keys (KEEP_E2E_DB=1 keeps them). */
export async function cleanUp(run: E2eRun): Promise<void> {
  if (run.api) await stopApi(run.api);
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
