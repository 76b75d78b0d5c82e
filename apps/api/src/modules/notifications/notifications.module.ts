import { BullModule } from '@nestjs/bull';
import { Module } from '@nestjs/common';
import { QueueName } from '@gridwatch/contracts';
import { QueueModule } from '@gridwatch/server';
import { EmailSender, WebhookSender } from './notification-senders';
import { NotificationQueue } from './notification.queue';
import { NotificationsController } from './notifications.controller';
import { NotificationsProcessor } from './notifications.processor';
import { NotificationsService } from './notifications.service';
import { webhookHostPolicyProvider, WebhookHostPolicy } from './webhook-host.policy';

/** Notifications of alerts: in-app, e-mail and webhook deliveries through a Bull queue. */
@Module({
  imports: [QueueModule, BullModule.registerQueue({ name: QueueName.Notifications })],
  controllers: [NotificationsController],
  providers: [
    webhookHostPolicyProvider,
    NotificationQueue,
    NotificationsProcessor,
    NotificationsService,
    EmailSender,
    WebhookSender,
  ],
  // The queue itself too: the reports module consumes its report jobs.
  exports: [WebhookHostPolicy, NotificationQueue, EmailSender, BullModule],
})
export class NotificationsModule {}
