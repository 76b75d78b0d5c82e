import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  COUNTER_PARAMETERS,
  IngestErrorCode,
  MAX_LISTED_FAILURES,
  Quality,
  type BatchFailure,
  type BatchStatus,
  type IngestJob,
  type QueuedReading,
} from '@gridwatch/contracts';
import { counterStep } from '@gridwatch/domain';
import { APP_CONFIG, AppConfig, DataQualityIssuesRepository } from '@gridwatch/server';

export interface StoreResult {
  inserted: number;
  duplicates: number;
  /** The job's readings that were new (not repeats), as stored. */
  readings: QueuedReading[];
  /** Readings the database refused, parked in the batch with their reason. */
  failed: BatchFailure[];
}

/** A 5-minute bucket the rollup step merged, with the counter readings it newly folded. */
interface FoldedBucket {
  m: string;
  p: QueuedReading['p'];
  bucket: number;
  folded: number;
  rows: number;
  /** Counters only: the folded readings of this step in the bucket (epoch ms, values), by time. */
  new_ts: number[] | null;
  new_values: number[];
}

type CounterReading = Pick<QueuedReading, 'm' | 'p' | 't' | 'v'>;

interface TimedPoint {
  t: number;
  v: number;
}

/**
 * Raw readings and their exact rollups. A job stores its readings at bulk speed in one
 * transaction, without per-meter locks: insert with ON CONFLICT DO NOTHING (a repeat is a no-op),
 * and append a copy of exactly the rows it inserted to `rollup_dirty`, in the same statement. The
 * rollup step (`foldStep`, one at a time across all processes) takes a batch of those rows and
 * merges them into the 5-minute, hourly (UTC) and site-local daily rollups (count, sum, min, max,
 * first, last: mergeable), deleting them in the same transaction, so each stored reading is
 * folded exactly once whatever arrives late, out of order or twice. Counter consumption depends on
 * each reading's predecessor, so the step adds, for each newly folded counter reading, its own
 * step and the change to its successor's (a late reading splits a step in two), found by key
 * look-ups of its folded neighbours (foldConsumption). The step's work grows with what arrived,
 * never with what is already stored, not even with what a live bucket already holds.
 *
 * A reading the database refuses (a data or constraint error) does not sink its job: the job's
 * readings are stored under a savepoint, and a refused part is split in halves until the refused
 * readings are alone; those are parked in the batch, the others stored, all in one transaction.
 * Any other error (connection, deadlock) fails the job, which Bull retries whole.
 */
