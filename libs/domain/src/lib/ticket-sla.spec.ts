import {
  DEFAULT_TICKET_SLA,
  TICKET_PRIORITY_BY_ALERT_SEVERITY,
  isTicketOverdue,
  ticketDueTimes,
} from './ticket-sla';

const opened = new Date('2026-12-07T08:00:00Z');
const minutes = (n: number) => new Date(opened.getTime() + n * 60_000);

describe('ticket SLA', () => {
  it('derives due times from the priority', () => {
    expect(ticketDueTimes(DEFAULT_TICKET_SLA, 'urgent', opened)).toEqual({
      firstResponseDueAt: minutes(30),
      resolutionDueAt: minutes(240),
    });
  });

  it('answers every priority with first response before resolution', () => {
    for (const target of Object.values(DEFAULT_TICKET_SLA)) {
      expect(target.firstResponseMinutes).toBeLessThan(target.resolutionMinutes);
    }
  });

  const due = ticketDueTimes(DEFAULT_TICKET_SLA, 'urgent', opened);

  it('is overdue once unanswered past the first-response time, not at it', () => {
    const ticket = { ...due, status: 'open' as const, firstResponseAt: null };
    expect(isTicketOverdue(ticket, minutes(30))).toBe(false);
    expect(isTicketOverdue(ticket, minutes(31))).toBe(true);
  });

  it('is not overdue for first response once answered, until the resolution time passes', () => {
    const ticket = { ...due, status: 'in_progress' as const, firstResponseAt: minutes(40) };
    expect(isTicketOverdue(ticket, minutes(100))).toBe(false);
    expect(isTicketOverdue(ticket, minutes(241))).toBe(true);
  });

  it('never flags resolved or closed tickets', () => {
    for (const status of ['resolved', 'closed'] as const) {
      expect(isTicketOverdue({ ...due, status, firstResponseAt: null }, minutes(10_000))).toBe(
        false,
      );
    }
  });

  it('maps alert severities to ticket priorities', () => {
    expect(TICKET_PRIORITY_BY_ALERT_SEVERITY).toEqual({
      critical: 'urgent',
      error: 'high',
      warning: 'normal',
      info: 'low',
    });
  });
});
