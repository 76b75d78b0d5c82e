import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';
import { PeriodicTask } from '../../common/periodic-task';

const DAY_MS = 86_400_000;
const MAINTENANCE_LOCK = 4_242_001;

/**
 * Keeps daily partitions of `readings` ahead of time and drops those past raw retention. Readings
 * for a day without a partition land in readings_default and are moved when the day's partition
 * is created, so an insert never fails for want of a partition.
 */
@Injectable()
export class PartitionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Partitions');
  private readonly task = new PeriodicTask(
    'maintenance',
    3_600_000,
    () => this.runSafely(),
    this.logger,
  );

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.task.start({ immediately: true });
  }

  /** Waits for a maintenance in flight: the pool closes after this. */
  onModuleDestroy(): Promise<void> {
    return this.task.stop();
  }

  /** Creates partitions from `maxAge` days back to `partitionDaysAhead` ahead; applies retention. */
  async maintain(now = new Date()): Promise<{ created: string[]; dropped: string[] }> {
    return this.db.transaction(async (manager) => {
      // Maintenance runs one at a time cluster-wide; a second runner waits, then finds it done.
      await manager.query('SELECT pg_advisory_xact_lock($1)', [MAINTENANCE_LOCK]);
      const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
      const backDays = Math.ceil(this.config.ingestMaxAgeSeconds / 86400);
      const created: string[] = [];
      for (let day = -backDays; day <= this.config.partitionDaysAhead; day++) {
        const start = new Date(today + day * DAY_MS);
        if (await this.ensurePartition(manager, start)) created.push(partitionName(start));
      }
      const dropped = await this.applyRetention(manager, today);
      return { created, dropped };
    });
  }

  private async runSafely(): Promise<void> {
    try {
      const { created, dropped } = await this.maintain();
      if (created.length || dropped.length) {
        this.logger.log(`created ${created.length} partitions, dropped ${dropped.length}`);
      }
    } catch (error) {
      this.logger.error(`maintenance failed: ${(error as Error).message}`);
    }
  }

  private async ensurePartition(manager: EntityManager, start: Date): Promise<boolean> {
    const name = partitionName(start);
    const end = new Date(start.getTime() + DAY_MS);
    const [{ exists }] = (await manager.query('SELECT to_regclass($1) IS NOT NULL AS exists', [
      name,
    ])) as [{ exists: boolean }];
    if (exists) return false;
    const bounds = `FROM ('${start.toISOString()}') TO ('${end.toISOString()}')`;
    const [{ stray }] = (await manager.query(
      'SELECT EXISTS (SELECT 1 FROM readings_default WHERE ts >= $1 AND ts < $2) AS stray',
      [start, end],
    )) as [{ stray: boolean }];
    if (!stray) {
      await manager.query(`CREATE TABLE ${name} PARTITION OF readings FOR VALUES ${bounds}`);
      return true;
    }
    // Rows already in the default partition for this day: move them, then attach.
    await manager.query(
      `CREATE TABLE ${name} (LIKE readings INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    await manager.query(
      `WITH moved AS (DELETE FROM readings_default WHERE ts >= $1 AND ts < $2 RETURNING *)
       INSERT INTO ${name} SELECT * FROM moved`,
      [start, end],
    );
    await manager.query(`ALTER TABLE readings ATTACH PARTITION ${name} FOR VALUES ${bounds}`);
    return true;
  }

  private async applyRetention(manager: EntityManager, today: number): Promise<string[]> {
    const cutoff = new Date(today - this.config.rawRetentionDays * DAY_MS);
    const partitions = (await manager.query(
      `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = 'readings'::regclass AND c.relname ~ '^readings_p[0-9]{8}$'`,
    )) as Array<{ name: string }>;
    const cutoffName = partitionName(cutoff);
    const dropped = partitions.map((p) => p.name).filter((name) => name < cutoffName);
    for (const name of dropped) await manager.query(`DROP TABLE ${name}`);
    await manager.query('DELETE FROM readings_default WHERE ts < $1', [cutoff]);
    await manager.query('DELETE FROM reading_rollups_5m WHERE bucket < $1', [
      new Date(today - this.config.rollup5mRetentionDays * DAY_MS),
    ]);
    return dropped;
  }
}

export function partitionName(day: Date): string {
  return `readings_p${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
}
