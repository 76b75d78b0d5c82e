import type { GatewayEntity, OrganizationEntity } from '@gridwatch/server';
import type { DeviceKeys, TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

describe('POST /api/v1/gateway/ping', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let gateway: GatewayEntity;
  let keys: DeviceKeys;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    gateway = await t.factory.gateway(await t.factory.site(org));
    keys = await t.factory.credential(gateway);
    viewer = await t.factory.user(org, 'viewer');
  });
  afterAll(() => t.close());

  const ping = (body: unknown) =>
    t.http
      .post('/api/v1/gateway/ping')
      .set(keys.headers())
      .send(body as object);

  async function servedConnection(): Promise<Record<string, unknown>> {
    const response = await t.http
      .get(`/api/v1/gateways/${gateway.id}`)
      .set('Authorization', viewer.auth)
      .expect(200);
    return response.body.connection;
  }

  it('stores the valid connection details and serves them on the gateway read', async () => {
    await ping({
      gateway_serial: gateway.serialNumber,
      ip_address: '10.1.2.3',
      signal_strength: -71,
      cpu_percent: 12.5,
      memory_percent: 40,
      gnss: { lat: 51.5072, lon: -0.1276 },
    }).expect(200);
    expect(await servedConnection()).toMatchObject({
      ip_address: '10.1.2.3',
      signal_strength: -71,
      cpu_percent: 12.5,
      memory_percent: 40,
      gnss: { lat: 51.5072, lon: -0.1276 },
    });
  });

  it('refuses "very strong" signal and -500 % CPU with 400 naming each field, and stores neither', async () => {
    const response = await ping({
      gateway_serial: gateway.serialNumber,
      signal_strength: 'very strong',
      cpu_percent: -500,
      ip_address: '10.9.9.9',
    }).expect(400);
    expect(response.body).toMatchObject({
      statusCode: 400,
      error: 'validation_failed',
      details: [
        { field: 'signal_strength', messages: [expect.stringContaining('dBm')] },
        { field: 'cpu_percent', messages: [expect.stringContaining('between 0 and 100')] },
      ],
    });
    const served = await servedConnection();
    expect(served['signal_strength']).toBe(-71);
    expect(served['cpu_percent']).toBe(12.5);
    expect(served['ip_address']).toBe('10.1.2.3');
  });

  it('refuses a 1.8 MB gnss document with 413 and keeps the gateway read small', async () => {
    const gnss = { lat: 1, lon: 2, track: 'x'.repeat(1_800_000) };
    const response = await ping({ gateway_serial: gateway.serialNumber, gnss }).expect(413);
    expect(response.body.error).toBe('payload_too_large');
    const served = await servedConnection();
    expect(JSON.stringify(served).length).toBeLessThan(1024);
    expect(served['gnss']).toEqual({ lat: 51.5072, lon: -0.1276 });
  });

  it('refuses an out-of-range position and a gnss of too many keys', async () => {
    const far = await ping({ gnss: { lat: 123, lon: 0 } }).expect(400);
    expect(far.body.details).toEqual([
      { field: 'gnss.lat', messages: [expect.stringContaining('between -90 and 90')] },
    ]);
    const keysOf = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]));
    const wide = await ping({ gnss: { lat: 1, lon: 2, ...keysOf } }).expect(400);
    expect(wide.body.details).toEqual([{ field: 'gnss', messages: [expect.any(String)] }]);
  });

  it('drops unknown keys instead of storing them', async () => {
    await ping({
      gateway_serial: gateway.serialNumber,
      firmware: 'RUT955 R_00.07.06',
      connected_meters: 15,
      admin: true,
      gnss: { lat: 1, lon: 2, comment: 'hello' },
    }).expect(200);
    const served = await servedConnection();
    expect(served).toMatchObject({ firmware: 'RUT955 R_00.07.06', gnss: { lat: 1, lon: 2 } });
    expect(served).not.toHaveProperty('connected_meters');
    expect(served).not.toHaveProperty('admin');
    const [row] = await t.db.query('SELECT connection FROM gateways WHERE id = $1', [gateway.id]);
    expect(row.connection).not.toHaveProperty('admin');
  });

  it('refuses a ping that is not an object, and a timestamp without an offset', async () => {
    const list = await ping([1, 2]).expect(400);
    expect(list.body.error).toBe('invalid_payload');
    const local = await ping({ timestamp: '2026-11-23T10:00:00' }).expect(400);
    expect(local.body.details).toEqual([{ field: 'timestamp', messages: [expect.any(String)] }]);
  });
});
