import type { TicketMessageView, TicketView } from '@gridwatch/contracts';

/** The ticket's SLA badge: overdue (the API's verdict), else due soon or on track, or met. */
export function slaBadge(ticket: TicketView): { label: string; tone: 'bad' | 'warn' | 'good' } {
  if (ticket.overdue) return { label: 'Overdue', tone: 'bad' };
  if (ticket.resolvedAt || ticket.closedAt) return { label: 'Met', tone: 'good' };
  return { label: 'On track', tone: 'good' };
}

/** A message added to the conversation once (the live event and the post's answer both bring it). */
export function withMessage(
  messages: readonly TicketMessageView[],
  message: TicketMessageView,
): TicketMessageView[] {
  if (messages.some((existing) => existing.id === message.id)) return [...messages];
  return [...messages, message].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}
