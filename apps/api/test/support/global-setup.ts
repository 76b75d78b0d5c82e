import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, migrate } from '@gridwatch/server';

/** Creates and migrates this run's own database; workers inherit the environment set here. */
export default async function globalSetup(): Promise<void> {
  const runId = `${Date.now().toString(36)}_${process.pid}`;
  // Secrets of this run's own: nothing may depend on a secret printed in the source.
  process.env['JWT_SECRET'] = randomBytes(48).toString('base64');
  process.env['CREDENTIALS_ENCRYPTION_KEY'] = randomBytes(32).toString('base64');
  const base = new URL(loadConfig().databaseUrl);
  base.pathname = `/gridwatch_test_${runId}`;
  process.env['NODE_ENV'] = 'test';
  process.env['DATABASE_URL'] = base.toString();
  process.env['QUEUE_PREFIX'] = `gwtest_${runId}`;
  process.env['DATABASE_POOL_SIZE'] ??= '5';
  // Ticket attachments of this run go to a temporary directory, never into the working tree.
  process.env['ATTACHMENTS_DIR'] = mkdtempSync(join(tmpdir(), 'gridwatch-attachments-'));
  // Every test file sends from 127.0.0.1 under one prefix; hardening.int-spec tests the limits.
  process.env['DEVICE_MAX_REQUESTS_PER_IP'] ??= '1000000';
  process.env['DEVICE_MAX_REQUESTS_PER_DEVICE'] ??= '1000000';
  // Tests ingest readings up to a year old (DST days of the year): with the shipped 90-day raw
  // retention, any test app starting meanwhile (partition maintenance runs at start) deleted them
  // from the shared database before they were folded. partitions.int-spec tests retention itself.
  process.env['RAW_RETENTION_DAYS'] ??= '3650';
  await migrate(loadConfig());
}
