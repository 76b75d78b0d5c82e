/**
 * The storage limit of this machine, measured in the same run: the bench's own readings written
 * straight into a scratch table with the readings table's columns and key
 * (meter_id, parameter, ts), by `connections` connections for a fixed time, with no API, queue
 * or processor in between. Two ways: binary COPY (pg-copy-streams; one COPY per connection for
 * the whole window, rows encoded once and their timestamps patched on each replay), the fastest
 * way into PostgreSQL and the figure the others are compared with; and the statement the
 * processor itself uses, INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING in batches of
 * 1,000 (FIELD-NOTES: ~350k rows/s vs ~530k for binary COPY on an idle 2-core machine).
 */
import { Pool, type PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ReadingSource } from './readings';

export const LIMIT_METHOD = 'unnest INSERT ON CONFLICT DO NOTHING, batches of 1,000';
export const COPY_METHOD = 'binary COPY';

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
  return onScratchTable(
    databaseUrl,
    connections,
    'bench_limit',
    source,
    async (pool, batches, spanSeconds) => {
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
    },
  );
}

/**
 * Runs `measure` on a fresh scratch table with the readings table's columns and key, with the
 * replayable batches, and drops the table afterwards.
 */
async function onScratchTable<T>(
  databaseUrl: string,
  connections: number,
  table: string,
  source: ReadingSource,
  measure: (pool: Pool, batches: Columns[], spanSeconds: number) => Promise<T>,
): Promise<T> {
  const pool = new Pool({ connectionString: databaseUrl, max: connections });
  try {
    await pool.query(`DROP TABLE IF EXISTS ${table}`);
    await pool.query(
      `CREATE TABLE ${table} (LIKE readings INCLUDING DEFAULTS, PRIMARY KEY (meter_id, parameter, ts))`,
    );
    const { batches, spanSeconds } = await replayableBatches(pool, source);
    return await measure(pool, batches, spanSeconds);
  } finally {
    await pool.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
    await pool.end();
  }
}

/**
 * 100 batches generated up front, to be replayed shifted by their time span (`spanSeconds` per
 * round): the client's own cost stays small and every key stays unique.
 */
async function replayableBatches(
  pool: Pool,
  source: ReadingSource,
): Promise<{ batches: Columns[]; spanSeconds: number }> {
  const { rows: meters } = await pool.query<{ id: string; org: string; gw: string | null }>(
    'SELECT id, organization_id AS org, gateway_id AS gw FROM meters',
  );
  const owner = new Map(meters.map((meter) => [meter.id, meter]));
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
  return { batches, spanSeconds };
}

/** Binary COPY of the same rows: see the file's comment. */
export async function measureCopyLimit(
  databaseUrl: string,
  source: ReadingSource,
  connections: number,
  durationMs: number,
): Promise<LimitReport> {
  return onScratchTable(
    databaseUrl,
    connections,
    'bench_copy',
    source,
    async (pool, batches, spanSeconds) => {
      const encoded = batches.map(encodeBinary);
      let next = 0;
      let rows = 0;
      const started = performance.now();
      const until = started + durationMs;
      const writer = async (client: PoolClient): Promise<void> => {
        const stream = client.query(
          copyFrom(
            `COPY bench_copy (meter_id, parameter, ts, value, unit, quality, source, organization_id, gateway_id)
           FROM STDIN (FORMAT binary)`,
          ),
        );
        const done = new Promise<void>((resolve, reject) => {
          stream.on('finish', resolve);
          stream.on('error', reject);
        });
        stream.write(COPY_HEADER);
        while (performance.now() < until) {
          const index = next;
          next += 1;
          const batch = encoded[index % encoded.length];
          const shiftUs = BigInt(Math.floor(index / encoded.length) * spanSeconds) * 1_000_000n;
          const bytes = Buffer.from(batch.bytes);
          for (let row = 0; row < batch.tsOffsets.length; row += 1) {
            bytes.writeBigInt64BE(batch.tsMicros[row] + shiftUs, batch.tsOffsets[row]);
          }
          if (!stream.write(bytes)) await new Promise((resolve) => stream.once('drain', resolve));
          rows += batch.tsOffsets.length;
        }
        stream.end(COPY_TRAILER);
        await done;
      };
      const clients = await Promise.all(Array.from({ length: connections }, () => pool.connect()));
      try {
        await Promise.all(clients.map(writer));
      } finally {
        for (const client of clients) client.release();
      }
      const seconds = (performance.now() - started) / 1000;
      const { rows: counted } = await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM bench_copy',
      );
      if (Number(counted[0].n) !== rows) {
        throw new Error(`binary COPY: wrote ${rows} rows, the table holds ${counted[0].n}`);
      }
      return { method: COPY_METHOD, rows, seconds, rowsPerSecond: rows / seconds };
    },
  );
}

/** PGCOPY signature, flags, header extension length (PostgreSQL's COPY binary format). */
const COPY_HEADER = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), Buffer.alloc(8)]);
/** A field count of -1 ends the data. */
const COPY_TRAILER = Buffer.from([0xff, 0xff]);
/** Microseconds from the Unix epoch to PostgreSQL's (2000-01-01T00:00:00Z). */
const PG_EPOCH_US = 946_684_800_000_000n;

interface EncodedBatch {
  bytes: Buffer;
  /** Where each row's timestamp sits in `bytes`, and its value (PostgreSQL microseconds). */
  tsOffsets: number[];
  tsMicros: bigint[];
}

/** The rows of a batch as COPY binary tuples: uuid, text, timestamptz, float8, text x 3, uuid x 2. */
function encodeBinary(columns: Columns): EncodedBatch {
  const parts: Buffer[] = [];
  const tsOffsets: number[] = [];
  const tsMicros: bigint[] = [];
  let length = 0;
  const push = (part: Buffer) => {
    parts.push(part);
    length += part.length;
  };
  const field = (value: Buffer | null) => {
    const size = Buffer.alloc(4);
    size.writeInt32BE(value === null ? -1 : value.length);
    push(size);
    if (value) push(value);
  };
  const uuid = (text: string | null) =>
    text === null ? null : Buffer.from(text.replaceAll('-', ''), 'hex');
  for (let row = 0; row < columns.meterIds.length; row += 1) {
    const count = Buffer.alloc(2);
    count.writeInt16BE(9);
    push(count);
    field(uuid(columns.meterIds[row]));
    field(Buffer.from(columns.parameters[row], 'utf8'));
    const ts = Buffer.alloc(8);
    const micros = BigInt(columns.tsMs[row]) * 1000n - PG_EPOCH_US;
    tsOffsets.push(length + 4);
    tsMicros.push(micros);
    field(ts);
    const value = Buffer.alloc(8);
    value.writeDoubleBE(columns.values[row]);
    field(value);
    field(Buffer.from(columns.units[row], 'utf8'));
    field(Buffer.from(columns.qualities[row], 'utf8'));
    field(Buffer.from('http', 'utf8'));
    field(uuid(columns.organizationIds[row]));
    field(uuid(columns.gatewayIds[row]));
  }
  return { bytes: Buffer.concat(parts, length), tsOffsets, tsMicros };
}
