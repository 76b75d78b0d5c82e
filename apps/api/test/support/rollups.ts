import { COUNTER_PARAMETERS, type Parameter, type Quality } from '@gridwatch/contracts';
import { aggregateOf, localDate } from '@gridwatch/domain';
import type { MeterEntity } from '@gridwatch/server';

/*
 * The rollup property: every stored 5-minute, hourly and site-local daily rollup of the meters
 * equals what a recomputation from their raw readings gives (and none is missing or extra).
 */

interface RawRow {
  meter_id: string;
  parameter: Parameter;
  ts: Date;
  value: number;
  quality: Quality;
}

interface RollupRow {
  meter_id: string;
  parameter: string;
  key: string;
  count: number;
  excluded_count: number;
  sum: number;
  min: number | null;
  max: number | null;
  first_ts: Date | null;
  first_value: number | null;
  last_ts: Date | null;
  last_value: number | null;
  consumption: number | null;
}

/** The rule, written here independently: a drop below 10 % is a reset, a smaller one a glitch. */
const RESET_FRACTION = 0.1;
const FOLDED: readonly Quality[] = ['good', 'estimated'];

export async function expectRollupsMatchRaw(
  meters: Array<Pick<MeterEntity, 'id'>>,
  query: (sql: string, parameters: unknown[]) => Promise<unknown>,
): Promise<void> {
  const ids = meters.map((meter) => meter.id);
  const raw = (await query(
    'SELECT meter_id, parameter, ts, value, quality FROM readings WHERE meter_id = ANY($1) ORDER BY ts',
    [ids],
  )) as RawRow[];
  const zones = new Map<string, string>(
    (
      (await query(
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
    const stored = (await query(
      `SELECT meter_id, parameter, ${keyExpression} AS key, count, excluded_count, sum, min, max,
              first_ts, first_value, last_ts, last_value, consumption
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
      expect({ count: row.count, excluded: row.excluded_count }).toEqual({
        count: want.aggregate?.count ?? 0,
        excluded: want.excluded,
      });
      expect(row.sum).toBeCloseTo(want.aggregate?.sum ?? 0, 6);
      expect(row.min).toBe(want.aggregate?.min ?? null);
      expect(row.max).toBe(want.aggregate?.max ?? null);
      expect(row.first_ts?.getTime() ?? null).toBe(want.aggregate?.firstTs.getTime() ?? null);
      expect(row.first_value).toBe(want.aggregate?.firstValue ?? null);
      expect(row.last_ts?.getTime() ?? null).toBe(want.aggregate?.lastTs.getTime() ?? null);
      expect(row.last_value).toBe(want.aggregate?.lastValue ?? null);
      if (want.consumption === null) expect(row.consumption).toBeNull();
      else expect(row.consumption).toBeCloseTo(want.consumption, 6);
    }
  }
}

/**
 * The rollups, computed independently in TypeScript from the raw rows: good and estimated
 * readings folded, the others counted apart; counter steps between folded readings.
 */
function recompute(raw: RawRow[], keyOf: (row: RawRow) => string) {
  const groups = new Map<string, RawRow[]>();
  const consumption = new Map<string, number>();
  const previous = new Map<string, number>();
  for (const row of raw) {
    const key = `${row.meter_id}|${row.parameter}|${keyOf(row)}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
    if (!COUNTER_PARAMETERS.includes(row.parameter)) continue;
    consumption.set(key, consumption.get(key) ?? 0);
    if (!FOLDED.includes(row.quality)) continue;
    const series = `${row.meter_id}|${row.parameter}`;
    const prev = previous.get(series);
    const delta =
      prev === undefined
        ? 0
        : row.value >= prev
          ? row.value - prev
          : row.value < prev * RESET_FRACTION
            ? row.value
            : 0;
    consumption.set(key, (consumption.get(key) ?? 0) + delta);
    previous.set(series, row.value);
  }
  const result = new Map<
    string,
    { aggregate: ReturnType<typeof aggregateOf>; excluded: number; consumption: number | null }
  >();
  for (const [key, rows] of groups) {
    const folded = rows.filter((row) => FOLDED.includes(row.quality));
    result.set(key, {
      aggregate: aggregateOf(folded.map((row) => ({ ts: row.ts, value: row.value }))),
      excluded: rows.length - folded.length,
      consumption: consumption.get(key) ?? null,
    });
  }
  return result;
}
