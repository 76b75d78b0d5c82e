import { TICKET_STATUSES, TicketStatus } from '@gridwatch/contracts';
import { allowedTicketTransitions, canTransitionTicket, isTicketActive } from './ticket-status';

describe('ticket status state machine', () => {
  it('moves an open ticket only into progress', () => {
    expect(allowedTicketTransitions(TicketStatus.Open)).toEqual([TicketStatus.InProgress]);
  });

  it('moves a ticket in progress only to resolved', () => {
    expect(allowedTicketTransitions(TicketStatus.InProgress)).toEqual([TicketStatus.Resolved]);
  });

  it('closes or reopens a resolved ticket', () => {
    expect(allowedTicketTransitions(TicketStatus.Resolved)).toEqual([
      TicketStatus.Closed,
      TicketStatus.Open,
    ]);
  });

  it('lets nothing leave closed', () => {
    expect(allowedTicketTransitions(TicketStatus.Closed)).toEqual([]);
  });

  it('refuses skipping steps, going back from progress and staying put', () => {
    expect(canTransitionTicket(TicketStatus.Open, TicketStatus.Resolved)).toBe(false);
    expect(canTransitionTicket(TicketStatus.Open, TicketStatus.Closed)).toBe(false);
    expect(canTransitionTicket(TicketStatus.InProgress, TicketStatus.Open)).toBe(false);
    expect(canTransitionTicket(TicketStatus.Closed, TicketStatus.Open)).toBe(false);
    for (const status of TICKET_STATUSES) expect(canTransitionTicket(status, status)).toBe(false);
  });

  it('allows exactly the listed moves', () => {
    expect(canTransitionTicket(TicketStatus.Resolved, TicketStatus.Open)).toBe(true);
    expect(canTransitionTicket(TicketStatus.InProgress, TicketStatus.Resolved)).toBe(true);
  });

  it('gives an unknown stored status no way out', () => {
    expect(allowedTicketTransitions('archived' as TicketStatus)).toEqual([]);
  });

  it('counts open and in-progress tickets as active', () => {
    expect(TICKET_STATUSES.filter(isTicketActive)).toEqual(['open', 'in_progress']);
  });
});
