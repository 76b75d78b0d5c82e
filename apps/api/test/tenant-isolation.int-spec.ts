import type { GatewayEntity, MeterEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** Organization A's owner asks for organization B's things: 404 every time, never B's data. */
describe('tenant isolation', () => {
  let t: TestApp;
  let ownerA: TestUser;
  let ownerB: TestUser;
  let viewerB: TestUser;
  let gatewayB: GatewayEntity;
  let meterB: MeterEntity;
  let batchB: string;
  // A value nobody else stores: its absence from A's answers shows B's data did not leak.
  const MARKER = 987654.321;

  beforeAll(async () => {
    t = await createTestApp();
    ownerA = await t.factory.user(await t.factory.organization(), 'owner');
    const orgB = await t.factory.organization();
    ownerB = await t.factory.user(orgB, 'owner');
    viewerB = await t.factory.user(orgB, 'viewer', { name: 'Bea Original' });
    const siteB = await t.factory.site(orgB);
    gatewayB = await t.factory.gateway(siteB);
    meterB = await t.factory.meter(siteB, gatewayB);
    const keysB = await t.factory.credential(gatewayB);
    const accepted = await t.http
      .post('/api/v1/readings/ingest')
      .set(keysB.headers())
      .send({
        gateway_serial: gatewayB.serialNumber,
        timestamp: new Date().toISOString(),
        readings: [{ meter_id: meterB.id, parameter: 'power_w', value: MARKER, unit: 'W' }],
      })
      .expect(202);
    batchB = accepted.body.batch_id;
    await waitFor(
      async () => {
        const batch = await t.http
          .get(`/api/v1/ingest/batches/${batchB}`)
          .set('Authorization', ownerB.auth);
        return batch.body.status === 'processed' ? true : undefined;
      },
      15000,
      "organization B's batch",
    );
  });
  afterAll(() => t.close());

  const asA = (path: string) => t.http.get(path).set('Authorization', ownerA.auth);
  const asB = (path: string) => t.http.get(path).set('Authorization', ownerB.auth);

  it("B's own owner sees everything the other tests ask for (the data exists)", async () => {
    const latest = await asB(`/api/v1/meters/${meterB.id}/readings/latest`).expect(200);
    expect(JSON.stringify(latest.body)).toContain(String(MARKER));
    const csv = await asB(`/api/v1/meters/${meterB.id}/readings/export.csv`).expect(200);
    expect(csv.text).toContain(String(MARKER));
    await asB(`/api/v1/ingest/batches/${batchB}`).expect(200);
    await asB(`/api/v1/users/${viewerB.user.id}`).expect(200);
    const events = await asB(`/api/v1/events?subjectId=${gatewayB.id}`).expect(200);
    expect(events.body.items.length).toBeGreaterThan(0);
  });

  it("latest readings of B's meter: 404 meter_not_found, no values", async () => {
    const response = await asA(`/api/v1/meters/${meterB.id}/readings/latest`).expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'meter_not_found',
      message: 'Meter not found',
    });
  });

  it("CSV export of B's meter: 404 as JSON, not a CSV", async () => {
    const response = await asA(`/api/v1/meters/${meterB.id}/readings/export.csv`).expect(404);
    expect(response.headers['content-type']).toMatch(/application\/json/);
    expect(response.body.error).toBe('meter_not_found');
    expect(response.text).not.toContain(String(MARKER));
  });

  it("B's ingest batch: 404 batch_not_found", async () => {
    const response = await asA(`/api/v1/ingest/batches/${batchB}`).expect(404);
    expect(response.body).toEqual({
      statusCode: 404,
      error: 'batch_not_found',
      message: 'Batch not found',
    });
  });

  it("the audit trail never shows B's events, even filtered by B's gateway", async () => {
    const filtered = await asA(`/api/v1/events?subjectId=${gatewayB.id}`).expect(200);
    expect(filtered.body).toMatchObject({ items: [], total: 0 });
    const all = await asA('/api/v1/events?limit=100').expect(200);
    const bIds = [gatewayB.id, meterB.id, ownerB.user.id, viewerB.user.id, batchB];
    for (const event of all.body.items as Array<{ subjectId: string; actorId: string }>) {
      expect(bIds).not.toContain(event.subjectId);
      expect(bIds).not.toContain(event.actorId);
    }
  });

  it("B's user: 404 user_not_found on read and update, and the update changes nothing", async () => {
    const read = await asA(`/api/v1/users/${viewerB.user.id}`).expect(404);
    expect(read.body).toEqual({
      statusCode: 404,
      error: 'user_not_found',
      message: 'User not found',
    });
    const update = await t.http
      .patch(`/api/v1/users/${viewerB.user.id}`)
      .set('Authorization', ownerA.auth)
      .send({ name: 'Taken Over', role: 'owner', disabled: true })
      .expect(404);
    expect(update.body.error).toBe('user_not_found');
    const after = await asB(`/api/v1/users/${viewerB.user.id}`).expect(200);
    expect(after.body).toMatchObject({ name: 'Bea Original', role: 'viewer', disabled: false });
  });
});
