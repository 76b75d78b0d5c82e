import type { OrganizationEntity } from '@gridwatch/server';
import type { DeviceKeys, TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

/** `{"a":{"a":...{"a":1}...}}`, `levels` objects deep, as text (JSON.stringify would overflow). */
function nested(levels: number): string {
  return '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);
}

describe('JSON bodies are bounded in depth before they are parsed', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let operator: TestUser;
  let keys: DeviceKeys;
  let gatewaySerial: string;
  let siteId: string;

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    operator = await t.factory.user(org, 'operator');
    const site = await t.factory.site(org);
    siteId = site.id;
    const gateway = await t.factory.gateway(site);
    gatewaySerial = gateway.serialNumber;
    keys = await t.factory.credential(gateway);
  });
  afterAll(() => t.close());

  it('POST /meters with metadata 5,000 deep is 400 payload_too_deep, not 500', async () => {
    const response = await t.http
      .post('/api/v1/meters')
      .set('Authorization', operator.auth)
      .set('Content-Type', 'application/json')
      .send(`{"siteId":"${siteId}","name":"Deep","kind":"heater","metadata":${nested(5000)}}`)
      .expect(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'payload_too_deep' });
    expect(response.body.message).toMatch(/32/);
  });

  it('POST /gateway/ping with gnss 40 deep is 400 payload_too_deep', async () => {
    const body = `{"gateway_serial":"${gatewaySerial}","gnss":${nested(40)}}`;
    const response = await t.http
      .post('/api/v1/gateway/ping')
      .set(keys.headers())
      .set('Content-Type', 'application/json')
      .send(body)
      .expect(400);
    expect(response.body).toMatchObject({ error: 'payload_too_deep' });
  });

  it('a body exactly 32 deep is parsed as usual', async () => {
    const response = await t.http
      .post('/api/v1/meters')
      .set('Authorization', operator.auth)
      .set('Content-Type', 'application/json')
      .send(`{"siteId":"${siteId}","name":"Shallow","kind":"heater","metadata":${nested(31)}}`);
    expect(response.body.error).not.toBe('payload_too_deep');
  });

  it('the raw body is still kept for device signatures', async () => {
    await t.http
      .post('/api/v1/gateway/ping')
      .set(keys.signed(JSON.stringify({ gateway_serial: gatewaySerial })))
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ gateway_serial: gatewaySerial }))
      .expect(200);
  });
});
