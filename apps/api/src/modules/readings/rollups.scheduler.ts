import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';
import { ReadingsRepository } from './readings.repository';

/** How often a process that processes ingest jobs looks for dirty rollup keys. */
const FOLD_INTERVAL_MS = 250;

/**
 * Keeps rollups close behind raw readings in every process that processes ingest jobs: every
 * 250 ms it runs rollup steps, one after another while they find full batches (a burst drains
 * without waiting for the timer). The step's database lock lets one process at a time fold, so
 * running it in every worker is safe; the others skip the tick.
 */
@Injectable()
export class RollupsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RollupsScheduler');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readings: ReadingsRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.timer = setInterval(() => this.tick(), FOLD_INTERVAL_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private tick(): void {
    if (this.running) return;
    this.running = this.drain()
      .catch((error: Error) => this.logger.warn(`rollup step failed: ${error.message}`))
      .finally(() => {
        this.running = undefined;
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const taken = await this.readings.foldStep();
      if (taken === null || taken < this.readings.foldBatch) return;
    }
  }
}
