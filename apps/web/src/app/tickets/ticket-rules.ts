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

/** Who the ticket is with, in words: "You", a known user's name, "Unassigned", else "Another user". */
export function assigneeLabel(
  assigneeId: string | null,
  myId: string | null,
  names: ReadonlyMap<string, string>,
): string {
  if (assigneeId === null) return 'Unassigned';
  if (assigneeId === myId) return 'You';
  return names.get(assigneeId) ?? 'Another user';
}

/** "512 B", "14.2 KiB", "3.1 MiB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}
