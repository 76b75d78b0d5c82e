import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '@gridwatch/contracts';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/**
 * Bull on the configured Redis: the ingest queue both apps enqueue to. A job's lock lasts
 * INGEST_JOB_LOCK_SECONDS (renewed at half of it while the job runs); the stalled-job check that
 * hands a dead worker's jobs to the others runs as often. A job that stalls (its worker died) runs
 * again up to INGEST_JOB_ATTEMPTS times rather than Bull's default once: processing is idempotent.
 */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        url: config.redisUrl,
        prefix: config.queuePrefix,
        settings: {
          lockDuration: config.ingestJobLockSeconds * 1000,
          stalledInterval: config.ingestJobLockSeconds * 1000,
          maxStalledCount: config.ingestJobAttempts,
        },
      }),
    }),
    BullModule.registerQueue({ name: QueueName.Ingest }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
