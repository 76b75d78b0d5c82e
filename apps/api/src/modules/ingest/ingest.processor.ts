import { InjectQueue } from '@nestjs/bull';
import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
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
import { DomainEvents } from '../domain-events/domain-events';
import { ReadingsRepository } from '../readings/readings.repository';
import { IngestQueueMetrics } from './ingest-queue.metrics';

/**
 * Consumes ingest jobs: store (idempotent, exact rollups, refused readings parked), then, after
 * the commit, one readings.stored event with the new readings for whoever listens. Bull is
 * at-least-once, and a re-run stores nothing and announces nothing. Runs unless PROCESS_MODE=api.
 */
@Injectable()
export class IngestProcessor implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('IngestProcessor');

  constructor(
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue<IngestJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readings: ReadingsRepository,
    private readonly events: DomainEvents,
    private readonly metrics: IngestQueueMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.queue.on('failed', (job, error) => void this.onFailed(job, error));
    this.queue.on('error', (error) => this.logger.warn(`queue error: ${error.message}`));
    void this.queue.process(this.config.ingestWorkerConcurrency, (job: Job<IngestJob>) =>
      this.timed(job),
    );
  }

  /**
   * On shutdown, before connections close: take no new job and wait for the running ones to
   * commit (a local pause). A job still running when the drain deadline ends the process is
   * handed back by Bull's stalled-job check once its lock expires, and re-run idempotently.
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.config.processMode === 'api') return;
    await this.queue.pause(true);
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
    const result = await this.readings.store(data);
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
