import type { Page } from './pagination';
import type { Parameter } from './readings';

/** What an alert rule watches for. */
export const AlertCondition = {
  /** A reading above the threshold. */
  Above: 'above',
  /** A reading below the threshold. */
  Below: 'below',
  /** The value changed faster than `threshold` units per minute (either direction). */
  RateOfChange: 'rate_of_change',
  /** No reading of the parameter for `durationSeconds` (checked by the sweep). */
  NoData: 'no_data',
  /** A reading whose quality is not `good` (the pipeline's data quality verdict). */
  DataQuality: 'data_quality',
  /** The meter is offline (for at least `durationSeconds`). */
  DeviceOffline: 'device_offline',
} as const;
export type AlertCondition = (typeof AlertCondition)[keyof typeof AlertCondition];
export const ALERT_CONDITIONS: readonly AlertCondition[] = Object.values(AlertCondition);

/** Conditions judged on each stored reading; the others are judged by the scheduled sweep. */
export const READING_CONDITIONS: readonly AlertCondition[] = [
  AlertCondition.Above,
  AlertCondition.Below,
  AlertCondition.RateOfChange,
  AlertCondition.DataQuality,
];

/** Conditions that compare a value with `threshold` (which they therefore require). */
export const THRESHOLD_CONDITIONS: readonly AlertCondition[] = [
  AlertCondition.Above,
  AlertCondition.Below,
  AlertCondition.RateOfChange,
];

export const AlertSeverity = {
  Info: 'info',
  Warning: 'warning',
  Error: 'error',
  Critical: 'critical',
} as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];
export const ALERT_SEVERITIES: readonly AlertSeverity[] = Object.values(AlertSeverity);

/** `active` -> `acknowledged` -> `resolved`; `active` -> `resolved` directly too. */
export const AlertStatus = {
  Active: 'active',
  Acknowledged: 'acknowledged',
  Resolved: 'resolved',
} as const;
export type AlertStatus = (typeof AlertStatus)[keyof typeof AlertStatus];
export const ALERT_STATUSES: readonly AlertStatus[] = Object.values(AlertStatus);

/** When a rule applies, by its site's operating hours in the site's time zone. */
export const AlertSchedule = {
  Always: 'always',
  InHours: 'in_hours',
  OutOfHours: 'out_of_hours',
} as const;
export type AlertSchedule = (typeof AlertSchedule)[keyof typeof AlertSchedule];
export const ALERT_SCHEDULES: readonly AlertSchedule[] = Object.values(AlertSchedule);

export const NotificationChannel = {
  InApp: 'in_app',
  Email: 'email',
  Webhook: 'webhook',
} as const;
export type NotificationChannel = (typeof NotificationChannel)[keyof typeof NotificationChannel];
export const NOTIFICATION_CHANNELS: readonly NotificationChannel[] =
  Object.values(NotificationChannel);

/** How an alert was resolved. */
export const AlertResolution = { Auto: 'auto', Manual: 'manual' } as const;
export type AlertResolution = (typeof AlertResolution)[keyof typeof AlertResolution];

/** Entries of an alert's timeline. */
export const AlertEventKind = {
  Triggered: 'triggered',
  /** A re-notification while the alert stayed open (`repeatMinutes`). */
  Repeated: 'repeated',
  Escalated: 'escalated',
  Acknowledged: 'acknowledged',
  Resolved: 'resolved',
  NotificationSent: 'notification_sent',
  NotificationFailed: 'notification_failed',
  NotificationSkipped: 'notification_skipped',
  /** A ticket was opened from the alert (`data: {ticketId, number}`). */
  TicketOpened: 'ticket_opened',
} as const;
export type AlertEventKind = (typeof AlertEventKind)[keyof typeof AlertEventKind];

/** What a notification announces: the `X-GridWatch-Event` of a webhook. */
export const AlertNotificationEvent = {
  Triggered: 'alert.triggered',
  Escalated: 'alert.escalated',
  Repeated: 'alert.repeated',
  Resolved: 'alert.resolved',
} as const;
export type AlertNotificationEvent =
  (typeof AlertNotificationEvent)[keyof typeof AlertNotificationEvent];

