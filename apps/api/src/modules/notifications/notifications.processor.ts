import { InjectQueue } from '@nestjs/bull';
import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Job, Queue } from 'bull';
import { DataSource } from 'typeorm';
import {
  AlertEventKind,
  NotificationChannel,
  QueueName,
  RealtimeEvent,
  RoomKind,
  type AlertView,
  type AlertWebhookPayload,
  type DeliveryStatus,
} from '@gridwatch/contracts';
import {
  AlertEventEntity,
  AlertRuleEntity,
  APP_CONFIG,
  type AppConfig,
  NotificationDeliveryEntity,
  NotificationEntity,
  SecretBox,
} from '@gridwatch/server';
import { ALERT_VIEW_SQL, type AlertRow, toAlertView } from '../alerts/alert-view';
import { RealtimePublisher } from '../realtime/realtime.publisher';
import {
  type AlertNotificationJob,
  type DeliveryJob,
  NotificationJobName,
} from './notification.jobs';
import { NotificationQueue } from './notification.queue';
import {
  DeliverySkipped,
  EmailSender,
  PermanentDeliveryFailure,
  WebhookSender,
} from './notification-senders';
import { toNotificationView } from './notifications.service';

interface Target {
  channel: NotificationChannel;
  target: string;
}

/**
 * Consumes the notifications queue: a fan-out job turns an alert event into one delivery per
 * channel and target (the delivery log), each delivery job is tried with exponential backoff.
 * A re-run delivery that already succeeded does nothing (its status says so; in-app rows are
 * unique per delivery). Runs unless PROCESS_MODE=api.
 */
@Injectable()
export class NotificationsProcessor implements OnApplicationBootstrap {
  private readonly logger = new Logger('Notifications');
  private readonly box: SecretBox;

  constructor(
    @InjectQueue(QueueName.Notifications) private readonly queue: Queue,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly producer: NotificationQueue,
    private readonly email: EmailSender,
    private readonly webhook: WebhookSender,
    private readonly realtime: RealtimePublisher,
  ) {
    this.box = new SecretBox(config.credentialsKey);
  }

  onApplicationBootstrap(): void {
    if (this.config.processMode === 'api') return;
    this.queue.on('failed', (job: Job, error: Error) => void this.onFailed(job, error));
    this.queue.on('error', (error) => this.logger.warn(`queue error: ${error.message}`));
    void this.queue.process(NotificationJobName.FanOut, 2, (job: Job<AlertNotificationJob>) =>
      this.fanOut(job.data),
    );
    void this.queue.process(NotificationJobName.Deliver, 4, (job: Job<DeliveryJob>) =>
      this.deliver(job.data.deliveryId),
    );
  }

  /**
   * One delivery per channel and target of the alert's rule (owners too on escalation). Keyed by
   * the fan-out's id (in the job's data): a re-run finds the rows it wrote and queues them again (a delivery job
   * id is the delivery's, and a delivery no longer pending is not sent twice).
   */
  async fanOut(job: AlertNotificationJob): Promise<string[]> {
    const { fanOutId } = job;
    const alert = await this.alertOf(job.alertId);
    const rule = alert?.ruleId
      ? await this.db.manager.findOneBy(AlertRuleEntity, { id: alert.ruleId })
      : null;
    if (!alert || !rule) return [];
    const targets = await this.targets(rule, job.notifyOwners);
    if (targets.length === 0) return [];
    await this.db.manager
      .createQueryBuilder()
      .insert()
      .into(NotificationDeliveryEntity)
      .values(
        targets.map((target) => ({
          organizationId: job.organizationId,
          alertId: job.alertId,
          event: job.event,
          fanOutId,
          ...target,
        })),
      )
      .orIgnore()
      .execute();
    const rows = await this.db.manager.findBy(NotificationDeliveryEntity, {
      fanOutId,
      status: 'pending',
    });
    const ids = rows.map((row) => row.id);
    await this.producer.deliver(ids);
    return ids;
  }

  /** Attempts one delivery; throws to have Bull retry it (5xx, timeout, SMTP trouble). */
  async deliver(deliveryId: string): Promise<DeliveryStatus> {
    const delivery = await this.db.manager.findOneBy(NotificationDeliveryEntity, {
      id: deliveryId,
    });
    if (!delivery || delivery.status !== 'pending') return delivery?.status ?? 'failed';
    await this.db.manager.increment(NotificationDeliveryEntity, { id: deliveryId }, 'attempts', 1);
    const alert = await this.alertOf(delivery.alertId);
    if (!alert) return this.finish(delivery, 'failed', 'the alert is gone');
    try {
      await this.send(delivery, alert);
      return await this.finish(delivery, 'sent', null);
    } catch (error) {
      if (error instanceof DeliverySkipped) return this.finish(delivery, 'skipped', error.message);
      if (error instanceof PermanentDeliveryFailure) {
        return this.finish(delivery, 'failed', error.message);
      }
      await this.db.manager.update(
        NotificationDeliveryEntity,
        { id: deliveryId },
        { error: (error as Error).message },
      );
      throw error;
    }
  }

