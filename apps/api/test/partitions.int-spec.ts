import { randomUUID } from 'node:crypto';
import type { QueuedReading } from '@gridwatch/contracts';
import { PartitionsService } from '../src/modules/readings/partitions.service';
import { ReadingsRepository } from '../src/modules/readings/readings.repository';
import { createTestApp, TestApp } from './support/test-app';

describe('readings partitions', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const where = async (meterId: string) =>
    (await t.db.query(
      `SELECT tableoid::regclass::text AS partition FROM readings WHERE meter_id = $1`,
      [meterId],
    )) as Array<{
      partition: string;
    }>;

  it('a reading for a day without a partition is kept, moved into the partition once created, then dropped by retention', async () => {
    const org = await t.factory.organization();
    const meter = await t.factory.meter(await t.factory.site(org));
    const reading: QueuedReading = {
      m: meter.id,
      p: 'power_w',
      t: Date.parse('2020-01-01T12:00:00Z'),
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
    const early = await partitions.maintain(new Date('2020-01-03T00:00:00Z'));
    expect(early.created).toContain('readings_p20200101');
    expect(await where(meter.id)).toEqual([{ partition: 'readings_p20200101' }]);

    const today = await partitions.maintain(new Date());
    expect(today.dropped).toContain('readings_p20200101');
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
