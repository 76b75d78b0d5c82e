import type {
  AlertSeverity,
  TicketPriority,
  TicketSlaPolicy,
  TicketStatus,
} from '@gridwatch/contracts';
import { isTicketActive } from './ticket-status';

/** Targets an organization starts with (minutes); owners change them in settings. */
export const DEFAULT_TICKET_SLA: TicketSlaPolicy = {
  urgent: { firstResponseMinutes: 30, resolutionMinutes: 4 * 60 },
  high: { firstResponseMinutes: 2 * 60, resolutionMinutes: 24 * 60 },
  normal: { firstResponseMinutes: 8 * 60, resolutionMinutes: 3 * 24 * 60 },
  low: { firstResponseMinutes: 24 * 60, resolutionMinutes: 7 * 24 * 60 },
};

/** The priority of a ticket opened from an alert, unless the caller chose one. */
export const TICKET_PRIORITY_BY_ALERT_SEVERITY: Readonly<Record<AlertSeverity, TicketPriority>> = {
  critical: 'urgent',
  error: 'high',
  warning: 'normal',
  info: 'low',
};

export interface TicketDueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** When a ticket of `priority` opened at `openedAt` must be answered and resolved. */
export function ticketDueTimes(
  policy: TicketSlaPolicy,
  priority: TicketPriority,
  openedAt: Date,
): TicketDueTimes {
  const target = policy[priority];
  const after = (minutes: number) => new Date(openedAt.getTime() + minutes * 60_000);
  return {
    firstResponseDueAt: after(target.firstResponseMinutes),
    resolutionDueAt: after(target.resolutionMinutes),
  };
}

export interface TicketSlaState extends TicketDueTimes {
  status: TicketStatus;
  firstResponseAt: Date | null;
}

/** Unanswered past its first-response time, or still active past its resolution time. */
export function isTicketOverdue(ticket: TicketSlaState, now: Date): boolean {
  if (!isTicketActive(ticket.status)) return false;
  const unanswered = ticket.firstResponseAt === null && now > ticket.firstResponseDueAt;
  return unanswered || now > ticket.resolutionDueAt;
}
