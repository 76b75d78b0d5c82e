import { randomUUID } from 'node:crypto';
import {
  COUNTER_PARAMETERS,
  type IngestJob,
  type Parameter,
  type QueuedReading,
} from '@gridwatch/contracts';
import { aggregateOf, localDate } from '@gridwatch/domain';
import type { MeterEntity } from '@gridwatch/server';
import { ReadingsRepository } from '../src/modules/readings/readings.repository';
import { createTestApp, TestApp } from './support/test-app';

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

interface RawRow {
  meter_id: string;
  parameter: Parameter;
  ts: Date;
  value: number;
}

interface RollupRow {
  meter_id: string;
  parameter: string;
  key: string;
  count: number;
  sum: number;
  min: number;
  max: number;
  first_ts: Date;
  first_value: number;
  last_ts: Date;
  last_value: number;
  consumption: number | null;
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

  it.each([1, 2, 3])(
    'random readings, shuffled, partly late and re-delivered: every rollup equals a recomputation from raw (seed %i)',
    async (seed) => {
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
            readings.push({
              m: meter.id,
              p: parameter,
              t: ts,
              v: parameter === 'energy_kwh' ? counter : Math.round(random() * 5000),
              u: parameter === 'energy_kwh' ? 'kWh' : 'W',
              q: 'good',
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
      }
      expect(inserted).toBe(unique.length);
      await expectRollupsMatchRaw(meters);
    },
  );

  function dedupe(readings: QueuedReading[]): QueuedReading[] {
    const seen = new Map<string, QueuedReading>();
    for (const reading of readings) {
      const key = `${reading.m}|${reading.p}|${reading.t}`;
      if (!seen.has(key)) seen.set(key, reading);
    }
    return [...seen.values()];
  }

  async function expectRollupsMatchRaw(meters: MeterEntity[]): Promise<void> {
    const ids = meters.map((meter) => meter.id);
    const raw = (await t.db.query(
      'SELECT meter_id, parameter, ts, value FROM readings WHERE meter_id = ANY($1) ORDER BY ts',
      [ids],
    )) as RawRow[];
    const zones = new Map<string, string>(
      (
        (await t.db.query(
          'SELECT m.id, s.timezone FROM meters m JOIN sites s ON s.id = m.site_id WHERE m.id = ANY($1)',
          [ids],
        )) as Array<{ id: string; timezone: string }>
      ).map((row) => [row.id, row.timezone]),
    );
    const fiveMinutes = (ts: Date) =>
      new Date(Math.floor(ts.getTime() / 300000) * 300000).toISOString();
    const hour = (ts: Date) => new Date(Math.floor(ts.getTime() / 3600000) * 3600000).toISOString();
    const expectations: Array<[string, string, (row: RawRow) => string]> = [
      [
        'reading_rollups_5m',
        'to_char(bucket AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')',
        (row) => fiveMinutes(row.ts),
      ],
      [
        'reading_rollups_1h',
        'to_char(bucket AT TIME ZONE \'UTC\', \'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"\')',
        (row) => hour(row.ts),
      ],
      [
        'reading_rollups_1d',
        "to_char(day, 'YYYY-MM-DD')",
        (row) => localDate(row.ts, zones.get(row.meter_id) as string),
      ],
    ];
    for (const [table, keyExpression, keyOf] of expectations) {
      const stored = (await t.db.query(
        `SELECT meter_id, parameter, ${keyExpression} AS key, count, sum, min, max, first_ts, first_value,
                last_ts, last_value, consumption
         FROM ${table} WHERE meter_id = ANY($1)`,
        [ids],
      )) as RollupRow[];
      const expected = recompute(raw, keyOf);
      expect(stored.length).toBe(expected.size);
      for (const row of stored) {
        const want = expected.get(`${row.meter_id}|${row.parameter}|${row.key}`);
        expect({ table, key: row.key, found: want !== undefined }).toEqual({
          table,
          key: row.key,
          found: true,
        });
        if (!want) continue;
        expect(row.count).toBe(want.count);
        expect(row.sum).toBeCloseTo(want.sum, 6);
        expect(row.min).toBe(want.min);
        expect(row.max).toBe(want.max);
        expect(row.first_ts.getTime()).toBe(want.firstTs.getTime());
        expect(row.first_value).toBe(want.firstValue);
        expect(row.last_ts.getTime()).toBe(want.lastTs.getTime());
        expect(row.last_value).toBe(want.lastValue);
        if (want.consumption === null) expect(row.consumption).toBeNull();
        else expect(row.consumption).toBeCloseTo(want.consumption, 6);
      }
    }
  }

  /** The rollups, computed independently in TypeScript from the raw rows. */
  function recompute(raw: RawRow[], keyOf: (row: RawRow) => string) {
    const groups = new Map<string, RawRow[]>();
    const consumption = new Map<string, number>();
    const previous = new Map<string, number>();
    for (const row of raw) {
      const key = `${row.meter_id}|${row.parameter}|${keyOf(row)}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
      if (!COUNTER_PARAMETERS.includes(row.parameter)) continue;
      const series = `${row.meter_id}|${row.parameter}`;
      const prev = previous.get(series);
      const delta = prev === undefined ? 0 : row.value >= prev ? row.value - prev : row.value;
      consumption.set(key, (consumption.get(key) ?? 0) + delta);
      previous.set(series, row.value);
    }
    const result = new Map<
      string,
      ReturnType<typeof aggregateOf> & object & { consumption: number | null }
    >();
    for (const [key, rows] of groups) {
      const aggregate = aggregateOf(rows.map((row) => ({ ts: row.ts, value: row.value })));
      if (!aggregate) continue;
      result.set(key, { ...aggregate, consumption: consumption.get(key) ?? null });
    }
    return result;
  }
});
