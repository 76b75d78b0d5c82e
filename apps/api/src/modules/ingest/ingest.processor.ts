import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, Queue } from 'bull';
import { DataSource } from 'typeorm';
import { QueueName, type IngestJob } from '@gridwatch/contracts';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';
import { readingKey, ReadingsRepository } from '../readings/readings.repository';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import { LivenessService } from './liveness.service';

/**
 * Consumes ingest jobs: store (idempotent, exact rollups), then liveness. Bull is
 * at-least-once, and a re-run changes nothing. Runs unless PROCESS_MODE=api.
 */
@Injectable()
export class IngestProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('IngestProcessor');

  constructor(
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue<IngestJob>,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readings: ReadingsRepository,
    private readonly liveness: LivenessService,
    private readonly realtime: RealtimePublisher,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.queue.on('failed', (job, error) => void this.onFailed(job, error));
    this.queue.on('error', (error) => this.logger.warn(`queue error: ${error.message}`));
    void this.queue.process(this.config.ingestWorkerConcurrency, (job: Job<IngestJob>) =>
      this.handle(job),
    );
  }

  async handle(job: Job<IngestJob>): Promise<{ inserted: number; duplicates: number }> {
    const result = await this.readings.store(job.data);
    // Live events carry only new readings: repeats of stored ones are not news.
    const fresh = job.data.readings.filter((reading) =>
      result.insertedKeys.has(readingKey(reading)),
    );
    await this.realtime.readingsStored({ ...job.data, readings: fresh }, result.meters);
    await this.liveness.seen([...result.meters.keys()], job.data.gatewayId);
    return { inserted: result.inserted, duplicates: result.duplicates };
  }

  /** After the last attempt the job stays in Bull's failed set; its batch says why. */
  private async onFailed(job: Job<IngestJob>, error: Error): Promise<void> {
    const attempts = job.opts.attempts ?? 1;
    this.logger.warn(
      `job ${job.id} attempt ${job.attemptsMade}/${attempts} failed: ${error.message}`,
    );
    if (job.attemptsMade < attempts) return;
    await this.db
      .query(
        `UPDATE ingest_batches SET status = 'failed', failed = accepted, error = $2
         WHERE id = $1 AND status = 'queued'`,
        [job.data.batchId, error.message.slice(0, 500)],
      )
      .catch((dbError: Error) =>
        this.logger.error(`could not mark batch failed: ${dbError.message}`),
      );
  }
}