@Injectable()
export class ReadingsRepository {
  private readonly resetFraction: number;
  /** Dirty rows one rollup step takes at most. */
  readonly foldBatch = FOLD_BATCH;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly issues: DataQualityIssuesRepository,
  ) {
    this.resetFraction = config.counterResetFraction;
  }

  /** Stores one job: see storeMany. */
  async store(job: IngestJob): Promise<StoreResult> {
    const [result] = await this.storeMany([job]);
    return result;
  }

  /**
   * Stores several jobs in one transaction (a group commit: one insert, one batch update and one
   * commit for all of them) and answers each job's result in order. A reading the database
   * refuses rolls the group back, and each job is then stored on its own, where the refused
   * readings are isolated and parked; any other error fails every job of the group.
   */
  async storeMany(jobs: readonly IngestJob[]): Promise<StoreResult[]> {
    if (jobs.length === 0) return [];
    try {
      return await this.db.transaction((manager) => this.storeJobs(manager, jobs));
    } catch (error) {
      if (jobs.length === 1 || !isRefusedData(error)) throw error;
      const results: StoreResult[] = [];
      for (const job of jobs) results.push(await this.store(job));
      return results;
    }
  }

  private async storeJobs(
    manager: EntityManager,
    jobs: readonly IngestJob[],
  ): Promise<StoreResult[]> {
    const rows: Row[] = [];
    jobs.forEach((job, index) => {
      assertIngestJob(job);
      for (const reading of job.readings) rows.push({ ...reading, b: index });
    });
    // A single job isolates its refused readings; a group leaves that to its jobs on their own.
    const outcome =
      jobs.length === 1
        ? await this.storeIsolating(manager, jobs, rows)
        : { readings: await this.storePart(manager, jobs, rows), failed: [] };
    const results = jobs.map((): StoreResult => ({
      inserted: 0,
      duplicates: 0,
      readings: [],
      failed: [],
    }));
    for (const { b, ...reading } of outcome.readings) results[b].readings.push(reading);
    for (const { b, failure } of outcome.failed) results[b].failed.push(failure);
    jobs.forEach((job, index) => {
      const result = results[index];
      result.inserted = result.readings.length;
      result.duplicates = job.readings.length - result.inserted - result.failed.length;
    });
    await this.recordBatches(manager, jobs, results);
    return results;
  }

  /** Counted in the store's transaction, and only once: a re-delivered job finds it done. */
  private async recordBatches(
    manager: EntityManager,
    jobs: readonly IngestJob[],
    results: readonly StoreResult[],
  ): Promise<void> {
    const status = (result: StoreResult): BatchStatus =>
      result.failed.length === 0
        ? 'processed'
        : result.inserted + result.duplicates > 0
          ? 'partial'
          : 'failed';
    await manager.query(
      `UPDATE ingest_batches b SET status = u.status, processed = u.processed,
         duplicates = u.duplicates, failed = u.failed, failures = u.failures::jsonb,
         processed_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::int[], $6::text[])
         AS u(id, status, processed, duplicates, failed, failures)
       WHERE b.id = u.id AND b.status = 'queued'`,
      [
        jobs.map((job) => job.batchId),
        results.map(status),
        results.map((result) => result.inserted),
        results.map((result) => result.duplicates),
        results.map((result) => result.failed.length),
        results.map((result) => JSON.stringify(result.failed.slice(0, MAX_LISTED_FAILURES))),
      ],
    );
  }

  /** A job that failed every attempt: nothing of it was stored; the batch says why. */
  async markBatchFailed(batchId: string, error: string): Promise<void> {
    await this.db.query(
      `UPDATE ingest_batches SET status = 'failed', failed = accepted, error = $2
       WHERE id = $1 AND status = 'queued'`,
      [batchId, error.slice(0, 500)],
    );
  }

  private async storeIsolating(
    manager: EntityManager,
    jobs: readonly IngestJob[],
    rows: Row[],
  ): Promise<{ readings: Row[]; failed: Array<{ b: number; failure: BatchFailure }> }> {
    if (rows.length === 0) return { readings: [], failed: [] };
    await manager.query('SAVEPOINT store_part');
    try {
      const stored = await this.storePart(manager, jobs, rows);
      await manager.query('RELEASE SAVEPOINT store_part');
      return { readings: stored, failed: [] };
    } catch (error) {
      if (!isRefusedData(error)) throw error;
      await manager.query('ROLLBACK TO SAVEPOINT store_part');
      await manager.query('RELEASE SAVEPOINT store_part');
      if (rows.length === 1) {
        const [{ b, ...reading }] = rows;
        return { readings: [], failed: [{ b, failure: parked(reading, error) }] };
      }
      const middle = Math.ceil(rows.length / 2);
      const first = await this.storeIsolating(manager, jobs, rows.slice(0, middle));
      const second = await this.storeIsolating(manager, jobs, rows.slice(middle));
      return {
        readings: [...first.readings, ...second.readings],
        failed: [...first.failed, ...second.failed],
      };
    }
  }

  /**
   * Stores `rows` of the jobs and marks their buckets for the rollup step; returns the new ones
   * as stored. A counter glitch is stored questionable, so that rollups leave it out.
   */
  private async storePart(
    manager: EntityManager,
    jobs: readonly IngestJob[],
    rows: Row[],
  ): Promise<Row[]> {
    const { checked, glitches } = await this.flagCounterGlitches(manager, rows);
    const fresh = await this.insert(manager, jobs, checked);
    // Each inserted row is credited to one row of the group, even where a job holds a reading
    // twice or a re-delivered job sits in the group beside itself.
    const owners = new Map<string, Row>();
    for (const row of checked) {
      const key = `${jobs[row.b].batchId}|${readingKey(row)}`;
      if (fresh.has(key) && !owners.has(key)) owners.set(key, row);
    }
    const isFresh = (b: number, reading: Pick<QueuedReading, 'm' | 'p' | 't'>) =>
      owners.get(`${jobs[b].batchId}|${readingKey(reading)}`)?.b === b;
    const inserted = checked.filter(
      (row) => owners.get(`${jobs[row.b].batchId}|${readingKey(row)}`) === row,
    );
    const sightings: JobSighting[] = [];
    jobs.forEach((job, b) => {
      for (const reading of job.outOfRange) {
        if (isFresh(b, reading)) sightings.push({ ...outOfRangeSighting(reading), b });
      }
    });
    for (const glitch of glitches) {
      if (isFresh(glitch.reading.b, glitch.reading)) {
        sightings.push({ ...glitchSighting(glitch), b: glitch.reading.b });
      }
    }
    await this.recordIssues(manager, jobs, sightings);
    return inserted;
  }

  /**
   * Inserts in key order, so that two transactions holding the same readings wait on each other
   * instead of deadlocking, and hands exactly the inserted rows to the rollup step
   * (`rollup_dirty`); returns `<batch id>|<reading key>` of the readings that were new.
   */
  private async insert(
    manager: EntityManager,
    jobs: readonly IngestJob[],
    r: Row[],
  ): Promise<Set<string>> {
    const rows = (await manager.query(
      `WITH inserted AS (
         INSERT INTO readings (meter_id, parameter, ts, value, unit, quality, source, organization_id, gateway_id, batch_id)
         SELECT m, p, to_timestamp(t / 1000.0), v, u, q, ($8::text[])[b], ($9::uuid[])[b], ($10::uuid[])[b], ($11::uuid[])[b]
         FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[], $7::int[]) AS x(m, p, t, v, u, q, b)
         ORDER BY m, p, t
         ON CONFLICT (meter_id, parameter, ts) DO NOTHING
         RETURNING meter_id, parameter, ts, value, quality, batch_id
       ), dirty AS (
         INSERT INTO rollup_dirty (meter_id, parameter, ts, value, quality)
         SELECT meter_id, parameter, ts, value, quality FROM inserted
       )
       SELECT meter_id, parameter, (extract(epoch FROM ts) * 1000)::float8 AS t, batch_id FROM inserted`,
      [
        r.map((x) => x.m),
        r.map((x) => x.p),
        r.map((x) => x.t),
        r.map((x) => x.v),
        r.map((x) => x.u),
        r.map((x) => x.q),
        // PostgreSQL arrays count from 1.
        r.map((x) => x.b + 1),
        jobs.map((job) => job.source),
        jobs.map((job) => job.organizationId),
        jobs.map((job) => job.gatewayId),
        jobs.map((job) => job.batchId),
      ],
    )) as Array<{ meter_id: string; parameter: QueuedReading['p']; t: number; batch_id: string }>;
    return new Set(
      rows.map(
        (row) =>
          `${row.batch_id}|${readingKey({ m: row.meter_id, p: row.parameter, t: Math.round(row.t) })}`,
      ),
    );
  }

  /**
   * A counter reading that drops below its predecessor (the latest folded reading before it,
   * stored or earlier in this group of jobs), but not near zero, is a glitch (counterStep): it is marked
   * questionable. Judged against what is known when it arrives; rollups follow the stored quality.
   */
  private async flagCounterGlitches(
    manager: EntityManager,
    readings: Row[],
  ): Promise<{ checked: Row[]; glitches: Glitch[] }> {
    const counters = readings
      .filter((reading) => COUNTER_PARAMETERS.includes(reading.p) && isFolded(reading.q))
      .sort((a, b) => a.t - b.t);
    if (counters.length === 0) return { checked: readings, glitches: [] };
    const stored = await this.foldedPredecessors(manager, counters);
    const lastInJob = new Map<string, { t: number; v: number }>();
    const glitches: Glitch[] = [];
    for (const reading of counters) {
      const series = `${reading.m}|${reading.p}`;
      const candidates = [stored.get(readingKey(reading)), lastInJob.get(series)];
      const previous = candidates.reduce<{ t: number; v: number } | undefined>(
        (latest, candidate) =>
          candidate && (!latest || candidate.t > latest.t) ? candidate : latest,
        undefined,
      );
      if (previous && counterStep(previous.v, reading.v, this.resetFraction).kind === 'glitch') {
        glitches.push({ reading, previous: previous.v });
        continue;
      }
      lastInJob.set(series, { t: reading.t, v: reading.v });
    }
    if (glitches.length === 0) return { checked: readings, glitches };
    const flagged = new Set(glitches.map((glitch) => readingKey(glitch.reading)));
    return {
      checked: readings.map((reading) =>
        flagged.has(readingKey(reading)) ? { ...reading, q: Quality.Questionable } : reading,
      ),
      glitches,
    };
  }

  /**
   * For each reading, the latest stored reading before it that rollups fold, by reading key.
   * Looked for within two days first (run-time partition pruning leaves two or three daily
   * partitions instead of every one before the reading), without bound only where none is there.
   */
  private async foldedPredecessors(
    manager: EntityManager,
    readings: QueuedReading[],
  ): Promise<Map<string, { t: number; v: number }>> {
    const rows = (await manager.query(
      `SELECT i.m AS meter_id, i.p AS parameter, i.t,
              (extract(epoch FROM coalesce(p1.ts, p2.ts)) * 1000)::float8 AS prev_t,
              coalesce(p1.value, p2.value) AS value
       FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS i(m, p, t)
       CROSS JOIN LATERAL (SELECT to_timestamp(i.t / 1000.0) AS ts) k
       LEFT JOIN LATERAL (
         SELECT r.ts, r.value FROM readings r
         WHERE r.meter_id = i.m AND r.parameter = i.p AND r.ts < k.ts
           AND r.ts >= k.ts - interval '2 days' AND r.quality = ANY($4::text[])
         ORDER BY r.ts DESC LIMIT 1
       ) p1 ON true
       LEFT JOIN LATERAL (
         SELECT r.ts, r.value FROM readings r
         WHERE p1.ts IS NULL AND r.meter_id = i.m AND r.parameter = i.p
           AND r.ts < k.ts - interval '2 days' AND r.quality = ANY($4::text[])
         ORDER BY r.ts DESC LIMIT 1
       ) p2 ON true
       WHERE coalesce(p1.ts, p2.ts) IS NOT NULL`,
      [readings.map((x) => x.m), readings.map((x) => x.p), readings.map((x) => x.t), FOLDED],
    )) as Array<{ meter_id: string; parameter: string; t: number; prev_t: number; value: number }>;
    return new Map(
      rows.map((row) => [
        `${row.meter_id}|${row.parameter}|${row.t}`,
        { t: Math.round(row.prev_t), v: row.value },
      ]),
    );
  }

  /**
   * Reports each meter's and parameter's sightings as one, with their count, under the job of the
   * latest sighting.
   */
  private async recordIssues(
    manager: EntityManager,
    jobs: readonly IngestJob[],
    sightings: JobSighting[],
  ): Promise<void> {
    const latest = new Map<string, JobSighting & { n: number }>();
    for (const sighting of sightings) {
      const key = `${sighting.kind}|${sighting.m}|${sighting.p}`;
      const seen = latest.get(key);
      if (!seen || seen.t < sighting.t) latest.set(key, { ...sighting, n: (seen?.n ?? 0) + 1 });
      else seen.n += 1;
    }
    // In key order, so that concurrent jobs reporting on the same meters cannot deadlock.
    const ordered = [...latest].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [, issue] of ordered) {
      const job = jobs[issue.b];
      await this.issues.report(
        {
          organizationId: job.organizationId,
          meterId: issue.m,
          gatewayId: job.gatewayId,
          kind: issue.kind,
          severity: 'warning',
          parameter: issue.p,
          message: issue.message,
          details: {
            ...issue.details,
            lastValue: issue.v,
            lastTs: new Date(issue.t).toISOString(),
            batchId: job.batchId,
          },
          occurrences: issue.n,
        },
        manager,
      );
    }
  }

  /**
   * Runs rollup steps until no committed dirty row is left (waiting while another process holds
   * the step); returns how many rows it folded. For tests and tools that need rollups now.
   */
  async foldPending(limit = FOLD_BATCH): Promise<number> {
    let total = 0;
    for (;;) {
      const taken = await this.foldStep(limit);
      if (taken === 0) return total;
      if (taken === null) await new Promise((resolve) => setTimeout(resolve, 20));
      else total += taken;
    }
  }

  /**
   * One rollup step: unless another process runs one (then null), takes up to `limit` dirty rows,
   * merges them into the three rollup tables and recomputes the consumption of their counter
   * buckets, all in one transaction: a step that fails leaves its rows dirty. Returns the rows
   * folded. The rows never leave the database: one statement takes them, aggregates them per
   * 5-minute bucket and merges those partial aggregates into the 5-minute rollups and, summed
   * again, into the hours and the site-local days (5-minute buckets nest in both: every zone's
   * offset is a multiple of five minutes); only the buckets come back, for the counters.
   */
  foldStep(limit = FOLD_BATCH): Promise<number | null> {
    return this.db.transaction(async (manager) => {
      const [{ locked }] = (await manager.query(
        `SELECT pg_try_advisory_xact_lock(hashtextextended('gridwatch.rollup_step', 0)) AS locked`,
      )) as Array<{ locked: boolean }>;
      if (!locked) return null;
      const buckets = (await manager.query(FOLD_SQL, [limit])) as FoldedBucket[];
      if (buckets.length === 0) return 0;
      const counters: CounterReading[] = [];
      for (const { m, p, new_ts, new_values } of buckets) {
        new_ts?.forEach((t, i) => counters.push({ m, p, t: Math.round(t), v: new_values[i] }));
      }
      await this.foldConsumption(manager, counters);
      return buckets.reduce((sum, bucket) => sum + bucket.rows, 0);
    });
  }

  /**
   * Counter consumption, folded incrementally (the step's work grows with the readings it takes,
   * never with what a bucket already holds). A bucket's consumption is the sum of the steps
   * (counterStep) of its folded readings from their predecessors, so folding new readings N
   * changes exactly: each new reading's own step, from its predecessor among the folded readings
   * (old or new); and the step of each old reading that directly follows a run of new ones, whose
   * predecessor was the reading before that run and is now the run's last. Neighbours are looked
   * up among the readings already folded or folded now (raw, folded quality, no longer waiting in
   * rollup_dirty); the differences are added to the 5-minute, hourly and site-local daily rows.
   */
  private async foldConsumption(manager: EntityManager, fresh: CounterReading[]): Promise<void> {
    if (fresh.length === 0) return;
    const neighbours = await this.foldedNeighbours(manager, fresh);
    const isFresh = new Set(fresh.map(readingKey));
    const step = (previous: number, current: number) =>
      counterStep(previous, current, this.resetFraction).consumption;
    const deltas = new Map<string, { m: string; p: string; bucket: number; delta: number }>();
    const credit = (m: string, p: string, t: number, delta: number) => {
      const bucket = Math.floor(t / FIVE_MINUTES_MS) * FIVE_MINUTES_MS;
      const key = `${m}|${p}|${bucket}`;
      const entry = deltas.get(key) ?? { m, p, bucket, delta: 0 };
      entry.delta += delta;
      deltas.set(key, entry);
    };
    for (const reading of fresh) {
      const around = neighbours.get(readingKey(reading));
      if (!around) continue; // not in raw any more (its meter deleted meanwhile): nothing to fold
      const { m, p, t, v } = reading;
      if (around.previous) credit(m, p, t, step(around.previous.v, v));
      const next = around.next;
      if (!next || isFresh.has(readingKey({ m, p, t: next.t }))) continue;
      // `next` was folded before; its predecessor was the one before this run of new readings.
      let first = around;
      while (first.previous && isFresh.has(readingKey({ m, p, t: first.previous.t }))) {
        const earlier = neighbours.get(readingKey({ m, p, t: first.previous.t }));
        if (!earlier) break;
        first = earlier;
      }
      const before = first.previous ? step(first.previous.v, next.v) : 0;
      credit(m, p, next.t, step(v, next.v) - before);
    }
    const changed = [...deltas.values()].filter((entry) => entry.delta !== 0);
    if (changed.length === 0) return;
    await manager.query(CONSUMPTION_SQL, [
      changed.map((entry) => entry.m),
      changed.map((entry) => entry.p),
      changed.map((entry) => entry.bucket),
      changed.map((entry) => entry.delta),
    ]);
  }

  /**
   * Each reading's previous and next folded reading of its series (folded quality, not waiting
   * in rollup_dirty), by reading key. Looked for within two days first (daily partitions: a
   * bounded search touches two or three), and only where that finds none, without bound.
   */
  private async foldedNeighbours(
    manager: EntityManager,
    readings: readonly CounterReading[],
  ): Promise<Map<string, { previous: TimedPoint | null; next: TimedPoint | null }>> {
    const rows = (await manager.query(NEIGHBOURS_SQL, [
      readings.map((x) => x.m),
      readings.map((x) => x.p),
      readings.map((x) => x.t),
      FOLDED,
    ])) as Array<{
      m: string;
      p: string;
      t: number;
      prev_t: number | null;
      prev_v: number | null;
      next_t: number | null;
      next_v: number | null;
    }>;
    const point = (t: number | null, v: number | null): TimedPoint | null =>
      t === null || v === null ? null : { t: Math.round(t), v };
    return new Map(
      rows.map((row) => [
        readingKey({ m: row.m, p: row.p as QueuedReading['p'], t: Math.round(row.t) }),
        { previous: point(row.prev_t, row.prev_v), next: point(row.next_t, row.next_v) },
      ]),
    );
  }

  /** Reclaims the rows rollup steps deleted from rollup_dirty (a queue: all of them die). */
  async vacuumDirty(): Promise<void> {
    await this.db.query('VACUUM rollup_dirty');
  }

  /** How far rollups are behind raw: the age of the oldest dirty key, 0 when there is none. */
  async rollupLagSeconds(): Promise<number> {
    const [{ lag }] = (await this.db.query(
      `SELECT coalesce(extract(epoch FROM now() - min(marked_at)), 0)::float8 AS lag FROM rollup_dirty`,
    )) as Array<{ lag: number }>;
    return Math.max(0, lag);
  }
}

