import { DateTime } from 'luxon';
import type { GatewayEntity, MeterEntity } from '@gridwatch/server';
import type { DeviceKeys, TestUser } from './factory';
import type { TestApp } from './test-app';
import { waitFor } from './wait';

export interface FixtureReading {
  meter: MeterEntity;
  parameter: 'energy_kwh' | 'power_w';
  ts: number;
  value: number;
}

const UNITS = { energy_kwh: 'kWh', power_w: 'W' } as const;
const BATCH = 5000;

/**
 * Sends readings through the real REST ingest API as the gateway, waits until every batch is
 * processed and until the daily rollups have folded every reading sent.
 */
export async function ingestReadings(
  t: TestApp,
  gateway: GatewayEntity,
  keys: DeviceKeys,
  reader: TestUser,
  readings: FixtureReading[],
): Promise<void> {
  for (let i = 0; i < readings.length; i += BATCH) {
    const body = {
      gateway_serial: gateway.serialNumber,
      timestamp: new Date().toISOString(),
      readings: readings.slice(i, i + BATCH).map((reading) => ({
        meter_id: reading.meter.id,
        parameter: reading.parameter,
        value: reading.value,
        unit: UNITS[reading.parameter],
        timestamp: new Date(reading.ts).toISOString(),
      })),
    };
    const response = await t.http.post('/api/v1/readings/ingest').set(keys.headers()).send(body);
    if (response.status !== 202 || response.body.rejected?.length)
      throw new Error(`ingest refused: ${JSON.stringify(response.body)}`);
    await waitFor(
      async () => {
        const batch = await t.http
          .get(`/api/v1/ingest/batches/${response.body.batch_id}`)
          .set('Authorization', reader.auth);
        return batch.body.status === 'processed' ? true : undefined;
      },
      30000,
      `batch ${response.body.batch_id}`,
    );
  }
  const meterIds = [...new Set(readings.map((reading) => reading.meter.id))];
  await waitFor(
    async () => {
      const [{ folded }] = (await t.db.query(
        `SELECT coalesce(sum(count + excluded_count), 0)::int AS folded FROM reading_rollups_1d
         WHERE meter_id = ANY($1::uuid[]) AND parameter IN ('energy_kwh', 'power_w')`,
        [meterIds],
      )) as Array<{ folded: number }>;
      return folded >= readings.length ? true : undefined;
    },
    30000,
    'rollups of the fixture',
  );
}

/** Readings every `stepMinutes` from `from` (inclusive) to `to` (inclusive), valued by index. */
export function series(
  meter: MeterEntity,
  parameter: FixtureReading['parameter'],
  from: DateTime,
  to: DateTime,
  stepMinutes: number,
  value: (index: number, ts: number) => number,
): FixtureReading[] {
  const readings: FixtureReading[] = [];
  for (let ts = from.toMillis(), i = 0; ts <= to.toMillis(); ts += stepMinutes * 60_000, i++)
    readings.push({ meter, parameter, ts, value: value(i, ts) });
  return readings;
}

/** The most recent local day of a zone, within the past year, lasting `hours` hours (23 or 25). */
export function lastDstDay(zone: string, hours: 23 | 25): DateTime {
  let day = DateTime.now().setZone(zone).startOf('day').minus({ days: 1 });
  for (let i = 0; i < 366; i++, day = day.minus({ days: 1 })) {
    if (day.plus({ days: 1 }).diff(day, 'hours').hours === hours) return day;
  }
  throw new Error(`no ${hours}-hour day in ${zone} this past year`);
}
