import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';
import { PeriodicTask } from '../../common/periodic-task';
import { ReadingsRepository } from './readings.repository';

/** How often a process that processes ingest jobs looks for dirty rollup keys. */
const FOLD_INTERVAL_MS = 250;
/** Rows this process folds (and so deletes from rollup_dirty) between two vacuums of it. */
const VACUUM_EVERY_ROWS = 200_000;

/**
 * Keeps rollups close behind raw readings in every process that processes ingest jobs: every
 * 250 ms it runs rollup steps, one after another while they find full batches (a burst drains
 * without waiting for the timer). The step's database lock lets one process at a time fold, so
 * running it in every worker is safe; the others skip the tick. On shutdown it finishes the step
 * in flight and starts no other. rollup_dirty is a queue whose every row is deleted: after each
 * VACUUM_EVERY_ROWS rows it folded, a process vacuums it, so that dead rows do not pile up where
 * autovacuum is off or slow (the migration also tunes autovacuum for it).
 */
@Injectable()
export class RollupsScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('RollupsScheduler');
  private foldedSinceVacuum = 0;
  private readonly task = new PeriodicTask(
    'rollup step',
    FOLD_INTERVAL_MS,
    () => this.drain(),
    this.logger,
  );

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly readings: ReadingsRepository,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.task.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  private async drain(): Promise<void> {
    while (!this.task.stopping) {
      const taken = await this.readings.foldStep();
      this.foldedSinceVacuum += taken ?? 0;
      if (this.foldedSinceVacuum >= VACUUM_EVERY_ROWS) {
        this.foldedSinceVacuum = 0;
        await this.readings.vacuumDirty();
      }
      if (taken === null || taken < this.readings.foldBatch) return;
    }
  }
}
