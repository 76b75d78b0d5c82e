import { Module } from '@nestjs/common';
import { webhookHostPolicyProvider, WebhookHostPolicy } from './webhook-host.policy';

/** Notifications of alerts: in-app, e-mail and webhook deliveries through a Bull queue. */
@Module({
  providers: [webhookHostPolicyProvider],
  exports: [WebhookHostPolicy],
})
export class NotificationsModule {}