/** Rollups fold good and estimated readings; questionable and bad ones are only counted. */
const FOLDED: readonly Quality[] = [Quality.Good, Quality.Estimated];

function isFolded(quality: Quality): boolean {
  return FOLDED.includes(quality);
}

/** A reading of a group with the index of its job. */
type Row = QueuedReading & { b: number };

interface Glitch {
  reading: Row;
  previous: number;
}

interface Sighting {
  kind: 'out_of_range' | 'counter_glitch';
  m: string;
  p: string;
  t: number;
  v: number;
  message: string;
  details: Record<string, unknown>;
}

type JobSighting = Sighting & { b: number };

function outOfRangeSighting(reading: IngestJob['outOfRange'][number]): Sighting {
  return {
    kind: 'out_of_range',
    ...reading,
    message: `${reading.p} value ${reading.v} is outside the plausible range`,
    details: {},
  };
}

function glitchSighting({ reading, previous }: Glitch): Sighting {
  return {
    kind: 'counter_glitch',
    m: reading.m,
    p: reading.p,
    t: reading.t,
    v: reading.v,
    message: `${reading.p} dropped from ${previous} to ${reading.v}, not near zero: not a reset; stored questionable and left out of consumption`,
    details: { previousValue: previous },
  };
}

const FIVE_MINUTES_MS = 300_000;
/** Readings per rollup step: large enough to coalesce many jobs, small enough for a short step. */
const FOLD_BATCH = 20_000;
const COUNTERS = `'{${COUNTER_PARAMETERS.join(',')}}'::text[]`;

