import type { IngestErrorCode } from './errors';
import type { Parameter, Quality, ReadingSource } from './readings';

/** Bull queue names, shared by producers (API, transport) and processors. */
export const QueueName = { Ingest: 'ingest', Notifications: 'notifications' } as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** One validated reading inside a queued job: short keys keep Redis payloads small. */
export interface QueuedReading {
  /** meter id */
  m: string;
  p: Parameter;
  /** epoch milliseconds */
  t: number;
  v: number;
  u: string;
  q: Quality;
}

/** A batch of validated readings for one organization: the unit of durable work. */
export interface IngestJob {
  batchId: string;
  organizationId: string;
  gatewayId: string | null;
  source: ReadingSource;
  readings: QueuedReading[];
  /** Meters whose value was out of range (data quality issues to record). */
  outOfRange: Array<{ m: string; p: Parameter; t: number; v: number }>;
}

export const BatchStatus = {
  Queued: 'queued',
  /** Every reading stored (or found already stored). */
  Processed: 'processed',
  /** Some readings stored, others refused by the database and parked in `failures`. */
  Partial: 'partial',
  /** Nothing stored: every reading refused, or the job failed every attempt (`error`). */
  Failed: 'failed',
  /** Its job vanished from the queue before it was stored (found by the lost-batch sweeper). */
  Lost: 'lost',
} as const;
export type BatchStatus = (typeof BatchStatus)[keyof typeof BatchStatus];

export interface IngestRejection {
  index: number;
  error: string;
  message: string;
}

/** The device-facing answer to an accepted batch (snake_case, as gateways expect). */
export interface IngestAccepted {
  batch_id: string;
  accepted: number;
  rejected: IngestRejection[];
}

export interface BatchView {
  id: string;
  gatewayId: string | null;
  source: ReadingSource;
  status: BatchStatus;
  accepted: number;
  rejected: number;
  processed: number;
  duplicates: number;
  failed: number;
  receivedAt: string;
  processedAt: string | null;
  error: string | null;
  /** The readings the database refused (at most MAX_LISTED_FAILURES; `failed` counts all). */
  failures: BatchFailure[];
}

/** A queued reading the database refused; the rest of its job was stored without it. */
export interface BatchFailure {
  meterId: string;
  parameter: string;
  /** RFC 3339, or null when the queued timestamp was not a number. */
  ts: string | null;
  value: number | null;
  error: IngestErrorCode;
  message: string;
}

export const MAX_LISTED_FAILURES = 100;

export const Aggregation = {
  Raw: 'raw',
  FiveMinutes: '5m',
  Hourly: 'hourly',
  Daily: 'daily',
} as const;
export type Aggregation = (typeof Aggregation)[keyof typeof Aggregation];
export const AGGREGATIONS: readonly Aggregation[] = Object.values(Aggregation);

export interface RawReadingView {
  ts: string;
  parameter: Parameter;
  value: number;
  unit: string;
  quality: Quality;
  source: ReadingSource;
  receivedAt: string;
}

export interface RollupView {
  /** Bucket start (UTC) for 5m/hourly; local midnight of `day` for daily. */
  bucket: string;
  /** Site-local date, daily only. */
  day?: string;
  parameter: Parameter;
  /** Good and estimated readings, which the aggregate folds. */
  count: number;
  /** Questionable and bad readings in the bucket, left out of the aggregate (raw keeps them). */
  excludedCount: number;
  sum: number;
  /** Null, as are avg, first and last, when the bucket holds only excluded readings. */
  min: number | null;
  max: number | null;
  avg: number | null;
  first: { ts: string; value: number } | null;
  last: { ts: string; value: number } | null;
  /** Counters (energy_kwh, water_m3): consumption in the bucket across counter resets. */
  consumption: number | null;
}

/** Parameters whose values are cumulative counters. */
export const COUNTER_PARAMETERS: readonly Parameter[] = ['energy_kwh', 'water_m3'];
