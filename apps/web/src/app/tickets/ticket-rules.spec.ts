import type { TicketMessageView, TicketView } from '@gridwatch/contracts';
import { assigneeLabel, fileSize, slaBadge, withMessage } from './ticket-rules';

const aTicket = (overrides: Partial<TicketView> = {}) =>
  ({ overdue: false, resolvedAt: null, closedAt: null, ...overrides }) as TicketView;

const aMessage = (id: string, createdAt: string) =>
  ({ id, ticketId: 't1', body: id, createdAt }) as TicketMessageView;

describe('slaBadge', () => {
  it('says overdue when the API says so, met once resolved, on track otherwise', () => {
    expect(slaBadge(aTicket({ overdue: true }))).toEqual({ label: 'Overdue', tone: 'bad' });
    expect(slaBadge(aTicket({ resolvedAt: '2026-12-07T06:00:00Z' })).label).toBe('Met');
    expect(slaBadge(aTicket()).label).toBe('On track');
  });
});

describe('withMessage', () => {
  it('adds a message once, in the order they were written', () => {
    const first = aMessage('m1', '2026-12-07T06:00:00Z');
    const second = aMessage('m2', '2026-12-07T06:01:00Z');
    const list = withMessage(withMessage([], second), first);
    expect(list.map((m) => m.id)).toEqual(['m1', 'm2']);
    // The live event and the post's answer bring the same message.
    expect(withMessage(list, second).map((m) => m.id)).toEqual(['m1', 'm2']);
  });
});

describe('assigneeLabel', () => {
  const names = new Map([['u-2', 'Sam Support']]);

  it('says who has the ticket', () => {
    expect(assigneeLabel(null, 'u-1', names)).toBe('Unassigned');
    expect(assigneeLabel('u-1', 'u-1', names)).toBe('You');
    expect(assigneeLabel('u-2', 'u-1', names)).toBe('Sam Support');
    // A viewer cannot list users: the assignee is said without a name.
    expect(assigneeLabel('u-3', 'u-1', names)).toBe('Another user');
  });
});

describe('fileSize', () => {
  it('says a size in B, KiB or MiB', () => {
    expect(fileSize(512)).toBe('512 B');
    expect(fileSize(14_541)).toBe('14.2 KiB');
    expect(fileSize(3_250_000)).toBe('3.1 MiB');
  });
});
