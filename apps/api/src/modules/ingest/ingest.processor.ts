import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import type { Job, Queue } from 'bull';
import {
  DomainEvent,
  QueueName,
  type IngestJob,
  type QueuedReading,
  type StoredMeter,
} from '@gridwatch/contracts';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';
import { GroupCommit } from '../../common/group-commit';
import { DomainEvents } from '../domain-events/domain-events';
import {
  assertIngestJob,
  ReadingsRepository,
  type StoreResult,
} from '../readings/readings.repository';
import { IngestQueueMetrics } from './ingest-queue.metrics';

/** Readings one transaction stores at most (jobs are not split: a larger job goes alone). */
const GROUP_MAX_READINGS = 20_000;
/** Store transactions of one process at once: one fills while the other commits. */
const GROUP_CONCURRENCY = 2;

/**
 * Consumes ingest jobs: store (idempotent, refused readings parked, rollup buckets marked for the
 * rollup step), then, after the commit, one readings.stored event with the new readings for
 * whoever listens. The jobs in hand (`INGEST_WORKER_CONCURRENCY`) are stored in groups, one
 * transaction for all that arrived while the previous one ran (GroupCommit), so the per-job
 * round trips and commits do not set the rate. Bull is at-least-once, and a re-run stores nothing and announces nothing. Runs
 * unless PROCESS_MODE=api. On shutdown it takes no new job and finishes those in hand while the
 * database and Redis are still open.
 */
@Injectable()
export class IngestProcessor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IngestProcessor');
  private stopping = false;
  private readonly reporting = new Set<Promise<void>>();
  private readonly group = new GroupCommit<IngestJob, StoreResult>(
    (jobs) => this.readings.storeMany(jobs),
    {
      maxWeight: GROUP_MAX_READINGS,
      concurrency: GROUP_CONCURRENCY,
      weigh: (job) => job.readings.length,
    },
  );

  constructor(
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue<IngestJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readings: ReadingsRepository,
    private readonly events: DomainEvents,
    private readonly metrics: IngestQueueMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.queue.on('failed', (job, error) => this.report(this.onFailed(job, error)));
    this.queue.on('error', (error) => {
      if (!this.stopping) this.logger.warn(`queue error: ${error.message}`);
    });
    this.catchWorkerNaming();
    this.queue
      .process(this.config.ingestWorkerConcurrency, (job: Job<IngestJob>) => this.timed(job))
      .catch((error: Error) => {
        if (!this.stopping) this.logger.error(`ingest processing stopped: ${error.message}`);
      });
  }

  /**
   * Takes no new job and waits for the jobs in hand and their failure reports. Nest closes the
   * database pool, Redis and the queue in onApplicationShutdown, after every onModuleDestroy.
   */
  async onModuleDestroy(): Promise<void> {
    if (this.config.processMode === 'api') return;
    this.stopping = true;
    await this.queue
      .pause(true)
      .catch((error: Error) => this.logger.warn(`could not pause: ${error.message}`));
    await Promise.all(this.reporting);
    this.logger.log('stopped taking ingest jobs; running jobs finished');
  }

  private async timed(job: Job<IngestJob>) {
    const end = this.metrics.jobDuration.startTimer();
    try {
      const result = await this.handle(job);
      end({ outcome: 'stored' });
      return result;
    } catch (error) {
      end({ outcome: 'failed' });
      throw error;
    }
  }

  async handle(
    job: Job<IngestJob>,
  ): Promise<{ inserted: number; duplicates: number; failed: number }> {
    const { data } = job;
    // A malformed job fails alone, never the group it would have joined.
    assertIngestJob(data);
    const result = await this.group.submit(data);
    if (result.failed.length > 0) {
      this.logger.warn(`batch ${data.batchId}: ${result.failed.length} reading(s) refused, parked`);
    }
    if (result.readings.length > 0) {
      await this.events.emit(DomainEvent.ReadingsStored, {
        batchId: data.batchId,
        organizationId: data.organizationId,
        gatewayId: data.gatewayId,
        source: data.source,
        meters: newestPerMeter(result.readings),
        readings: result.readings,
      });
    }
    return {
      inserted: result.inserted,
      duplicates: result.duplicates,
      failed: result.failed.length,
    };
  }

  /**
   * Bull 4 names its blocking Redis connection (CLIENT SETNAME) from `process` without awaiting or
   * catching the promise (bull/lib/queue.js setHandler): a queue closed before Redis answers
   * rejects it with "Connection is closed." and nobody handles it, which ends the process (or
   * fails whichever Jest test runs then). BullMQ fixed its twin (taskforcesh/bullmq#1574); here
   * the naming is wrapped so that its failure is caught, and only reported while running.
   */
  private catchWorkerNaming(): void {
    const setWorkerName = this.queue.setWorkerName.bind(this.queue);
    this.queue.setWorkerName = () =>
      setWorkerName().catch((error: Error) => {
        if (!this.stopping) this.logger.warn(`could not name the worker: ${error.message}`);
      });
  }

  private report(reporting: Promise<void>): void {
    this.reporting.add(reporting);
    void reporting.finally(() => this.reporting.delete(reporting));
  }

  /** After the last attempt the job stays in Bull's failed set; its batch says why. */
  private async onFailed(job: Job<IngestJob>, error: Error): Promise<void> {
    const attempts = job.opts.attempts ?? 1;
    this.logger.warn(
      `job ${job.id} attempt ${job.attemptsMade}/${attempts} failed: ${error.message}`,
    );
    if (job.attemptsMade < attempts) return;
    this.metrics.jobsFailed.inc();
    await this.readings
      .markBatchFailed(job.data.batchId, error.message)
      .catch((dbError: Error) =>
        this.logger.error(`could not mark batch failed: ${dbError.message}`),
      );
  }
}

function newestPerMeter(readings: readonly QueuedReading[]): StoredMeter[] {
  const newest = new Map<string, number>();
  for (const reading of readings) {
    newest.set(reading.m, Math.max(newest.get(reading.m) ?? Number.NEGATIVE_INFINITY, reading.t));
  }
  return [...newest].map(([meterId, newestTs]) => ({ meterId, newestTs }));
}
