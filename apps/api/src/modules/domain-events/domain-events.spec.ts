import { DomainEvent, type StatusChangedEvent } from '@gridwatch/contracts';
import { DomainEvents } from './domain-events';

const change: StatusChangedEvent = {
  subject: 'meter',
  organizationId: 'org',
  id: 'meter',
  from: 'offline',
  to: 'online',
  reason: null,
  at: '2026-12-01T00:00:00.000Z',
};

describe('DomainEvents', () => {
  it('awaits every handler of the event, and only of that event', async () => {
    const events = new DomainEvents();
    const seen: string[] = [];
    events.on(DomainEvent.StatusChanged, async (event) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen.push(`a:${event.to}`);
    });
    events.on(DomainEvent.StatusChanged, (event) => void seen.push(`b:${event.to}`));
    events.on(DomainEvent.ReadingsStored, () => void seen.push('wrong'));
    await events.emit(DomainEvent.StatusChanged, change);
    expect(seen.sort()).toEqual(['a:online', 'b:online']);
  });

  it('a failing handler neither rejects the emit nor stops the other handlers', async () => {
    const events = new DomainEvents();
    const seen: string[] = [];
    events.on(DomainEvent.StatusChanged, () => {
      throw new Error('boom');
    });
    events.on(DomainEvent.StatusChanged, () => Promise.reject(new Error('async boom')));
    events.on(DomainEvent.StatusChanged, () => void seen.push('still called'));
    await expect(events.emit(DomainEvent.StatusChanged, change)).resolves.toBeUndefined();
    expect(seen).toEqual(['still called']);
  });

  it('an unsubscribed handler is not called', async () => {
    const events = new DomainEvents();
    const handler = jest.fn();
    const off = events.on(DomainEvent.StatusChanged, handler);
    off();
    await events.emit(DomainEvent.StatusChanged, change);
    expect(handler).not.toHaveBeenCalled();
  });
});
