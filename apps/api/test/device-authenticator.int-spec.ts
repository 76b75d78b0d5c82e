import { createHmac } from 'node:crypto';
import { DeviceAuthenticator } from '@gridwatch/ingest';
import { GatewayEntity } from '@gridwatch/server';
import { createTestApp, TestApp } from './support/test-app';

describe('device authentication after a failed lookup', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  // Found by the fault suite (docs/faults.md): a PostgreSQL restart failed the owner lookup after
  // the signature was remembered, and the broker's redelivery of the same message was then refused
  // as a replay and dropped, although the broker had acknowledged it to the gateway.
  it('does not burn a signature when authentication fails for another reason than the proof', async () => {
    const org = await t.factory.organization();
    const operator = await t.factory.user(org, 'operator');
    const gateway = await t.factory.gateway(await t.factory.site(org), 'mqtt');
    const issued = await t.http
      .post(`/api/v1/gateways/${gateway.id}/credentials`)
      .set('Authorization', operator.auth)
      .expect(201);
    const body = JSON.stringify({ gateway_serial: gateway.serialNumber, readings: [] });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', issued.body.secret as string)
      .update(`${timestamp}.${body}`)
      .digest('hex');
    const proof = { deviceId: gateway.serialNumber, timestamp, signature, body, ip: null };
    const authenticator = t.app.get(DeviceAuthenticator);

    // The owner lookup fails once (the row is gone for a moment, as when the database drops).
    const row = await t.db.getRepository(GatewayEntity).findOneByOrFail({ id: gateway.id });
    await t.db.query('DELETE FROM gateways WHERE id = $1', [gateway.id]);
    await expect(authenticator.authenticate(proof)).rejects.toThrow();
    await t.db.getRepository(GatewayEntity).save(row);

    await expect(authenticator.authenticate(proof)).resolves.toMatchObject({ kind: 'gateway' });
    await expect(authenticator.authenticate(proof)).rejects.toMatchObject({ code: 'replayed' });
  });
});