/**
 * Whether raw reading `r` (a counter) still waits in rollup_dirty: the clause repeats the partial
 * index's predicate (migration RollupDirtyCounterKey) so that PostgreSQL can use it.
 */
const WAITING = `EXISTS (SELECT 1 FROM rollup_dirty d
  WHERE d.meter_id = r.meter_id AND d.parameter = r.parameter AND d.ts = r.ts
    AND d.parameter = ANY(${COUNTERS}))`;

const INCLUDED = `x.quality IN ('${FOLDED.join("', '")}')`;

/** The merge of partial aggregates `x` (or EXCLUDED) into a rollup row `t`: mergeable columns. */
const MERGE_SET = `
      count = t.count + EXCLUDED.count,
      sum = t.sum + EXCLUDED.sum,
      min = least(t.min, EXCLUDED.min),
      max = greatest(t.max, EXCLUDED.max),
      first_value = CASE WHEN t.first_ts IS NULL OR EXCLUDED.first_ts < t.first_ts
                         THEN EXCLUDED.first_value ELSE t.first_value END,
      first_ts = least(t.first_ts, EXCLUDED.first_ts),
      last_value = CASE WHEN t.last_ts IS NULL OR EXCLUDED.last_ts > t.last_ts
                        THEN EXCLUDED.last_value ELSE t.last_value END,
      last_ts = greatest(t.last_ts, EXCLUDED.last_ts),
      excluded_count = t.excluded_count + EXCLUDED.excluded_count,
      updated_at = now()`;

