import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '@gridwatch/contracts';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** Bull on the configured Redis: the ingest queue both apps enqueue to. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ url: config.redisUrl, prefix: config.queuePrefix }),
    }),
    BullModule.registerQueue({ name: QueueName.Ingest }),
  ],
  exports: [BullModule],
})
export class QueueModule {}
