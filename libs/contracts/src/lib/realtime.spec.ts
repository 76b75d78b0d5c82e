import {
  REALTIME_EVENTS,
  RealtimeCommand,
  RealtimeNotice,
  type RealtimeEvent,
  type RealtimeEventPayloads,
} from './realtime';

describe('realtime contract', () => {
  it('gives every event a payload type (checked by the compiler) and a distinct name', () => {
    const payloadTypes: Record<RealtimeEvent, keyof RealtimeEventPayloads> = {
      'reading.received': 'reading.received',
      'device.status_changed': 'device.status_changed',
      'gateway.status_changed': 'gateway.status_changed',
      'alert.triggered': 'alert.triggered',
      'alert.updated': 'alert.updated',
      'alert.resolved': 'alert.resolved',
      'notification.created': 'notification.created',
      'ticket.created': 'ticket.created',
      'ticket.assigned': 'ticket.assigned',
      'ticket.status_changed': 'ticket.status_changed',
      'ticket.message': 'ticket.message',
    };
    expect(Object.keys(payloadTypes).sort()).toEqual([...REALTIME_EVENTS].sort());
  });

  it('never reuses a name across events, notices and commands (one socket carries them all)', () => {
    const names = [
      ...REALTIME_EVENTS,
      ...Object.values(RealtimeNotice),
      ...Object.values(RealtimeCommand),
      // socket.io's reserved names
      'connect',
      'connect_error',
      'disconnect',
      'disconnecting',
    ];
    expect(new Set(names).size).toBe(names.length);
  });
});