export const DeliveryStatus = {
  Pending: 'pending',
  Sent: 'sent',
  Failed: 'failed',
  /** Not attempted, with the reason (no SMTP configured, no address). */
  Skipped: 'skipped',
} as const;
export type DeliveryStatus = (typeof DeliveryStatus)[keyof typeof DeliveryStatus];

/** Headers of a webhook delivery. The signature is `sha256=<hex HMAC-SHA256(secret, raw body)>`. */
export const WEBHOOK_SIGNATURE_HEADER = 'X-GridWatch-Signature';
export const WEBHOOK_EVENT_HEADER = 'X-GridWatch-Event';

/** `{}` = the whole organization, `{siteId}` = the site's meters, `{meterId}` = one meter. */
export interface AlertRuleScope {
  siteId?: string;
  meterId?: string;
}

export interface AlertRecipients {
  userIds: string[];
  emails: string[];
  webhookUrl: string | null;
}

export interface AlertEscalation {
  afterMinutes: number;
  maxLevel: number;
}

/** An alert rule as written (create, import) and as answered (with id and times). */
export interface AlertRuleInput {
  name: string;
  scope: AlertRuleScope;
  /** Required except for `device_offline` and `data_quality` (null: any parameter). */
  parameter: Parameter | null;
  condition: AlertCondition;
  threshold: number | null;
  durationSeconds: number;
  cooldownSeconds: number;
  severity: AlertSeverity;
  channels: NotificationChannel[];
  recipients: AlertRecipients;
  autoResolve: boolean;
  escalation: AlertEscalation | null;
  repeatMinutes: number | null;
  schedule: AlertSchedule;
  enabled: boolean;
}

export interface AlertRuleView extends AlertRuleInput {
  id: string;
  /** Whether a webhook secret exists (the secret itself is answered once). */
  hasWebhookSecret: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The answer to creating a rule (or first giving it a webhook): the secret, once. */
export interface CreatedAlertRule extends AlertRuleView {
  webhookSecret?: string;
}

/** `GET /alert-rules/export`, and the body of `POST /alert-rules/import`. */
export interface AlertRulesDocument {
  version: 1;
  exportedAt: string;
  rules: AlertRuleInput[];
}

export interface AlertView {
  id: string;
  /** Null once the rule was deleted (the alert keeps its name). */
  ruleId: string | null;
  ruleName: string;
  meterId: string;
  meterName: string;
  siteId: string;
  condition: AlertCondition;
  parameter: Parameter | null;
  severity: AlertSeverity;
  status: AlertStatus;
  title: string;
  message: string;
  threshold: number | null;
  /** The value that triggered the alert, and the latest while it stayed open. */
  firstValue: number | null;
  lastValue: number | null;
  occurrences: number;
  escalationLevel: number;
  triggeredAt: string;
  lastTriggeredAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  acknowledgeNote: string | null;
  resolvedAt: string | null;
  /** Null when resolved automatically (`resolution: 'auto'`). */
  resolvedBy: string | null;
  resolution: AlertResolution | null;
  resolveNote: string | null;
}

export interface AlertTimelineEntry {
  kind: AlertEventKind;
  at: string;
  /** The user who acted, when one did. */
  userId: string | null;
  data: Record<string, unknown>;
}

export interface NotificationDeliveryView {
  id: string;
  channel: NotificationChannel;
  event: AlertNotificationEvent;
  target: string;
  status: DeliveryStatus;
  attempts: number;
  error: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

export interface AlertDetailView extends AlertView {
  timeline: AlertTimelineEntry[];
  deliveries: NotificationDeliveryView[];
}

export interface AlertCounts {
  byStatus: Record<AlertStatus, number>;
  bySeverity: Record<AlertSeverity, number>;
}

export interface AlertPage extends Page<AlertView> {
  counts: AlertCounts;
}

export interface BulkAcknowledgeResult {
  acknowledged: string[];
  /** Ids that were not active (already acknowledged or resolved) or are not the caller's. */
  skipped: string[];
}

export interface NotificationView {
  id: string;
  alertId: string | null;
  event: AlertNotificationEvent;
  title: string;
  body: string;
  severity: AlertSeverity;
  read: boolean;
  createdAt: string;
}

export interface UnreadCountView {
  unread: number;
}

/** The JSON body of a webhook delivery. */
export interface AlertWebhookPayload {
  event: AlertNotificationEvent;
  deliveryId: string;
  sentAt: string;
  alert: AlertView;
}