/** Partial aggregates of `parts` summed again over a coarser bucket (`grouping`). */
const REGROUPED = `
      sum(count)::int, sum(sum), min(min), max(max),
      min(first_ts), (array_agg(first_value ORDER BY first_ts) FILTER (WHERE first_ts IS NOT NULL))[1],
      max(last_ts), (array_agg(last_value ORDER BY last_ts DESC) FILTER (WHERE last_ts IS NOT NULL))[1],
      CASE WHEN p = ANY(${COUNTERS}) THEN 0 END, sum(excluded_count)::int, now()`;

/**
 * The rollup step's statement: takes up to $1 dirty rows (deleting them), aggregates them per
 * meter, parameter and 5-minute bucket over the folded qualities only (the others add to
 * excluded_count), and merges those partials into the 5-minute, hourly (UTC) and site-local daily
 * rollups: count, sum, min, max by addition and extremes, first/last by timestamp. Exact because
 * each stored reading reaches a step once. least/greatest skip nulls, so a bucket that held only
 * excluded readings takes the first folded values as they come. Counters' consumption starts at
 * 0 and foldConsumption adds to it in the same transaction. Answers the 5-minute buckets with
 * their folded and total row counts and, for counters, the readings folded now.
 */
const FOLD_SQL = `
  WITH taken AS (
    DELETE FROM rollup_dirty
    WHERE ctid = ANY(ARRAY(SELECT ctid FROM rollup_dirty ORDER BY marked_at LIMIT $1))
    RETURNING meter_id, parameter, ts, value, quality
  ), partial AS (
    SELECT x.meter_id AS m, x.parameter AS p, date_bin('5 minutes', x.ts, 'epoch') AS bucket,
           (count(*) FILTER (WHERE ${INCLUDED}))::int AS count,
           coalesce(sum(x.value) FILTER (WHERE ${INCLUDED}), 0) AS sum,
           min(x.value) FILTER (WHERE ${INCLUDED}) AS min, max(x.value) FILTER (WHERE ${INCLUDED}) AS max,
           min(x.ts) FILTER (WHERE ${INCLUDED}) AS first_ts,
           (array_agg(x.value ORDER BY x.ts) FILTER (WHERE ${INCLUDED}))[1] AS first_value,
           max(x.ts) FILTER (WHERE ${INCLUDED}) AS last_ts,
           (array_agg(x.value ORDER BY x.ts DESC) FILTER (WHERE ${INCLUDED}))[1] AS last_value,
           (count(*) FILTER (WHERE NOT ${INCLUDED}))::int AS excluded_count,
           CASE WHEN x.parameter = ANY(${COUNTERS}) THEN
             array_agg((extract(epoch FROM x.ts) * 1000)::float8 ORDER BY x.ts) FILTER (WHERE ${INCLUDED})
           END AS new_ts,
           array_agg(x.value ORDER BY x.ts) FILTER (WHERE ${INCLUDED} AND x.parameter = ANY(${COUNTERS})) AS new_values
    FROM taken x
    GROUP BY 1, 2, 3
  ), parts AS MATERIALIZED (
    SELECT partial.*, me.organization_id AS org, s.timezone AS tz
    FROM partial JOIN meters me ON me.id = partial.m JOIN sites s ON s.id = me.site_id
  ), five AS (
    INSERT INTO reading_rollups_5m AS t
      (meter_id, parameter, bucket, organization_id, count, sum, min, max,
       first_ts, first_value, last_ts, last_value, consumption, excluded_count, updated_at)
    SELECT m, p, bucket, org, count, sum, min, max, first_ts, first_value, last_ts, last_value,
           CASE WHEN p = ANY(${COUNTERS}) THEN 0 END, excluded_count, now()
    FROM parts
    ON CONFLICT (meter_id, parameter, bucket) DO UPDATE SET ${MERGE_SET}
  ), hour AS (
    INSERT INTO reading_rollups_1h AS t
      (meter_id, parameter, bucket, organization_id, count, sum, min, max,
       first_ts, first_value, last_ts, last_value, consumption, excluded_count, updated_at)
    SELECT m, p, date_trunc('hour', bucket, 'UTC'), max(org::text)::uuid, ${REGROUPED}
    FROM parts
    GROUP BY m, p, date_trunc('hour', bucket, 'UTC')
    ON CONFLICT (meter_id, parameter, bucket) DO UPDATE SET ${MERGE_SET}
  ), local_day AS (
    INSERT INTO reading_rollups_1d AS t
      (meter_id, parameter, day, bucket, organization_id, count, sum, min, max,
       first_ts, first_value, last_ts, last_value, consumption, excluded_count, updated_at)
    SELECT m, p, (bucket AT TIME ZONE tz)::date, ((bucket AT TIME ZONE tz)::date)::timestamp AT TIME ZONE tz,
           max(org::text)::uuid, ${REGROUPED}
    FROM parts
    GROUP BY m, p, tz, (bucket AT TIME ZONE tz)::date
    ON CONFLICT (meter_id, parameter, day) DO UPDATE SET ${MERGE_SET}
  )
  SELECT m, p, (extract(epoch FROM bucket) * 1000)::float8 AS bucket, count AS folded,
         count + excluded_count AS rows, new_ts, new_values
  FROM parts`;

