import {
  AlertEventKind,
  AlertSeverity,
  AlertStatus,
  type AlertTimelineEntry,
  type AlertView,
} from '@gridwatch/contracts';

/** Severities from the most to the least urgent (the order counts and chips are shown in). */
export const SEVERITY_ORDER: readonly AlertSeverity[] = [
  AlertSeverity.Critical,
  AlertSeverity.Error,
  AlertSeverity.Warning,
  AlertSeverity.Info,
];

export type AlertAction = 'acknowledge' | 'resolve';

/** What a user may still do with an alert (the API's lifecycle: active -> acknowledged -> resolved). */
export function alertActions(status: AlertStatus): AlertAction[] {
  switch (status) {
    case AlertStatus.Active:
      return ['acknowledge', 'resolve'];
    case AlertStatus.Acknowledged:
      return ['resolve'];
    default:
      return [];
  }
}

/** The selected alerts a bulk acknowledge would move: only active ones. */
export function acknowledgeable(alerts: readonly AlertView[], selected: ReadonlySet<string>) {
  return alerts
    .filter((alert) => selected.has(alert.id) && alert.status === AlertStatus.Active)
    .map((alert) => alert.id);
}

const TIMELINE_LABELS: Record<AlertEventKind, string> = {
  [AlertEventKind.Triggered]: 'Triggered',
  [AlertEventKind.Repeated]: 'Triggered again',
  [AlertEventKind.Escalated]: 'Escalated',
  [AlertEventKind.Acknowledged]: 'Acknowledged',
  [AlertEventKind.Resolved]: 'Resolved',
  [AlertEventKind.NotificationSent]: 'Notification sent',
  [AlertEventKind.NotificationFailed]: 'Notification failed',
  [AlertEventKind.NotificationSkipped]: 'Notification skipped',
  [AlertEventKind.TicketOpened]: 'Ticket opened',
};

/** One line of the timeline: what happened, with the level, channel, note or error it names. */
export function timelineText(entry: AlertTimelineEntry): string {
  const label = TIMELINE_LABELS[entry.kind] ?? entry.kind;
  const { level, channel, target, note, error } = entry.data;
  switch (entry.kind) {
    case AlertEventKind.Escalated:
      return typeof level === 'number' ? `${label} to level ${level}` : label;
    case AlertEventKind.NotificationSent:
    case AlertEventKind.NotificationFailed:
    case AlertEventKind.NotificationSkipped: {
      const to = [channel, target].filter((part) => typeof part === 'string').join(' → ');
      const why = typeof error === 'string' ? `: ${error}` : '';
      return `${label}${to ? ` (${to})` : ''}${why}`;
    }
    case AlertEventKind.TicketOpened:
      return typeof entry.data['number'] === 'string' ? `${label}: ${entry.data['number']}` : label;
    default:
      return typeof note === 'string' ? `${label}: “${note}”` : label;
  }
}

/** The alert's value against its threshold, e.g. "182.4 (threshold 200)". */
export function valueText(alert: AlertView): string {
  const value = alert.lastValue ?? alert.firstValue;
  if (value === null) return '—';
  return alert.threshold === null ? String(value) : `${value} (threshold ${alert.threshold})`;
}
