import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { COUNTER_PARAMETERS, type IngestJob, type QueuedReading } from '@gridwatch/contracts';

const FIVE_MINUTES_MS = 5 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

export interface StoreResult {
  inserted: number;
  duplicates: number;
  /** Meters that sent at least one new reading, with their newest reading time. */
  meters: Map<string, number>;
}

interface Key {
  meterId: string;
  parameter: string;
  bucket: number;
}

/**
 * Raw readings and their exact rollups. One transaction per job: lock the job's meters (so two
 * workers never interleave on a meter), insert with ON CONFLICT DO NOTHING, then recompute every
 * touched 5-minute bucket from raw and every touched hour and site-local day from the 5-minute
 * rollups. Recomputing instead of incrementing makes late, out-of-order and re-delivered
 * readings come out exact, and a job that runs twice changes nothing.
 */
@Injectable()
export class ReadingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  store(job: IngestJob): Promise<StoreResult> {
    return this.db.transaction(async (manager) => {
      const meterIds = [...new Set(job.readings.map((reading) => reading.m))].sort();
      await manager.query(
        'SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM unnest($1::text[]) AS id',
        [meterIds],
      );
      const inserted = await this.insert(manager, job);
      const meters = new Map<string, number>();
      for (const reading of inserted)
        meters.set(reading.m, Math.max(meters.get(reading.m) ?? 0, reading.t));
      if (inserted.length > 0) await this.refreshRollups(manager, inserted);
      await this.recordOutOfRange(manager, job, inserted);
      const result = {
        inserted: inserted.length,
        duplicates: job.readings.length - inserted.length,
        meters,
      };
      // Counted in the same transaction, and only once: a re-delivered job finds it processed.
      await manager.query(
        `UPDATE ingest_batches SET status = 'processed', processed = $2, duplicates = $3, processed_at = now()
         WHERE id = $1 AND status <> 'processed'`,
        [job.batchId, result.inserted, result.duplicates],
      );
      return result;
    });
  }

  private async insert(manager: EntityManager, job: IngestJob): Promise<QueuedReading[]> {
    const r = job.readings;
    const rows = (await manager.query(
      `INSERT INTO readings (meter_id, parameter, ts, value, unit, quality, source, organization_id, gateway_id, batch_id)
       SELECT m, p, to_timestamp(t / 1000.0), v, u, q, $7, $8, $9, $10
       FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[]) AS x(m, p, t, v, u, q)
       ON CONFLICT (meter_id, parameter, ts) DO NOTHING
       RETURNING meter_id, parameter, (extract(epoch FROM ts) * 1000)::float8 AS t`,
      [
        r.map((x) => x.m),
        r.map((x) => x.p),
        r.map((x) => x.t),
        r.map((x) => x.v),
        r.map((x) => x.u),
        r.map((x) => x.q),
        job.source,
        job.organizationId,
        job.gatewayId,
        job.batchId,
      ],
    )) as Array<{ meter_id: string; parameter: QueuedReading['p']; t: number }>;
    return rows.map((row) => ({
      m: row.meter_id,
      p: row.parameter,
      t: Math.round(row.t),
      v: 0,
      u: '',
      q: 'good',
    }));
  }

  /** One open out_of_range issue per meter and parameter, updated while it stays open. */
  private async recordOutOfRange(
    manager: EntityManager,
    job: IngestJob,
    inserted: QueuedReading[],
  ): Promise<void> {
    const fresh = new Set(inserted.map((reading) => `${reading.m}|${reading.p}|${reading.t}`));
    const latest = new Map<string, IngestJob['outOfRange'][number] & { n: number }>();
    for (const reading of job.outOfRange) {
      if (!fresh.has(`${reading.m}|${reading.p}|${reading.t}`)) continue;
      const key = `${reading.m}|${reading.p}`;
      const seen = latest.get(key);
      if (!seen || seen.t < reading.t) latest.set(key, { ...reading, n: (seen?.n ?? 0) + 1 });
      else seen.n += 1;
    }
    for (const issue of latest.values()) {
      const details = {
        lastValue: issue.v,
        lastTs: new Date(issue.t).toISOString(),
        batchId: job.batchId,
      };
      const updated = (await manager.query(
        `UPDATE data_quality_issues
         SET details = details || $4::jsonb || jsonb_build_object('count', coalesce((details->>'count')::int, 0) + $5)
         WHERE meter_id = $1 AND parameter = $2 AND kind = 'out_of_range' AND resolved_at IS NULL AND organization_id = $3
         RETURNING id`,
        [issue.m, issue.p, job.organizationId, JSON.stringify(details), issue.n],
      )) as [unknown[], number];
      if (updated[1] > 0) continue;
      await manager.query(
        `INSERT INTO data_quality_issues (organization_id, meter_id, gateway_id, kind, severity, parameter, message, details)
         VALUES ($1, $2, $3, 'out_of_range', 'warning', $4, $5, $6::jsonb)`,
        [
          job.organizationId,
          issue.m,
          job.gatewayId,
          issue.p,
          `${issue.p} value ${issue.v} is outside the plausible range`,
          JSON.stringify({ ...details, count: issue.n }),
        ],
      );
    }
  }

  private async refreshRollups(manager: EntityManager, inserted: QueuedReading[]): Promise<void> {
    const fiveMinute = new Map<string, Key>();
    const add = (meterId: string, parameter: string, ts: number) => {
      const bucket = Math.floor(ts / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
      fiveMinute.set(`${meterId}|${parameter}|${bucket}`, { meterId, parameter, bucket });
    };
    for (const reading of inserted) add(reading.m, reading.p, reading.t);
    // A counter reading that lands before an existing one changes that one's delta too.
    for (const successor of await this.counterSuccessors(manager, inserted)) {
      add(successor.meterId, successor.parameter, successor.ts);
    }
    const keys = [...fiveMinute.values()];
    await this.recomputeFiveMinute(manager, keys);
    await this.recomputeHourly(manager, keys);
    await this.recomputeDaily(manager, keys);
  }

  private async counterSuccessors(
    manager: EntityManager,
    inserted: QueuedReading[],
  ): Promise<Array<{ meterId: string; parameter: string; ts: number }>> {
    const counters = inserted.filter((reading) => COUNTER_PARAMETERS.includes(reading.p));
    if (counters.length === 0) return [];
    const rows = (await manager.query(
      `SELECT DISTINCT i.m AS meter_id, i.p AS parameter, (extract(epoch FROM n.ts) * 1000)::float8 AS t
       FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS i(m, p, t)
       CROSS JOIN LATERAL (
         SELECT ts FROM readings r
         WHERE r.meter_id = i.m AND r.parameter = i.p AND r.ts > to_timestamp(i.t / 1000.0)
         ORDER BY ts LIMIT 1
       ) n`,
      [counters.map((x) => x.m), counters.map((x) => x.p), counters.map((x) => x.t)],
    )) as Array<{ meter_id: string; parameter: string; t: number }>;
    return rows.map((row) => ({
      meterId: row.meter_id,
      parameter: row.parameter,
      ts: Math.round(row.t),
    }));
  }

  private async recomputeFiveMinute(manager: EntityManager, keys: Key[]): Promise<void> {
    await manager.query(
      `INSERT INTO reading_rollups_5m AS t
         (meter_id, parameter, bucket, organization_id, count, sum, min, max,
          first_ts, first_value, last_ts, last_value, consumption, updated_at)
       SELECT k.m, k.p, k.b, s.organization_id, s.count, s.sum, s.min, s.max,
              s.first_ts, s.first_value, s.last_ts, s.last_value,
              CASE WHEN k.p = ANY($4::text[]) THEN s.consumption END, now()
       FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS u(m, p, ms)
       CROSS JOIN LATERAL (SELECT u.m, u.p, to_timestamp(u.ms / 1000.0) AS b) k
       CROSS JOIN LATERAL (
         SELECT max(w.organization_id::text)::uuid AS organization_id,
                count(*)::int AS count, sum(w.value) AS sum, min(w.value) AS min, max(w.value) AS max,
                min(w.ts) AS first_ts, (array_agg(w.value ORDER BY w.ts))[1] AS first_value,
                max(w.ts) AS last_ts, (array_agg(w.value ORDER BY w.ts DESC))[1] AS last_value,
                coalesce(sum(CASE WHEN w.prev IS NULL THEN 0
                                  WHEN w.value >= w.prev THEN w.value - w.prev
                                  ELSE w.value END), 0) AS consumption
         FROM (
           SELECT x.ts, x.value, x.organization_id, x.inside,
                  lag(x.value) OVER (ORDER BY x.ts) AS prev
           FROM (
             (SELECT r.ts, r.value, r.organization_id, false AS inside FROM readings r
              WHERE r.meter_id = k.m AND r.parameter = k.p AND r.ts < k.b
              ORDER BY r.ts DESC LIMIT 1)
             UNION ALL
             (SELECT r.ts, r.value, r.organization_id, true FROM readings r
              WHERE r.meter_id = k.m AND r.parameter = k.p
                AND r.ts >= k.b AND r.ts < k.b + interval '5 minutes')
           ) x
         ) w
         WHERE w.inside
       ) s
       WHERE s.count > 0
       ON CONFLICT (meter_id, parameter, bucket) DO UPDATE SET
         count = EXCLUDED.count, sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max,
         first_ts = EXCLUDED.first_ts, first_value = EXCLUDED.first_value,
         last_ts = EXCLUDED.last_ts, last_value = EXCLUDED.last_value,
         consumption = EXCLUDED.consumption, updated_at = now()`,
      [
        keys.map((k) => k.meterId),
        keys.map((k) => k.parameter),
        keys.map((k) => k.bucket),
        COUNTER_PARAMETERS,
      ],
    );
  }

  private async recomputeHourly(manager: EntityManager, fiveMinute: Key[]): Promise<void> {
    const hours = uniqueKeys(fiveMinute, (bucket) => Math.floor(bucket / HOUR_MS) * HOUR_MS);
    await manager.query(
      `INSERT INTO reading_rollups_1h AS t
         (meter_id, parameter, bucket, organization_id, count, sum, min, max,
          first_ts, first_value, last_ts, last_value, consumption, updated_at)
       SELECT f.meter_id, f.parameter, k.b, max(f.organization_id::text)::uuid,
              sum(f.count)::int, sum(f.sum), min(f.min), max(f.max),
              min(f.first_ts), (array_agg(f.first_value ORDER BY f.first_ts))[1],
              max(f.last_ts), (array_agg(f.last_value ORDER BY f.last_ts DESC))[1],
              sum(f.consumption), now()
       FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS u(m, p, ms)
       CROSS JOIN LATERAL (SELECT to_timestamp(u.ms / 1000.0) AS b) k
       JOIN reading_rollups_5m f ON f.meter_id = u.m AND f.parameter = u.p
        AND f.bucket >= k.b AND f.bucket < k.b + interval '1 hour'
       GROUP BY f.meter_id, f.parameter, k.b
       ON CONFLICT (meter_id, parameter, bucket) DO UPDATE SET
         count = EXCLUDED.count, sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max,
         first_ts = EXCLUDED.first_ts, first_value = EXCLUDED.first_value,
         last_ts = EXCLUDED.last_ts, last_value = EXCLUDED.last_value,
         consumption = EXCLUDED.consumption, updated_at = now()`,
      [hours.map((k) => k.meterId), hours.map((k) => k.parameter), hours.map((k) => k.bucket)],
    );
  }

  /** Daily rollups by the site's local date: PostgreSQL's zone rules give 23- and 25-hour days. */
  private async recomputeDaily(manager: EntityManager, fiveMinute: Key[]): Promise<void> {
    const pairs = uniqueKeys(fiveMinute, (bucket) => bucket);
    await manager.query(
      `WITH touched AS (
         SELECT DISTINCT u.m, u.p, (to_timestamp(u.ms / 1000.0) AT TIME ZONE s.timezone)::date AS day, s.timezone
         FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS u(m, p, ms)
         JOIN meters me ON me.id = u.m
         JOIN sites s ON s.id = me.site_id
       )
       INSERT INTO reading_rollups_1d AS t
         (meter_id, parameter, day, bucket, organization_id, count, sum, min, max,
          first_ts, first_value, last_ts, last_value, consumption, updated_at)
       SELECT d.m, d.p, d.day, (d.day::timestamp AT TIME ZONE d.timezone), max(f.organization_id::text)::uuid,
              sum(f.count)::int, sum(f.sum), min(f.min), max(f.max),
              min(f.first_ts), (array_agg(f.first_value ORDER BY f.first_ts))[1],
              max(f.last_ts), (array_agg(f.last_value ORDER BY f.last_ts DESC))[1],
              sum(f.consumption), now()
       FROM touched d
       JOIN reading_rollups_5m f ON f.meter_id = d.m AND f.parameter = d.p
        AND f.bucket >= (d.day::timestamp AT TIME ZONE d.timezone)
        AND f.bucket < ((d.day + 1)::timestamp AT TIME ZONE d.timezone)
       GROUP BY d.m, d.p, d.day, d.timezone
       ON CONFLICT (meter_id, parameter, day) DO UPDATE SET
         bucket = EXCLUDED.bucket,
         count = EXCLUDED.count, sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max,
         first_ts = EXCLUDED.first_ts, first_value = EXCLUDED.first_value,
         last_ts = EXCLUDED.last_ts, last_value = EXCLUDED.last_value,
         consumption = EXCLUDED.consumption, updated_at = now()`,
      [pairs.map((k) => k.meterId), pairs.map((k) => k.parameter), pairs.map((k) => k.bucket)],
    );
  }
}

function uniqueKeys(keys: Key[], toBucket: (bucket: number) => number): Key[] {
  const unique = new Map<string, Key>();
  for (const key of keys) {
    const bucket = toBucket(key.bucket);
    unique.set(`${key.meterId}|${key.parameter}|${bucket}`, { ...key, bucket });
  }
  return [...unique.values()];
}