/**
 * For each reading ($1-$3), its previous and next reading of the series among those folded into
 * the rollups: folded quality, and no copy waiting in rollup_dirty (the step deleted its own
 * batch's copies earlier in its transaction). Bounded to two days either side first, so that
 * run-time partition pruning leaves two or three daily partitions; unbounded only where that
 * found nothing.
 */
const NEIGHBOURS_SQL = `
  SELECT u.m, u.p, u.t, coalesce(p1.t, p2.t) AS prev_t, coalesce(p1.value, p2.value) AS prev_v,
         coalesce(n1.t, n2.t) AS next_t, coalesce(n1.value, n2.value) AS next_v
  FROM unnest($1::uuid[], $2::text[], $3::float8[]) AS u(m, p, t)
  CROSS JOIN LATERAL (SELECT to_timestamp(u.t / 1000.0) AS ts) k
  LEFT JOIN LATERAL (
    SELECT (extract(epoch FROM r.ts) * 1000)::float8 AS t, r.value FROM readings r
    WHERE r.meter_id = u.m AND r.parameter = u.p AND r.ts < k.ts AND r.ts >= k.ts - interval '2 days'
      AND r.quality = ANY($4::text[]) AND NOT ${WAITING}
    ORDER BY r.ts DESC LIMIT 1
  ) p1 ON true
  LEFT JOIN LATERAL (
    SELECT (extract(epoch FROM r.ts) * 1000)::float8 AS t, r.value FROM readings r
    WHERE p1.t IS NULL AND r.meter_id = u.m AND r.parameter = u.p AND r.ts < k.ts - interval '2 days'
      AND r.quality = ANY($4::text[]) AND NOT ${WAITING}
    ORDER BY r.ts DESC LIMIT 1
  ) p2 ON true
  LEFT JOIN LATERAL (
    SELECT (extract(epoch FROM r.ts) * 1000)::float8 AS t, r.value FROM readings r
    WHERE r.meter_id = u.m AND r.parameter = u.p AND r.ts > k.ts AND r.ts <= k.ts + interval '2 days'
      AND r.quality = ANY($4::text[]) AND NOT ${WAITING}
    ORDER BY r.ts LIMIT 1
  ) n1 ON true
  LEFT JOIN LATERAL (
    SELECT (extract(epoch FROM r.ts) * 1000)::float8 AS t, r.value FROM readings r
    WHERE n1.t IS NULL AND r.meter_id = u.m AND r.parameter = u.p AND r.ts > k.ts + interval '2 days'
      AND r.quality = ANY($4::text[]) AND NOT ${WAITING}
    ORDER BY r.ts LIMIT 1
  ) n2 ON true`;

