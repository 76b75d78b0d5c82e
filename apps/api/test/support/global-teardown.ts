import Redis from 'ioredis';
import { dropDatabase, loadConfig } from '@gridwatch/server';

/** Drops this run's database and Redis keys (KEEP_TEST_DB=1 keeps them for a post-mortem). */
export default async function globalTeardown(): Promise<void> {
  if (process.env['KEEP_TEST_DB'] === '1') return;
  const config = loadConfig();
  await dropDatabase(config.databaseUrl);
  const redis = new Redis(config.redisUrl);
  try {
    // Also the `<prefix>_<suffix>` prefixes tests use for queues of their own.
    const keys = await redis.keys(`${config.queuePrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}
