import { InjectQueue } from '@nestjs/bull';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { Repository } from 'typeorm';
import {
  checkGatewayConnection,
  connectionDetails,
  GATEWAY_HEARTBEAT_MAX_BYTES,
  parseRfc3339Timestamp,
} from '@gridwatch/domain';
import { QueueName, type BatchView, type IngestJob } from '@gridwatch/contracts';
import { DomainException, IngestBatchEntity, NotFound, ValidationFailed } from '@gridwatch/server';
import { AuthenticatedDevice, IngestBacklog } from '@gridwatch/ingest';
import type { FailedJobDto } from './dto/batch.dto';
import type { PingAnswerDto } from './dto/device-payloads.dto';
import { LivenessService } from './liveness.service';

/** Heartbeats, batch status and the failed-job set, for device and operator endpoints. */
@Injectable()
export class IngestService {
  constructor(
    @InjectRepository(IngestBatchEntity) private readonly batches: Repository<IngestBatchEntity>,
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue<IngestJob>,
    private readonly liveness: LivenessService,
    private readonly backlog: IngestBacklog,
  ) {}

  async ping(device: AuthenticatedDevice, body: unknown, bytes: number): Promise<PingAnswerDto> {
    if (device.kind !== 'gateway') {
      throw new DomainException('invalid_payload', 'Only gateways ping; devices send samples');
    }
    if (bytes > GATEWAY_HEARTBEAT_MAX_BYTES) {
      throw new DomainException(
        'payload_too_large',
        `A ping must be at most ${GATEWAY_HEARTBEAT_MAX_BYTES / 1024} KiB (got ${bytes} bytes)`,
      );
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new DomainException('invalid_payload', 'A ping must be a JSON object');
    }
    const payload = body as Record<string, unknown>;
    const { problems } = checkGatewayConnection(payload);
    problems.push(...pingProblems(payload));
    if (problems.length > 0) {
      throw new ValidationFailed(
        `Invalid ping: check ${problems.map((problem) => problem.field).join(', ')}`,
        problems.map(({ field, message }) => ({ field, messages: [message] })),
      );
    }
    if (
      payload['gateway_serial'] !== undefined &&
      payload['gateway_serial'] !== device.gateway.serialNumber
    ) {
      throw new DomainException(
        'gateway_serial_mismatch',
        'gateway_serial does not match the authenticated gateway',
      );
    }
    const now = new Date();
    await this.liveness.gatewaySeen(device.gateway.id, connectionDetails(payload, now));
    return {
      status: 'ok',
      server_time: now.toISOString(),
      poll_interval_seconds: device.gateway.pollIntervalSeconds,
    };
  }

  async batch(organizationId: string, id: string): Promise<BatchView> {
    const batch = await this.batches.findOneBy({ id, organizationId });
    if (!batch) throw new NotFound('batch_not_found', 'Batch');
    return {
      id: batch.id,
      gatewayId: batch.gatewayId,
      source: batch.source,
      status: batch.status,
      accepted: batch.accepted,
      rejected: batch.rejected,
      processed: batch.processed,
      duplicates: batch.duplicates,
      failed: batch.failed,
      receivedAt: batch.receivedAt.toISOString(),
      processedAt: batch.processedAt?.toISOString() ?? null,
      error: batch.error,
      failures: batch.failures,
    };
  }

  async failedJobs(organizationId: string): Promise<FailedJobDto[]> {
    const jobs = await this.queue.getFailed(0, 999);
    return jobs
      .filter((job) => job.data.organizationId === organizationId)
      .map((job) => ({
        id: String(job.id),
        batchId: job.data.batchId,
        readings: job.data.readings.length,
        attemptsMade: job.attemptsMade,
        failedReason: job.failedReason ?? 'unknown',
        failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
      }));
  }

  async retry(organizationId: string, id: string): Promise<void> {
    const job = await this.queue.getJob(id);
    if (!job || job.data.organizationId !== organizationId || !(await job.isFailed())) {
      throw new NotFound('job_not_found', 'Failed job');
    }
    await this.batches.update(
      { id: job.data.batchId },
      { status: 'queued', failed: 0, error: null, failures: [] },
    );
    await job.retry();
    // Settled when it failed for good; back in the queue, it counts again.
    await this.backlog.reserve(String(job.id), job.data.readings.length);
  }
}

/** The ping's own fields beside the connection details (checked by the domain's rules). */
function pingProblems(payload: Record<string, unknown>): Array<{ field: string; message: string }> {
  const problems: Array<{ field: string; message: string }> = [];
  const serial = payload['gateway_serial'];
  if (serial !== undefined && (typeof serial !== 'string' || serial.length > 100)) {
    problems.push({
      field: 'gateway_serial',
      message: 'gateway_serial must be a string of at most 100 characters',
    });
  }
  const timestamp = payload['timestamp'];
  if (
    timestamp !== undefined &&
    (typeof timestamp !== 'string' || parseRfc3339Timestamp(timestamp) === null)
  ) {
    problems.push({
      field: 'timestamp',
      message: 'timestamp must be an RFC 3339 date-time with an offset',
    });
  }
  return problems;
}
