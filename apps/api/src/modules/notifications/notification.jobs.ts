import type { AlertNotificationEvent } from '@gridwatch/contracts';

/** Bull job names of the notifications queue. */
export const NotificationJobName = {
  /** Turn one alert event into deliveries (one per channel and target). */
  FanOut: 'fan-out',
  /** Attempt one delivery; retried with exponential backoff. */
  Deliver: 'deliver',
  /** Build and e-mail one scheduled site report (consumed by the reports module). */
  Report: 'report',
} as const;

export interface AlertNotificationJob {
  /** Set when queued: the deliveries' key, so a re-run fan-out adds none. */
  fanOutId: string;
  organizationId: string;
  alertId: string;
  event: AlertNotificationEvent;
  /** Escalations also tell the organization's owners. */
  notifyOwners: boolean;
}

export interface DeliveryJob {
  deliveryId: string;
}

/** One period of a report subscription, claimed by the scheduler. */
export interface ReportJob {
  subscriptionId: string;
  /** The period's edges, epoch milliseconds. */
  start: number;
  end: number;
}
