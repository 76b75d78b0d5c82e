import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource, In } from 'typeorm';
import {
  QueueName,
  type IngestAccepted,
  type IngestJob,
  type IngestRejection,
  type ReadingSource,
} from '@gridwatch/contracts';
import type { IngestMeter } from './ingest-context';
import type { NormalisedReading } from './normalised-reading';
import { validateGatewayBatch } from './validate-batch';
import { validateDeviceSample } from './validate-sample';
import type { AuthenticatedDevice } from './device-authenticator';
import { BACKLOG_RETRY_AFTER_SECONDS, IngestBacklog } from './ingest-backlog';
import { IngestMetrics } from './ingest-metrics';
import {
  APP_CONFIG,
  type AppConfig,
  DomainException,
  IngestBatchEntity,
  MeterEntity,
  ServiceUnavailable,
} from '@gridwatch/server';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Job options: retried with exponential backoff on database errors, then parked in the failed set. */
export function ingestJobOptions(
  config: Pick<AppConfig, 'ingestJobAttempts' | 'ingestRetryDelayMs'>,
) {
  return {
    attempts: config.ingestJobAttempts,
    backoff: { type: 'exponential', delay: config.ingestRetryDelayMs },
    removeOnComplete: 1000,
    removeOnFail: false,
  };
}

/**
 * validate/normalise -> enqueue, for every transport. Answers only once the batch is in the
 * queue; a queue outage is a 503 and nothing is half-accepted. While the queue holds
 * INGEST_MAX_BACKLOG readings or more, every batch is refused with 503 ingest_backlog_full
 * before any work is done for it (back-pressure, see IngestBacklog).
 */
