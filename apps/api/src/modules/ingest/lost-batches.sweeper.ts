import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import { DataSource } from 'typeorm';
import { EventType, QueueName, type IngestJob } from '@gridwatch/contracts';
import { APP_CONFIG, AppConfig, EventRecorder } from '@gridwatch/server';
import { IngestQueueMetrics } from './ingest-queue.metrics';

const SWEEP_CHUNK = 500;

/**
 * A batch stays `queued` until its job stores it. If the job vanished (Redis lost it: no AOF, a
 * flush, an eviction), nothing would ever say so: this sweeper finds `queued` batches older than
 * INGEST_LOST_AFTER_SECONDS whose job Bull no longer holds, marks them `lost`, counts them
 * (gridwatch_ingest_batches_lost_total) and records an `ingest.batch_lost` event. The UPDATE
 * only takes rows still `queued`, so sweepers on several workers mark each batch once.
 */
@Injectable()
export class LostBatchesSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LostBatches');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue<IngestJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly events: EventRecorder,
    private readonly metrics: IngestQueueMetrics,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.timer = setInterval(() => {
      this.sweep().catch((error: Error) => this.logger.warn(`sweep failed: ${error.message}`));
    }, this.config.sweepIntervalSeconds * 1000);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** Marks lost every old `queued` batch without a job; answers the ids marked. */
  async sweep(): Promise<string[]> {
    const candidates = (await this.db.query(
      `SELECT id FROM ingest_batches
       WHERE status = 'queued' AND received_at < now() - make_interval(secs => $1)
       ORDER BY received_at LIMIT $2`,
      [this.config.ingestLostAfterSeconds, SWEEP_CHUNK],
    )) as Array<{ id: string }>;
    const vanished: string[] = [];
    for (const { id } of candidates) {
      if (!(await this.queue.getJob(id))) vanished.push(id);
    }
    if (vanished.length === 0) return [];
    const lost = (await this.db.query(
      `UPDATE ingest_batches SET status = 'lost', processed_at = now(),
         error = 'the queue no longer holds its job'
       WHERE id = ANY($1::uuid[]) AND status = 'queued'
       RETURNING id, organization_id, gateway_id, accepted`,
      [vanished],
    )) as [
      Array<{ id: string; organization_id: string; gateway_id: string | null; accepted: number }>,
      number,
    ];
    for (const batch of lost[0]) {
      this.metrics.batchesLost.inc();
      this.logger.error(`batch ${batch.id}: its job vanished; ${batch.accepted} reading(s) lost`);
      await this.events.record({
        organizationId: batch.organization_id,
        type: EventType.IngestBatchLost,
        subject: { type: 'ingest_batch', id: batch.id },
        data: { gatewayId: batch.gateway_id, accepted: batch.accepted },
      });
    }
    return lost[0].map((batch) => batch.id);
  }
}
