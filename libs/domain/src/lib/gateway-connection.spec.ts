import { checkGatewayConnection, connectionDetails } from './gateway-connection';

const valid = {
  ip_address: '10.0.0.7',
  signal_strength: -70,
  sim_iccid: '8944123456789012345',
  cpu_percent: 12.5,
  memory_percent: 48,
  uptime_seconds: 86400,
  firmware: 'RUT955 R_00.07.06',
  gnss: { lat: 51.5072, lon: -0.1276, alt_m: 35, satellites: 9 },
};

describe('checkGatewayConnection', () => {
  it('keeps every valid known field and reports no problem', () => {
    expect(checkGatewayConnection(valid)).toEqual({ connection: valid, problems: [] });
  });

  it('accepts an IPv6 address', () => {
    expect(checkGatewayConnection({ ip_address: '2001:db8::7' }).problems).toEqual([]);
  });

  it('drops unknown keys, at the top and inside gnss, without calling them problems', () => {
    const checked = checkGatewayConnection({
      ...valid,
      status: 'online',
      evil: 'x'.repeat(10_000),
      gnss: { lat: 1, lon: 2, note: 'x'.repeat(10_000) },
    });
    expect(checked.problems).toEqual([]);
    expect(checked.connection).not.toHaveProperty('evil');
    expect(checked.connection).not.toHaveProperty('status');
    expect(checked.connection.gnss).toEqual({ lat: 1, lon: 2 });
  });

  it.each([
    ['signal_strength', 'very strong'],
    ['signal_strength', 85],
    ['signal_strength', -500],
    ['cpu_percent', -500],
    ['cpu_percent', 101],
    ['memory_percent', '50'],
    ['uptime_seconds', 1.5],
    ['uptime_seconds', -1],
    ['ip_address', 'router.example'],
    ['ip_address', '300.1.1.1'],
    ['sim_iccid', 'not-an-iccid'],
    ['firmware', 'x'.repeat(65)],
    ['firmware', 42],
    ['gnss', 'somewhere'],
    ['gnss', [1, 2]],
    ['gnss', { lat: 1 }],
    ['gnss.lat', { lat: 91, lon: 0 }],
    ['gnss.lon', { lat: 0, lon: -181 }],
    ['gnss.lat', { lat: 'north', lon: 0 }],
  ])('refuses %s = %j and does not keep it', (field, value) => {
    const key = field.split('.')[0] as string;
    const other = key === 'ip_address' ? { firmware: '1.0' } : { ip_address: '10.0.0.7' };
    const checked = checkGatewayConnection({ ...other, [key]: value });
    expect(checked.problems).toEqual([{ field, message: expect.stringMatching(`^${field} `) }]);
    expect(checked.connection).toEqual(other);
  });

  it('refuses a gnss document of more keys than the cap, without walking it', () => {
    const huge: Record<string, unknown> = { lat: 1, lon: 2 };
    for (let i = 0; i < 50_000; i++) huge[`k${i}`] = { nested: 'x'.repeat(30) };
    const checked = checkGatewayConnection({ gnss: huge });
    expect(checked.problems).toEqual([
      { field: 'gnss', message: 'gnss must hold at most 16 fields' },
    ]);
    expect(checked.connection).toEqual({});
  });

  it('bounds the stored document whatever arrives', () => {
    const worst = {
      ...valid,
      ip_address: 'f'.repeat(4) + ':'.repeat(41),
      firmware: 'x'.repeat(64),
      sim_iccid: '9'.repeat(22),
      gnss: {
        lat: -89.123456789,
        lon: -179.123456789,
        alt_m: -999.123456789,
        speed_kmh: 1999.123456789,
        heading_deg: 359.123456789,
        satellites: 200,
        hdop: 99.123456789,
        accuracy_m: 99999.123456789,
      },
    };
    const stored = connectionDetails(worst, new Date());
    expect(Buffer.byteLength(JSON.stringify(stored))).toBeLessThan(1024);
  });
});

describe('connectionDetails', () => {
  it('keeps the valid known heartbeat fields, stamps the arrival and drops everything else', () => {
    const at = new Date('2026-11-23T10:00:00Z');
    expect(
      connectionDetails(
        {
          ip_address: '10.0.0.7',
          signal_strength: -70,
          cpu_percent: -500,
          gnss: { lat: 1, lon: 2 },
          status: 'online',
          evil: 'x',
        },
        at,
      ),
    ).toEqual({
      last_ping_at: '2026-11-23T10:00:00.000Z',
      ip_address: '10.0.0.7',
      signal_strength: -70,
      gnss: { lat: 1, lon: 2 },
    });
  });
});
