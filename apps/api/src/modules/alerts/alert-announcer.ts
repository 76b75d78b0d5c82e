import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  AlertEventKind,
  AlertNotificationEvent,
  RealtimeEvent,
  RoomKind,
  type AlertView,
  type EventType,
} from '@gridwatch/contracts';
import { AlertEventEntity, EventRecorder } from '@gridwatch/server';
import type { RequestActor } from '../auth/authenticated-user';
import { NotificationQueue } from '../notifications/notification.queue';
import { RealtimePublisher } from '../realtime/realtime.publisher';

/** What happened to an alert, as everyone downstream hears of it. */
export type AlertHappening =
  'triggered' | 'occurred' | 'acknowledged' | 'resolved' | 'escalated' | 'repeated';

const AUDIT: Partial<Record<AlertHappening, EventType>> = {
  triggered: 'alert.triggered',
  acknowledged: 'alert.acknowledged',
  resolved: 'alert.resolved',
  escalated: 'alert.escalated',
};

const TIMELINE: Partial<Record<AlertHappening, AlertEventKind>> = {
  triggered: AlertEventKind.Triggered,
  acknowledged: AlertEventKind.Acknowledged,
  resolved: AlertEventKind.Resolved,
  escalated: AlertEventKind.Escalated,
  repeated: AlertEventKind.Repeated,
};

const REALTIME: Record<AlertHappening, RealtimeEvent> = {
  triggered: RealtimeEvent.AlertTriggered,
  occurred: RealtimeEvent.AlertUpdated,
  acknowledged: RealtimeEvent.AlertUpdated,
  resolved: RealtimeEvent.AlertResolved,
  escalated: RealtimeEvent.AlertUpdated,
  repeated: RealtimeEvent.AlertUpdated,
};

const NOTIFY: Partial<Record<AlertHappening, AlertNotificationEvent>> = {
  triggered: AlertNotificationEvent.Triggered,
  resolved: AlertNotificationEvent.Resolved,
  escalated: AlertNotificationEvent.Escalated,
  repeated: AlertNotificationEvent.Repeated,
};

/**
 * The one place an alert's change fans out, after it committed: the timeline, the audit trail,
 * the realtime rooms (organization, site, meter) and the notification queue.
 */
@Injectable()
export class AlertAnnouncer {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly audit: EventRecorder,
    private readonly realtime: RealtimePublisher,
    private readonly notifications: NotificationQueue,
  ) {}

  async announce(
    happening: AlertHappening,
    organizationId: string,
    alert: AlertView,
    context: { at: Date; actor?: RequestActor; note?: string | null },
  ): Promise<void> {
    const data = {
      status: alert.status,
      level: alert.escalationLevel,
      value: alert.lastValue,
      ...(context.note ? { note: context.note } : {}),
      ...(happening === 'resolved' ? { resolution: alert.resolution } : {}),
    };
    const kind = TIMELINE[happening];
    if (kind) {
      await this.db.manager.insert(AlertEventEntity, {
        alertId: alert.id,
        kind,
        userId: context.actor?.user.id ?? null,
        // TypeORM's insert typing cannot express arbitrary JSON; the column is jsonb.
        data: data as object,
        at: context.at,
      });
    }
    const type = AUDIT[happening];
    if (type) {
      await this.audit.record({
        organizationId,
        type,
        actor: context.actor,
        subject: { type: 'alert', id: alert.id },
        data: { ruleId: alert.ruleId, meterId: alert.meterId, severity: alert.severity, ...data },
      });
    }
    this.realtime.publish(REALTIME[happening], { organizationId, alert }, [
      { kind: RoomKind.Organization },
      { kind: RoomKind.Site, id: alert.siteId },
      { kind: RoomKind.Meter, id: alert.meterId },
    ]);
    const event = NOTIFY[happening];
    if (event) {
      await this.notifications.notify({
        organizationId,
        alertId: alert.id,
        event,
        notifyOwners: happening === 'escalated',
      });
    }
  }
}
