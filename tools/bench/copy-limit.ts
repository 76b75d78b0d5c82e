/**
 * The storage limit of this machine, measured in the same run: the bench's own readings written
 * straight into a scratch table with the readings table's columns and key
 * (meter_id, parameter, ts), by `connections` connections for a fixed time, with no API, queue
 * or processor in between. pg-copy-streams is not installed, so not COPY but the fastest
 * statement pg offers without it: INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING in
 * batches of 1,000 (FIELD-NOTES: ~350k rows/s vs ~530k for binary COPY on 2 cores).
 */
import { Pool } from 'pg';
import type { ReadingSource } from './readings';

export const LIMIT_METHOD = 'unnest INSERT ON CONFLICT DO NOTHING (no pg-copy-streams)';

export interface LimitReport {
  method: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
}

interface Columns {
  meterIds: string[];
  parameters: string[];
  tsMs: number[];
  values: number[];
  units: string[];
  qualities: string[];
  organizationIds: string[];
  gatewayIds: (string | null)[];
}

const INSERT = `
  INSERT INTO bench_limit (meter_id, parameter, ts, value, unit, quality, source, organization_id, gateway_id)
  SELECT m, p, to_timestamp(t / 1000.0 + $9), v, u, q, 'http', o, g
  FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::uuid[], $8::uuid[])
    AS r (m, p, t, v, u, q, o, g)
  ON CONFLICT DO NOTHING`;

export async function measureLimit(
  databaseUrl: string,
  source: ReadingSource,
  connections: number,
  durationMs: number,
): Promise<LimitReport> {
  const pool = new Pool({ connectionString: databaseUrl, max: connections });
  try {
    await pool.query('DROP TABLE IF EXISTS bench_limit');
    await pool.query(
      'CREATE TABLE bench_limit (LIKE readings INCLUDING DEFAULTS, PRIMARY KEY (meter_id, parameter, ts))',
    );
    const { rows: meters } = await pool.query<{ id: string; org: string; gw: string | null }>(
      'SELECT id, organization_id AS org, gateway_id AS gw FROM meters',
    );
    const owner = new Map(meters.map((meter) => [meter.id, meter]));
    // 100 batches generated up front, then replayed shifted by their time span: the client's
    // own cost stays small and every key stays unique.
    const batches: Columns[] = [];
    let minMs = Infinity;
    let maxMs = -Infinity;
    for (let b = 0; b < 100; b += 1) {
      const { batch } = source.next();
      const columns: Columns = {
        meterIds: [],
        parameters: [],
        tsMs: [],
        values: [],
        units: [],
        qualities: [],
        organizationIds: [],
        gatewayIds: [],
      };
      for (const reading of batch.readings) {
        const ms = Date.parse(reading.timestamp as string);
        minMs = Math.min(minMs, ms);
        maxMs = Math.max(maxMs, ms);
        const meter = owner.get(reading.meter_id);
        columns.meterIds.push(reading.meter_id);
        columns.parameters.push(reading.parameter);
        columns.tsMs.push(ms);
        columns.values.push(reading.value);
        columns.units.push(reading.unit);
        columns.qualities.push(reading.quality);
        columns.organizationIds.push(meter?.org ?? '00000000-0000-0000-0000-000000000000');
        columns.gatewayIds.push(meter?.gw ?? null);
      }
      batches.push(columns);
    }
    const spanSeconds = Math.ceil((maxMs - minMs) / 1000) + 1;
    let next = 0;
    let rows = 0;
    const started = performance.now();
    const until = started + durationMs;
    const writer = async (): Promise<void> => {
      while (performance.now() < until) {
        const index = next;
        next += 1;
        const columns = batches[index % batches.length];
        const offset = Math.floor(index / batches.length) * spanSeconds;
        const result = await pool.query(INSERT, [
          columns.meterIds,
          columns.parameters,
          columns.tsMs,
          columns.values,
          columns.units,
          columns.qualities,
          columns.organizationIds,
          columns.gatewayIds,
          offset,
        ]);
        rows += result.rowCount ?? 0;
      }
    };
    await Promise.all(Array.from({ length: connections }, writer));
    const seconds = (performance.now() - started) / 1000;
    return { method: LIMIT_METHOD, rows, seconds, rowsPerSecond: rows / seconds };
  } finally {
    await pool.query('DROP TABLE IF EXISTS bench_limit').catch(() => undefined);
    await pool.end();
  }
}
