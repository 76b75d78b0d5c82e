import { InjectQueue } from '@nestjs/bull';
import {
  BeforeApplicationShutdown,
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
import { PeriodicTask } from '../../common/periodic-task';

const RECONCILE_INTERVAL_MS = 60_000;

/**
 * Uncounts a job from the ingest backlog once Bull reports it completed or failed for good (its
 * local events fire in the process that ran the job, so only processing processes listen), and
 * sweeps up what no process reported. Every step is idempotent: N workers can all run it.
 */
@Injectable()
export class IngestBacklogListener
  implements OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown
{
  private readonly logger = new Logger('IngestBacklog');
  private readonly reconciler = new PeriodicTask(
    'reconcile',
    RECONCILE_INTERVAL_MS,
    () => this.reconcile(),
    this.logger,
  );
  private readonly settling = new Set<Promise<void>>();

  constructor(
    @InjectQueue(QueueName.Ingest) private readonly queue: Queue<IngestJob>,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly backlog: IngestBacklog,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.queue.on('completed', (job: Job<IngestJob>) => this.settle(job));
    this.queue.on('failed', (job: Job<IngestJob>) => {
      if (job.attemptsMade >= (job.opts.attempts ?? 1)) this.settle(job);
    });
    this.reconciler.start({ immediately: true });
  }

  onModuleDestroy(): Promise<void> {
    return this.reconciler.stop();
  }

  /**
   * The processor finishes its jobs in onModuleDestroy; their settlements run after, and must
   * reach Redis before it closes (onApplicationShutdown).
   */
  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.settling);
  }

  async reconcile(): Promise<void> {
    try {
      const settled = await this.backlog.reconcile();
      if (settled > 0) this.logger.log(`settled ${settled} finished job(s) nobody had reported`);
    } catch (error) {
      this.logger.warn(`reconcile failed: ${(error as Error).message}`);
    }
  }

  private settle(job: Job<IngestJob>): void {
    const settling = this.backlog
      .settle(String(job.id))
      .catch((error: Error) => this.logger.warn(`job ${job.id} not uncounted: ${error.message}`))
      .finally(() => this.settling.delete(settling));
    this.settling.add(settling);
  }
}
