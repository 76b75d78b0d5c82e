import { randomUUID } from 'node:crypto';
import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Queue } from 'bull';
import { QueueName } from '@gridwatch/contracts';
import { APP_CONFIG, type AppConfig } from '@gridwatch/server';
import {
  type AlertNotificationJob,
  type DeliveryJob,
  NotificationJobName,
  type ReportJob,
} from './notification.jobs';

/** The producer side of the notifications queue. */
@Injectable()
export class NotificationQueue {
  private readonly logger = new Logger('NotificationQueue');

  constructor(
    @InjectQueue(QueueName.Notifications) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Never throws: a notification that cannot be queued is logged, the alert itself stands. */
  async notify(job: Omit<AlertNotificationJob, 'fanOutId'>): Promise<void> {
    try {
      const data: AlertNotificationJob = { ...job, fanOutId: randomUUID() };
      await this.queue.add(NotificationJobName.FanOut, data, this.options());
    } catch (error) {
      this.logger.error(
        `could not queue ${job.event} of ${job.alertId}: ${(error as Error).message}`,
      );
    }
  }

  async deliver(deliveryIds: string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: NotificationJobName.Deliver,
        data: { deliveryId } satisfies DeliveryJob,
        opts: { ...this.options(), jobId: `delivery:${deliveryId}` },
      })),
    );
  }

  /** Queues one report period; throws when it cannot (the scheduler then releases its claim). */
  async report(job: ReportJob): Promise<void> {
    await this.queue.add(NotificationJobName.Report, job, {
      ...this.options(),
      jobId: `report:${job.subscriptionId}:${job.start}`,
    });
  }

  private options() {
    return {
      attempts: this.config.notificationAttempts,
      backoff: { type: 'exponential', delay: this.config.notificationRetryDelayMs },
      removeOnComplete: 1000,
      removeOnFail: 5000,
    };
  }
}
