import { randomUUID } from 'node:crypto';
import type { QueuedReading } from '@gridwatch/contracts';
import { dropDatabase, loadConfig, migrate } from '@gridwatch/server';
import { PartitionsService } from '../src/modules/readings/partitions.service';
import { ReadingsRepository } from '../src/modules/readings/readings.repository';
import { createTestApp, TestApp } from './support/test-app';

describe('readings partitions', () => {
  let t: TestApp;
  // A database (and so a queue prefix) of this file's own: other files write readings up to a
  // year back, and any partition maintenance they run creates partitions for those days.
  const config = loadConfig();
  const url = new URL(config.databaseUrl);
  url.pathname = `${url.pathname}_partitions`;
  const databaseUrl = url.toString();

  beforeAll(async () => {
    await migrate({ ...config, databaseUrl });
    t = await createTestApp({
      DATABASE_URL: databaseUrl,
      QUEUE_PREFIX: `${config.queuePrefix}_partitions`,
      // The shipped raw retention, which this file tests (the other files keep readings longer).
      RAW_RETENTION_DAYS: '90',
    });
  });
  afterAll(async () => {
    await t?.close();
    await dropDatabase(databaseUrl);
  });

  const where = async (meterId: string) =>
    (await t.db.query(
      `SELECT tableoid::regclass::text AS partition FROM readings WHERE meter_id = $1`,
      [meterId],
    )) as Array<{
      partition: string;
    }>;

  const partitionOf = (day: number) =>
    `readings_p${new Date(day).toISOString().slice(0, 10).replace(/-/g, '')}`;

  async function unusedDay(): Promise<{ day: number; name: string }> {
    for (let back = 61; back < 89; back++) {
      const day = Math.floor(Date.now() / 86_400_000 - back) * 86_400_000;
      const [{ taken }] = (await t.db.query(`SELECT to_regclass($1) IS NOT NULL AS taken`, [
        partitionOf(day),
      ])) as Array<{ taken: boolean }>;
      if (!taken) return { day, name: partitionOf(day) };
    }
    throw new Error('every candidate day is in use by other tests');
  }

  it('a reading for a day without a partition is kept, moved into the partition once created, then dropped by retention', async () => {
    // A day inside raw retention but outside the partitions kept ready that has no partition yet.
    const { day, name } = await unusedDay();
    const org = await t.factory.organization();
    const meter = await t.factory.meter(await t.factory.site(org));
    const reading: QueuedReading = {
      m: meter.id,
      p: 'power_w',
      t: day + 12 * 3600_000,
      v: 7,
      u: 'W',
      q: 'good',
    };
    const stored = await t.app.get(ReadingsRepository).store({
      batchId: randomUUID(),
      organizationId: org.id,
      gatewayId: null,
      source: 'http',
      readings: [reading],
      outOfRange: [],
    });
    expect(stored.inserted).toBe(1);
    expect(await where(meter.id)).toEqual([{ partition: 'readings_default' }]);

    const partitions = t.app.get(PartitionsService);
    const then = await partitions.maintain(new Date(day + 2 * 86_400_000));
    expect(then.created).toContain(name);
    expect(await where(meter.id)).toEqual([{ partition: name }]);

    // 91 days later the day is past the 90-day raw retention.
    const later = await partitions.maintain(new Date(day + 91 * 86_400_000));
    expect(later.dropped).toContain(name);
    expect(await where(meter.id)).toEqual([]);
  });

  it('keeps partitions ready from the oldest accepted day to a week ahead', async () => {
    await t.app.get(PartitionsService).maintain(new Date());
    const names = (
      (await t.db.query(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
         WHERE i.inhparent = 'readings'::regclass`,
      )) as Array<{ name: string }>
    ).map((row) => row.name);
    const day = (offset: number) =>
      `readings_p${new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replace(/-/g, '')}`;
    expect(names).toEqual(expect.arrayContaining([day(-7), day(0), day(7), 'readings_default']));
  });
});