/**
 * Adds consumption differences ($4) to the 5-minute buckets ($1-$3) and, summed, to the hours
 * and site-local days that hold them.
 */
const CONSUMPTION_SQL = `
  WITH d AS (
    SELECT u.m, u.p, to_timestamp(u.ms / 1000.0) AS bucket, u.delta
    FROM unnest($1::uuid[], $2::text[], $3::float8[], $4::float8[]) AS u(m, p, ms, delta)
  ), five AS (
    UPDATE reading_rollups_5m t SET consumption = t.consumption + d.delta, updated_at = now()
    FROM d WHERE t.meter_id = d.m AND t.parameter = d.p AND t.bucket = d.bucket
  ), hour AS (
    UPDATE reading_rollups_1h t SET consumption = t.consumption + h.delta, updated_at = now()
    FROM (SELECT m, p, date_trunc('hour', bucket, 'UTC') AS bucket, sum(delta) AS delta
          FROM d GROUP BY 1, 2, 3) h
    WHERE t.meter_id = h.m AND t.parameter = h.p AND t.bucket = h.bucket
  )
  UPDATE reading_rollups_1d t SET consumption = t.consumption + x.delta, updated_at = now()
  FROM (SELECT d.m, d.p, (d.bucket AT TIME ZONE s.timezone)::date AS day, sum(d.delta) AS delta
        FROM d JOIN meters me ON me.id = d.m JOIN sites s ON s.id = me.site_id
        GROUP BY 1, 2, 3) x
  WHERE t.meter_id = x.m AND t.parameter = x.p AND t.day = x.day`;

