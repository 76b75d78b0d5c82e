import { randomUUID } from 'node:crypto';
import { type IngestJob, type Parameter, type QueuedReading } from '@gridwatch/contracts';
import type { MeterEntity } from '@gridwatch/server';
import { ReadingsRepository } from '../src/modules/readings/readings.repository';
import type { MigrationInterface } from 'typeorm';
import { expectRollupsMatchRaw as expectRollupsOf } from './support/rollups';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** Small deterministic PRNG so a failing case can be replayed. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

describe('readings storage and rollups', () => {
  let t: TestApp;
  let repository: ReadingsRepository;

  beforeAll(async () => {
    t = await createTestApp();
    repository = t.app.get(ReadingsRepository);
  });
  afterAll(() => t.close());

  function job(organizationId: string, readings: QueuedReading[]): IngestJob {
    return {
      batchId: randomUUID(),
      organizationId,
      gatewayId: null,
      source: 'http',
      readings,
      outOfRange: [],
    };
  }

  it('stores a repeated reading once and counts the repeat as a duplicate', async () => {
    const org = await t.factory.organization();
    const meter = await t.factory.meter(await t.factory.site(org));
    const reading: QueuedReading = {
      m: meter.id,
      p: 'power_w',
      t: Date.parse('2026-11-20T10:00:00Z'),
      v: 1500,
      u: 'W',
      q: 'good',
    };
    const first = await repository.store(job(org.id, [reading]));
    const second = await repository.store(job(org.id, [reading, { ...reading, v: 999 }]));
    expect(first).toMatchObject({ inserted: 1, duplicates: 0 });
    expect(second).toMatchObject({ inserted: 0, duplicates: 2 });
    const rows = await t.db.query('SELECT value FROM readings WHERE meter_id = $1', [meter.id]);
    expect(rows).toEqual([{ value: 1500 }]);
  });

  it.each([
    [1, 'at the end'],
    [2, 'at the end'],
    [3, 'in small steps between the jobs'],
    [4, 'in small steps between the jobs'],
  ])(
    'random readings of every quality with resets and glitches, shuffled, partly late and re-delivered: every rollup equals a recomputation from raw (seed %i, folded %s)',
    async (seed, folding) => {
      const random = prng(seed);
      const org = await t.factory.organization();
      const london = await t.factory.site(org, { timezone: 'Europe/London' });
      const newYork = await t.factory.site(org, { timezone: 'America/New_York' });
      const meters = [await t.factory.meter(london), await t.factory.meter(newYork)];
      // Around the European DST change (25-hour day on 2026-10-25) to exercise local days.
      const start = Date.parse('2026-10-24T20:00:00Z');
      const readings: QueuedReading[] = [];
      for (const meter of meters) {
        for (const parameter of ['power_w', 'energy_kwh'] as Parameter[]) {
          let counter = 1000 * random();
          for (let i = 0; i < 150; i++) {
            const ts = start + Math.floor(random() * 40 * 3600) * 1000;
            counter += random() * 5;
            if (parameter === 'energy_kwh' && random() < 0.02) counter = random() * 3; // meter reset
            // A glitch: one reading somewhat below the counter, which goes on as before.
            const glitch = parameter === 'energy_kwh' && random() < 0.05;
            const roll = random();
            readings.push({
              m: meter.id,
              p: parameter,
              t: ts,
              v:
                parameter !== 'energy_kwh'
                  ? Math.round(random() * 5000)
                  : glitch
                    ? counter * (0.5 + 0.45 * random())
                    : counter,
              u: parameter === 'energy_kwh' ? 'kWh' : 'W',
              q:
                roll < 0.7
                  ? 'good'
                  : roll < 0.8
                    ? 'estimated'
                    : roll < 0.9
                      ? 'questionable'
                      : 'bad',
            });
          }
        }
      }
      const unique = dedupe(readings);
      const shuffled = shuffle(readings, random);
      const redelivered = [...shuffled, ...shuffled.slice(0, 40)];
      let inserted = 0;
      for (let i = 0; i < redelivered.length;) {
        const size = 1 + Math.floor(random() * 120);
        inserted += (await repository.store(job(org.id, redelivered.slice(i, i + size)))).inserted;
        i += size;
        // Late readings then land between folded ones, and a step takes part of a job's rows.
        if (folding !== 'at the end') await repository.foldStep(1 + Math.floor(random() * 60));
      }
      expect(inserted).toBe(unique.length);
      await repository.foldPending();
      await expectRollupsMatchRaw(meters);
      const [{ excluded }] = await t.db.query(
        'SELECT sum(excluded_count)::int AS excluded FROM reading_rollups_5m WHERE meter_id = ANY($1)',
        [meters.map((meter) => meter.id)],
      );
      expect(excluded).toBeGreaterThan(0);

      // The migration that introduced the quality rule refolds existing rollups from raw alike.
      const runner = t.db.createQueryRunner();
      await runner.startTransaction();
      try {
        const migration = migrationNamed(t, 'RollupQuality1795600000002');
        await migration.down(runner);
        await migration.up(runner);
        await expectRollupsMatchRaw(meters, (sql, parameters) => runner.query(sql, parameters));
      } finally {
        await runner.rollbackTransaction();
        await runner.release();
      }
    },
  );

  it('two workers storing shuffled, re-delivered readings of the same meters concurrently: every rollup equals a recomputation from raw', async () => {
    const second = await createTestApp();
    try {
      const random = prng(7);
      const org = await t.factory.organization();
      const london = await t.factory.site(org, { timezone: 'Europe/London' });
      // Local days that start on the half hour are summed from 5-minute rows, not hours.
      const kolkata = await t.factory.site(org, { timezone: 'Asia/Kolkata' });
      const meters = [await t.factory.meter(london), await t.factory.meter(kolkata)];
      const start = Date.parse('2026-10-24T20:00:00Z');
      const readings: QueuedReading[] = [];
      for (const meter of meters) {
        for (const parameter of ['power_w', 'energy_kwh'] as Parameter[]) {
          let counter = 1000;
          for (let i = 0; i < 300; i++) {
            counter += random() * 5;
            if (parameter === 'energy_kwh' && random() < 0.02) counter = random() * 3;
            readings.push({
              m: meter.id,
              p: parameter,
              t: start + Math.floor(random() * 30 * 3600) * 1000,
              v: parameter === 'energy_kwh' ? counter : Math.round(random() * 5000),
              u: parameter === 'energy_kwh' ? 'kWh' : 'W',
              q: random() < 0.85 ? 'good' : 'bad',
            });
          }
        }
      }
      const shuffled = shuffle(readings, random);
      const jobs: IngestJob[] = [];
      for (let i = 0; i < shuffled.length; i += 40) {
        jobs.push(job(org.id, shuffled.slice(i, i + 40)));
      }
      // Every job twice, as Bull re-delivers, split between the two workers, four in flight,
      // stored in groups of one to three jobs as the processor's group commit takes them (a
      // group may hold a job and its re-delivery); both apps' rollup steps fold meanwhile.
      const queue = shuffle([...jobs, ...jobs], random);
      const workers = [repository, second.app.get(ReadingsRepository)];
      let inserted = 0;
      await Promise.all(
        [0, 1, 2, 3].map(async (lane) => {
          for (;;) {
            const group = queue.splice(0, 1 + Math.floor(random() * 3));
            if (group.length === 0) return;
            const results = await storeAsBullWould(workers[lane % 2] as ReadingsRepository, group);
            for (const result of results) inserted += result.inserted;
          }
        }),
      );
      expect(inserted).toBe(dedupe(readings).length);
      await repository.foldPending();
      await expectRollupsMatchRaw(meters);
    } finally {
      await second.close();
    }
  });

  it('after a burst the rollup step drains the dirty set by itself (the lag: rollup-lag.int-spec.ts)', async () => {
    const org = await t.factory.organization();
    const site = await t.factory.site(org, { timezone: 'America/New_York' });
    const meters: MeterEntity[] = [];
    for (let i = 0; i < 10; i++) meters.push(await t.factory.meter(site));
    const start = Date.parse('2026-11-20T00:00:00Z');
    const jobs: IngestJob[] = [];
    for (let hour = 0; hour < 48; hour++) {
      const readings: QueuedReading[] = [];
      for (const meter of meters) {
        for (let minute = 0; minute < 60; minute += 2) {
          const ts = start + (hour * 60 + minute) * 60_000;
          readings.push({ m: meter.id, p: 'power_w', t: ts, v: minute, u: 'W', q: 'good' });
          readings.push({
            m: meter.id,
            p: 'energy_kwh',
            t: ts,
            v: hour * 60 + minute,
            u: 'kWh',
            q: 'good',
          });
        }
      }
      jobs.push(job(org.id, readings));
    }
    await Promise.all(
      [0, 1].map(async () => {
        for (let next = jobs.shift(); next; next = jobs.shift()) await repository.store(next);
      }),
    );
    await waitFor(
      async () => {
        const [{ n }] = await t.db.query(
          'SELECT count(*)::int AS n FROM rollup_dirty WHERE meter_id = ANY($1)',
          [meters.map((meter) => meter.id)],
        );
        return n === 0 ? true : undefined;
      },
      15000,
      'the dirty set to drain',
    );
    await expectRollupsMatchRaw(meters);
    const [day] = await t.db.query(
      `SELECT sum(consumption)::float8 AS consumption FROM reading_rollups_1d WHERE meter_id = $1`,
      [meters[0]?.id],
    );
    expect(day.consumption).toBe(48 * 60 - 2);
  }, 120_000);

  it.each([
    ['in order, one job each', false],
    ['shuffled in one job', true],
  ])(
    'a counter drop near zero is a reset, a smaller drop a glitch: stored questionable, an issue, left out of consumption (%s)',
    async (_name, together) => {
      const org = await t.factory.organization();
      const meter = await t.factory.meter(await t.factory.site(org));
      const start = Date.parse('2026-11-20T10:00:00Z');
      const values = [100, 105, 95, 110, 2, 4];
      const readings: QueuedReading[] = values.map((v, i) => ({
        m: meter.id,
        p: 'energy_kwh',
        t: start + i * 60_000,
        v,
        u: 'kWh',
        q: 'good',
      }));
      if (together) await repository.store(job(org.id, [...readings].reverse()));
      else for (const reading of readings) await repository.store(job(org.id, [reading]));
      await repository.foldPending();

      const raw = await t.db.query(
        'SELECT value, quality FROM readings WHERE meter_id = $1 ORDER BY ts',
        [meter.id],
      );
      expect(raw.map((row: { quality: string }) => row.quality)).toEqual([
        'good',
        'good',
        'questionable',
        'good',
        'good',
        'good',
      ]);
      const [hour] = await t.db.query(
        'SELECT count, excluded_count, consumption, min, max FROM reading_rollups_1h WHERE meter_id = $1',
        [meter.id],
      );
      // 100 -> 105 -> (95 left out) -> 110 -> reset to 2 -> 4
      expect(hour).toEqual({
        count: 5,
        excluded_count: 1,
        consumption: 5 + 5 + 2 + 2,
        min: 2,
        max: 110,
      });
      const issues = await t.db.query(
        `SELECT kind, parameter, details->>'count' AS count, (details->>'previousValue')::float8 AS previous
         FROM data_quality_issues WHERE meter_id = $1 AND resolved_at IS NULL`,
        [meter.id],
      );
      expect(issues).toEqual([
        { kind: 'counter_glitch', parameter: 'energy_kwh', count: '1', previous: 105 },
      ]);
    },
  );

  it('a counter read days apart: its glitch is judged against, and its consumption counted from, a predecessor more than two days back', async () => {
    const org = await t.factory.organization();
    const meter = await t.factory.meter(await t.factory.site(org, { timezone: 'Europe/Berlin' }));
    const start = Date.parse('2026-11-01T10:00:00Z');
    const day = 86_400_000;
    const reading = (days: number, v: number): QueuedReading => ({
      m: meter.id,
      p: 'energy_kwh',
      t: start + days * day,
      v,
      u: 'kWh',
      q: 'good',
    });
    // 900 after 1010 is a glitch; 1005 arrives late, between 1010 and 1020 (the glitch skipped),
    // whose folded neighbours are 1.5 and 4.5 days away.
    for (const next of [reading(0, 1000), reading(3, 1010), reading(6, 900), reading(9, 1020)]) {
      await repository.store(job(org.id, [next]));
      await repository.foldPending();
    }
    await repository.store(job(org.id, [reading(4.5, 1005)]));
    await repository.foldPending();
    const raw = await t.db.query(
      'SELECT value, quality FROM readings WHERE meter_id = $1 ORDER BY ts',
      [meter.id],
    );
    expect(raw.map((row: { value: number; quality: string }) => [row.value, row.quality])).toEqual([
      [1000, 'good'],
      [1010, 'good'],
      [1005, 'questionable'], // lower than 1010 three days before: a glitch too
      [900, 'questionable'],
      [1020, 'good'],
    ]);
    await expectRollupsMatchRaw([meter]);
    const [{ consumption }] = await t.db.query(
      'SELECT sum(consumption)::float8 AS consumption FROM reading_rollups_1d WHERE meter_id = $1',
      [meter.id],
    );
    expect(consumption).toBe(20);
  });

  it('a bucket holding only questionable or bad readings counts them, with no aggregate', async () => {
    const org = await t.factory.organization();
    const meter = await t.factory.meter(await t.factory.site(org));
    const ts = Date.parse('2026-11-20T12:00:00Z');
    await repository.store(
      job(org.id, [
        { m: meter.id, p: 'power_w', t: ts, v: 9e9, u: 'W', q: 'questionable' },
        { m: meter.id, p: 'power_w', t: ts + 1000, v: 5, u: 'W', q: 'bad' },
      ]),
    );
    await repository.foldPending();
    const [bucket] = await t.db.query(
      'SELECT count, excluded_count, sum, min, max, first_value, last_value FROM reading_rollups_5m WHERE meter_id = $1',
      [meter.id],
    );
    expect(bucket).toEqual({
      count: 0,
      excluded_count: 2,
      sum: 0,
      min: null,
      max: null,
      first_value: null,
      last_value: null,
    });
    await repository.store(
      job(org.id, [{ m: meter.id, p: 'power_w', t: ts + 2000, v: 7, u: 'W', q: 'good' }]),
    );
    await repository.foldPending();
    const [after] = await t.db.query(
      'SELECT count, excluded_count, min, max, first_value, last_value FROM reading_rollups_5m WHERE meter_id = $1',
      [meter.id],
    );
    expect(after).toEqual({
      count: 1,
      excluded_count: 2,
      min: 7,
      max: 7,
      first_value: 7,
      last_value: 7,
    });
  });

  /**
   * A job whose transaction PostgreSQL broke off as a deadlock victim (other test files create
   * triggers and partitions on the readings table meanwhile) is rolled back whole and runs again,
   * as Bull retries it.
   */
  async function storeAsBullWould(worker: ReadingsRepository, group: IngestJob[]) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await worker.storeMany(group);
      } catch (error) {
        const code = (error as { driverError?: { code?: string } }).driverError?.code;
        if (code !== '40P01' || attempt === 5) throw error;
      }
    }
  }

  function expectRollupsMatchRaw(
    meters: MeterEntity[],
    query: (sql: string, parameters: unknown[]) => Promise<unknown> = (sql, parameters) =>
      t.db.query(sql, parameters),
  ): Promise<void> {
    return expectRollupsOf(meters, query);
  }

  function dedupe(readings: QueuedReading[]): QueuedReading[] {
    const seen = new Map<string, QueuedReading>();
    for (const reading of readings) {
      const key = `${reading.m}|${reading.p}|${reading.t}`;
      if (!seen.has(key)) seen.set(key, reading);
    }
    return [...seen.values()];
  }
});

/** A migration as the running app knows it (tests import libraries by their alias only). */
function migrationNamed(t: TestApp, name: string): MigrationInterface {
  const found = t.db.migrations.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no migration ${name}`);
  return found;
}
