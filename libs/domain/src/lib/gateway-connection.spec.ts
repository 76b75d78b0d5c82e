import { connectionDetails } from './gateway-connection';

describe('connectionDetails', () => {
  it('keeps the known heartbeat fields, stamps the arrival and drops everything else', () => {
    const at = new Date('2026-11-23T10:00:00Z');
    expect(
      connectionDetails(
        {
          ip_address: '10.0.0.7',
          signal_strength: -70,
          gnss: { lat: 1 },
          status: 'online',
          evil: 'x',
        },
        at,
      ),
    ).toEqual({
      last_ping_at: '2026-11-23T10:00:00.000Z',
      ip_address: '10.0.0.7',
      signal_strength: -70,
      gnss: { lat: 1 },
    });
  });
});