/**
 * A job comes from Redis as JSON: one without lists of readings is not a job of ours, and fails
 * alone (the processor checks before it joins a group) rather than as a store error.
 */
export function assertIngestJob(job: IngestJob): void {
  if (!Array.isArray(job.readings) || !Array.isArray(job.outOfRange ?? [])) {
    throw new Error(`malformed ingest job ${job.batchId}: readings must be a list`);
  }
}

export function readingKey(reading: Pick<QueuedReading, 'm' | 'p' | 't'>): string {
  return `${reading.m}|${reading.p}|${reading.t}`;
}

/** Data exceptions (22xxx) and constraint violations (23xxx) are about the rows, not the database. */
function isRefusedData(error: unknown): boolean {
  const code = sqlState(error);
  return code.startsWith('22') || code.startsWith('23');
}

function sqlState(error: unknown): string {
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  const state = driverError?.code ?? code;
  return typeof state === 'string' ? state : '';
}

const MAX_DATE_MS = 8.64e15;

function parked(reading: QueuedReading, error: unknown): BatchFailure {
  const { column } = (error as { driverError?: { column?: unknown } }).driverError ?? {};
  const state = sqlState(error);
  const code =
    state === '23503'
      ? IngestErrorCode.UnknownMeter
      : state === '23502' && column !== 'value'
        ? IngestErrorCode.InvalidReading
        : state === '23502' || state.startsWith('22')
          ? IngestErrorCode.InvalidValue
          : IngestErrorCode.StorageRefused;
  // Infinity and NaN arrive as null: JSON, the queue's encoding, has no other spelling for them.
  const value = typeof reading.v === 'number' ? reading.v : null;
  const ts = typeof reading.t === 'number' && Math.abs(reading.t) <= MAX_DATE_MS ? reading.t : null;
  return {
    meterId: reading.m,
    parameter: reading.p,
    ts: ts === null ? null : new Date(ts).toISOString(),
    value,
    error: code,
    message: ((error as Error).message ?? String(error)).slice(0, 300),
  };
}
