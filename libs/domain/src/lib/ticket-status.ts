import { TicketStatus } from '@gridwatch/contracts';

/** open -> in_progress -> resolved -> closed; resolved -> open reopens; closed is final. */
const TICKET_TRANSITIONS: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  [TicketStatus.Open]: [TicketStatus.InProgress],
  [TicketStatus.InProgress]: [TicketStatus.Resolved],
  [TicketStatus.Resolved]: [TicketStatus.Closed, TicketStatus.Open],
  [TicketStatus.Closed]: [],
};

/** The statuses a ticket in `from` may move to next; empty for the final `closed`. */
export function allowedTicketTransitions(from: TicketStatus): TicketStatus[] {
  // A status read from storage may be outside the union; it has no way out.
  return [...(TICKET_TRANSITIONS[from] ?? [])];
}

/** Whether a ticket may move from `from` to `to`; staying in the same status is not a move. */
export function canTransitionTicket(from: TicketStatus, to: TicketStatus): boolean {
  return allowedTicketTransitions(from).includes(to);
}

/** Whether a ticket in `status` still waits for work (counts against its resolution time). */
export function isTicketActive(status: TicketStatus): boolean {
  return status === TicketStatus.Open || status === TicketStatus.InProgress;
}
