import { InjectQueue } from '@nestjs/bull';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import type { Job, Queue } from 'bull';
import { QueueName, type IngestJob } from '@gridwatch/contracts';
import { IngestBacklog } from '@gridwatch/ingest';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';

const RECONCILE_INTERVAL_MS = 60_000;

/**
 * Uncounts a job from the ingest backlog once Bull reports it completed or failed for good (its
 * local events fire in the process that ran the job, so only processing processes listen), and
 * sweeps up what no process reported. Every step is idempotent: N workers can all run it.
 */
@Injectable()
export class IngestBacklogListener implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IngestBacklog');
  private timer?: NodeJS.Timeout;

  constructor(
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue<IngestJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backlog: IngestBacklog,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.queue.on('completed', (job: Job<IngestJob>) => void this.settle(job));
    this.queue.on('failed', (job: Job<IngestJob>) => {
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) void this.settle(job);
    });
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async reconcile(): Promise<void> {
    try {
      const settled = await this.backlog.reconcile();
      if (settled > 0) this.logger.log(`settled ${settled} finished job(s) nobody had reported`);
    } catch (error) {
      this.logger.warn(`reconcile failed: ${(error as Error).message}`);
    }
  }

  private async settle(job: Job<IngestJob>): Promise<void> {
    await this.backlog
      .settle(String(job.id))
      .catch((error: Error) => this.logger.warn(`job ${job.id} not uncounted: ${error.message}`));
  }
}