  private async send(delivery: NotificationDeliveryEntity, alert: AlertView): Promise<void> {
    const title = `${alert.severity.toUpperCase()}: ${alert.title}`;
    const body = `${alert.message} (${delivery.event}, status ${alert.status}, level ${alert.escalationLevel})`;
    switch (delivery.channel) {
      case NotificationChannel.InApp:
        return this.inApp(delivery, alert, title, body);
      case NotificationChannel.Email:
        return this.email.send({
          to: delivery.target,
          subject: `[GridWatch] ${title}`,
          text: `${body}\n\nMeter: ${alert.meterName}\nRule: ${alert.ruleName}\nTriggered: ${alert.triggeredAt}\nAlert: ${alert.id}\n`,
        });
      case NotificationChannel.Webhook: {
        const rule = alert.ruleId
          ? await this.db.manager.findOneBy(AlertRuleEntity, { id: alert.ruleId })
          : null;
        if (!rule?.webhookSecretSealed) throw new PermanentDeliveryFailure('no webhook secret');
        const payload: AlertWebhookPayload = {
          event: delivery.event,
          deliveryId: delivery.id,
          sentAt: new Date().toISOString(),
          alert,
        };
        await this.webhook.send(
          delivery.target,
          this.box.open(rule.webhookSecretSealed),
          delivery.event,
          JSON.stringify(payload),
        );
        return;
      }
    }
  }

  private async inApp(
    delivery: NotificationDeliveryEntity,
    alert: AlertView,
    title: string,
    body: string,
  ): Promise<void> {
    const rows = (await this.db.query(
      `INSERT INTO notifications (organization_id, user_id, alert_id, delivery_id, event, title,
         body, severity)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT (delivery_id) DO NOTHING RETURNING id`,
      [
        delivery.organizationId,
        delivery.target,
        alert.id,
        delivery.id,
        delivery.event,
        title,
        body,
        alert.severity,
      ],
    )) as Array<{ id: string }>;
    const id = rows[0]?.id;
    if (!id) return;
    const notification = await this.db.manager.findOneByOrFail(NotificationEntity, { id });
    this.realtime.publish(
      RealtimeEvent.NotificationCreated,
      {
        organizationId: delivery.organizationId,
        userId: delivery.target,
        notification: toNotificationView(notification),
      },
      [{ kind: RoomKind.User, id: delivery.target }],
    );
  }

  private async finish(
    delivery: NotificationDeliveryEntity,
    status: DeliveryStatus,
    error: string | null,
  ): Promise<DeliveryStatus> {
    await this.db.manager.update(
      NotificationDeliveryEntity,
      { id: delivery.id },
      { status, error, deliveredAt: status === 'sent' ? new Date() : null },
    );
    const kind =
      status === 'sent'
        ? AlertEventKind.NotificationSent
        : status === 'skipped'
          ? AlertEventKind.NotificationSkipped
          : AlertEventKind.NotificationFailed;
    await this.db.manager.insert(AlertEventEntity, {
      alertId: delivery.alertId,
      kind,
      userId: null,
      data: {
        deliveryId: delivery.id,
        channel: delivery.channel,
        target: delivery.target,
        event: delivery.event,
        ...(error ? { error } : {}),
      },
    });
    return status;
  }

  /** After the last attempt a delivery is logged failed with its last error. */
  private async onFailed(job: Job, error: Error): Promise<void> {
    if (job.name === NotificationJobName.FanOut)
      this.logger.warn(`fan-out ${job.id} failed: ${error.message}`);
    if (job.name !== NotificationJobName.Deliver) return;
    if (job.attemptsMade < (job.opts.attempts ?? 1)) return;
    const delivery = await this.db.manager.findOneBy(NotificationDeliveryEntity, {
      id: (job.data as DeliveryJob).deliveryId,
    });
    if (delivery?.status === 'pending') await this.finish(delivery, 'failed', error.message);
  }

  private async targets(rule: AlertRuleEntity, notifyOwners: boolean): Promise<Target[]> {
    const users = (await this.db.query(
      `SELECT id, email, role FROM users WHERE organization_id = $1 AND NOT disabled`,
      [rule.organizationId],
    )) as Array<{ id: string; email: string; role: string }>;
    const chosen = rule.recipients.userIds ?? [];
    const recipients = users.filter((user) =>
      chosen.length > 0 ? chosen.includes(user.id) : true,
    );
    const owners = notifyOwners ? users.filter((user) => user.role === 'owner') : [];
    const targets: Target[] = [];
    const add = (channel: NotificationChannel, target: string) => {
      if (!targets.some((t) => t.channel === channel && t.target === target)) {
        targets.push({ channel, target });
      }
    };
    if (rule.channels.includes(NotificationChannel.InApp) || notifyOwners) {
      const inApp = rule.channels.includes(NotificationChannel.InApp) ? recipients : [];
      for (const user of [...inApp, ...owners]) add(NotificationChannel.InApp, user.id);
    }
    if (rule.channels.includes(NotificationChannel.Email)) {
      const named = users.filter((user) => chosen.includes(user.id)).map((user) => user.email);
      const emails = [...(rule.recipients.emails ?? []), ...named, ...owners.map((o) => o.email)];
      for (const email of emails) add(NotificationChannel.Email, email.toLowerCase());
    }
    if (rule.channels.includes(NotificationChannel.Webhook) && rule.recipients.webhookUrl) {
      add(NotificationChannel.Webhook, rule.recipients.webhookUrl);
    }
    return targets;
  }

  private async alertOf(id: string): Promise<AlertView | null> {
    const [row] = (await this.db.query(`${ALERT_VIEW_SQL} WHERE a.id = $1`, [id])) as AlertRow[];
    return row ? toAlertView(row) : null;
  }
}