@Injectable()
export class IngestPipeline {
  private readonly logger = new Logger('IngestPipeline');

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue<IngestJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backlog: IngestBacklog,
    private readonly metrics: IngestMetrics,
  ) {}

  async acceptGatewayBatch(
    device: AuthenticatedDevice,
    payload: unknown,
    source: ReadingSource,
    now = new Date(),
  ): Promise<IngestAccepted> {
    return this.counted(source, this.gatewayBatch(device, payload, source, now));
  }

  async acceptDeviceSample(
    device: AuthenticatedDevice,
    payload: unknown,
    source: ReadingSource,
    now = new Date(),
  ): Promise<IngestAccepted> {
    return this.counted(source, this.deviceSample(device, payload, source, now));
  }

  private async counted(
    source: ReadingSource,
    accepting: Promise<IngestAccepted>,
  ): Promise<IngestAccepted> {
    try {
      const result = await accepting;
      const codes = result.rejected.map((rejection) => rejection.error);
      this.metrics.enqueued(source, result.accepted, codes);
      return result;
    } catch (error) {
      this.metrics.refused(source, error);
      throw error;
    }
  }

  private async gatewayBatch(
    device: AuthenticatedDevice,
    payload: unknown,
    source: ReadingSource,
    now = new Date(),
  ): Promise<IngestAccepted> {
    if (device.kind !== 'gateway') {
      throw new DomainException(
        'invalid_payload',
        'Batches come from gateways; devices use /api/v1/ingest',
      );
    }
    await this.backlog.ensureRoom();
    const meters = await this.metersOf(device.organizationId, referencedMeterIds(payload));
    const result = validateGatewayBatch(payload, {
      now,
      maxAgeSeconds: this.config.ingestMaxAgeSeconds,
      gatewayId: device.gateway.id,
      gatewaySerial: device.gateway.serialNumber,
      organizationId: device.organizationId,
      meters,
    });
    if (!result.ok) throw new DomainException(result.error, result.message);
    return this.enqueue(device, device.gateway.id, result.accepted, result.rejected, source);
  }

  private async deviceSample(
    device: AuthenticatedDevice,
    payload: unknown,
    source: ReadingSource,
    now = new Date(),
  ): Promise<IngestAccepted> {
    if (device.kind !== 'meter') {
      throw new DomainException(
        'invalid_payload',
        'Samples come from direct devices; gateways use /api/v1/readings/ingest',
      );
    }
    await this.backlog.ensureRoom();
    const result = validateDeviceSample(payload, {
      now,
      maxAgeSeconds: this.config.ingestMaxAgeSeconds,
      organizationId: device.organizationId,
      meter: device.meter as IngestMeter,
    });
    if (!result.ok) throw new DomainException(result.error, result.message);
    return this.enqueue(device, device.meter.gatewayId, result.accepted, [], source);
  }

  private async enqueue(
    device: AuthenticatedDevice,
    gatewayId: string | null,
    accepted: NormalisedReading[],
    rejected: IngestRejection[],
    source: ReadingSource,
  ): Promise<IngestAccepted> {
    if (accepted.length === 0) {
      throw new DomainException('no_readings_accepted', 'No reading in the batch was valid', {
        rejected,
      });
    }
    // Redis down: refuse at once instead of waiting out the client's reconnection attempts.
    if (this.queue.client.status !== 'ready') throw queueUnavailable();
    const batchId = randomUUID();
    const job: IngestJob = {
      batchId,
      organizationId: device.organizationId,
      gatewayId,
      source,
      readings: accepted.map((r) => ({
        m: r.meterId,
        p: r.parameter,
        t: r.ts.getTime(),
        v: r.value,
        u: r.unit,
        q: r.quality,
      })),
      outOfRange: accepted
        .filter((r) => r.outOfRange)
        .map((r) => ({ m: r.meterId, p: r.parameter, t: r.ts.getTime(), v: r.value })),
    };
    await this.db.manager.insert(IngestBatchEntity, {
      id: batchId,
      organizationId: device.organizationId,
      gatewayId,
      source,
      status: 'queued',
      accepted: accepted.length,
      rejected: rejected.length,
    });
    try {
      await withDeadline(
        this.queue.add(job, { ...ingestJobOptions(this.config), jobId: batchId }),
        ENQUEUE_TIMEOUT_MS,
      );
    } catch (error) {
      // After a timeout the add may still land once Redis answers: the readings are then stored
      // without their batch row, and the device's resend of them is a duplicate (stored once).
      this.logger.error(`enqueue failed: ${(error as Error).message}`);
      await this.db.manager.delete(IngestBatchEntity, { id: batchId });
      throw queueUnavailable();
    }
    // Counted after the add: a job finished before this is found again by reconcile().
    await this.backlog
      .reserve(batchId, accepted.length)
      .catch((error: Error) => this.logger.warn(`backlog not counted: ${error.message}`));
    return { batch_id: batchId, accepted: accepted.length, rejected };
  }

  private async metersOf(organizationId: string, ids: string[]): Promise<Map<string, IngestMeter>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.manager.find(MeterEntity, {
      where: { id: In(ids), organizationId },
      select: ['id', 'gatewayId', 'organizationId', 'status', 'rangeOverrides'],
    });
    return new Map(rows.map((meter) => [meter.id.toLowerCase(), meter as IngestMeter]));
  }
}

/** Longest an enqueue may take before the request is answered 503 (Redis slow or just gone). */
const ENQUEUE_TIMEOUT_MS = 5000;

function queueUnavailable(): ServiceUnavailable {
  return new ServiceUnavailable(
    'service_unavailable',
    'The ingest queue is unavailable; retry shortly',
    BACKLOG_RETRY_AFTER_SECONDS,
  );
}

async function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function referencedMeterIds(payload: unknown): string[] {
  const readings = (payload as { readings?: unknown } | null)?.readings;
  if (!Array.isArray(readings)) return [];
  const ids = new Set<string>();
  for (const reading of readings) {
    const id = (reading as { meter_id?: unknown } | null)?.meter_id;
    if (typeof id === 'string' && UUID.test(id)) ids.add(id.toLowerCase());
  }
  return [...ids];
}
