import { DeviceAuthenticator } from '@gridwatch/ingest';
import {
  APP_CONFIG,
  AppConfig,
  DeviceCredentialEntity,
  OrganizationEntity,
  SecretBox,
} from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

const GRACE_SECONDS = 120;

describe('device credentials', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let operator: TestUser;
  let service: {
    resolveSecrets(
      deviceId: string,
      now: Date,
    ): Promise<{
      ownerType: string;
      ownerId: string;
      organizationId: string;
      secrets: string[];
    } | null>;
  };

  beforeAll(async () => {
    t = await createTestApp({ CREDENTIAL_ROTATION_GRACE_SECONDS: String(GRACE_SECONDS) });
    org = await t.factory.organization();
    operator = await t.factory.user(org, 'operator');
    // What device authentication resolves for a device id: its owner and the secrets valid now.
    const authenticator = t.app.get(DeviceAuthenticator);
    service = {
      resolveSecrets: async (deviceId, now) => {
        const found = await authenticator.secretsOf(deviceId, now);
        if (!found) return null;
        const { ownerType, ownerId, organizationId } = found.credential;
        return { ownerType, ownerId, organizationId, secrets: found.secrets };
      },
    };
  });
  afterAll(() => t.close());

  async function gatewayCredentials() {
    const gateway = await t.factory.gateway(await t.factory.site(org));
    return { gateway, path: `/api/v1/gateways/${gateway.id}/credentials` };
  }

  async function meterCredentials() {
    const meter = await t.factory.meter(await t.factory.site(org));
    return { meter, path: `/api/v1/meters/${meter.id}/credentials` };
  }

  function storedFor(ownerId: string): Promise<DeviceCredentialEntity[]> {
    return t.db
      .getRepository(DeviceCredentialEntity)
      .find({ where: { ownerId }, order: { createdAt: 'ASC' } });
  }

  it('issues a gateway secret once, stores it only sealed and shows metadata without it afterwards', async () => {
    const { gateway, path } = await gatewayCredentials();
    const issued = await t.http.post(path).set('Authorization', operator.auth).expect(201);
    expect(issued.body).toEqual({
      id: expect.any(String),
      ownerType: 'gateway',
      ownerId: gateway.id,
      deviceId: gateway.serialNumber,
      secret: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
      rotatedAt: null,
      previousValidUntil: null,
      revokedAt: null,
    });
    const secret: string = issued.body.secret;

    const shown = await t.http.get(path).set('Authorization', operator.auth).expect(200);
    // toEqual treats an undefined property as absent: the same answer without the secret.
    expect(shown.body).toEqual({ ...issued.body, secret: undefined });
    expect(shown.body).not.toHaveProperty('secret');
    expect(JSON.stringify(shown.body)).not.toContain(secret);

    const [row] = await storedFor(gateway.id);
    expect(row?.secretSealed).not.toContain(secret);
    const raw = await t.db.query('SELECT * FROM device_credentials WHERE owner_id = $1', [
      gateway.id,
    ]);
    expect(JSON.stringify(raw)).not.toContain(secret);
    const box = new SecretBox(t.app.get<AppConfig>(APP_CONFIG).credentialsKey);
    expect(box.open(row?.secretSealed ?? '')).toBe(secret);

    expect(await service.resolveSecrets(gateway.serialNumber, new Date())).toEqual({
      ownerType: 'gateway',
      ownerId: gateway.id,
      organizationId: org.id,
      secrets: [secret],
    });
    const events = await t.db.query(
      'SELECT type, subject_type, data FROM events WHERE subject_id = $1',
      [gateway.id],
    );
    expect(events).toEqual([
      {
        type: 'credentials.created',
        subject_type: 'gateway',
        data: { credentialId: issued.body.id, deviceId: gateway.serialNumber },
      },
    ]);
  });

  it('refuses a second credential while one is active (409 credential_exists), pointing to rotate', async () => {
    const { path } = await gatewayCredentials();
    await t.http.post(path).set('Authorization', operator.auth).expect(201);
    const response = await t.http.post(path).set('Authorization', operator.auth).expect(409);
    expect(response.body.error).toBe('credential_exists');
    expect(response.body.message).toContain('rotate');
  });

  it('answers 404 credential_not_found when a device has no active credential', async () => {
    const { path } = await meterCredentials();
    for (const request of [t.http.get(path), t.http.post(`${path}/rotate`), t.http.delete(path)]) {
      const response = await request.set('Authorization', operator.auth).expect(404);
      expect(response.body.error).toBe('credential_not_found');
    }
  });

  it("a direct meter's device id is its UUID", async () => {
    const { meter, path } = await meterCredentials();
    const issued = await t.http.post(path).set('Authorization', operator.auth).expect(201);
    expect(issued.body).toMatchObject({
      ownerType: 'meter',
      ownerId: meter.id,
      deviceId: meter.id,
    });
    expect(await service.resolveSecrets(meter.id, new Date())).toMatchObject({
      ownerType: 'meter',
      ownerId: meter.id,
      secrets: [issued.body.secret],
    });
  });

  it('rotation issues a new secret and keeps the previous one valid for the grace period only', async () => {
    const { gateway, path } = await gatewayCredentials();
    const first = await t.http.post(path).set('Authorization', operator.auth).expect(201);
    const before = Date.now();
    const rotated = await t.http
      .post(`${path}/rotate`)
      .set('Authorization', operator.auth)
      .expect(200);
    expect(rotated.body.id).toBe(first.body.id);
    expect(rotated.body.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(rotated.body.secret).not.toBe(first.body.secret);
    const validUntil = Date.parse(rotated.body.previousValidUntil);
    expect(validUntil).toBeGreaterThanOrEqual(before + GRACE_SECONDS * 1000 - 1000);
    expect(validUntil).toBeLessThanOrEqual(Date.now() + GRACE_SECONDS * 1000 + 1000);
    expect(rotated.body.rotatedAt).toEqual(expect.any(String));

    const [row] = await storedFor(gateway.id);
    expect(row?.previousSecretSealed).not.toContain(first.body.secret);
    expect(row?.secretSealed).not.toContain(rotated.body.secret);

    const within = await service.resolveSecrets(gateway.serialNumber, new Date());
    expect(within?.secrets).toEqual([rotated.body.secret, first.body.secret]);
    const after = await service.resolveSecrets(gateway.serialNumber, new Date(validUntil + 1));
    expect(after?.secrets).toEqual([rotated.body.secret]);

    await t.db.query(
      `UPDATE device_credentials SET previous_valid_until = now() - interval '1 second' WHERE id = $1`,
      [first.body.id],
    );
    expect((await service.resolveSecrets(gateway.serialNumber, new Date()))?.secrets).toEqual([
      rotated.body.secret,
    ]);

    const shown = await t.http.get(path).set('Authorization', operator.auth).expect(200);
    expect(shown.body.secret).toBeUndefined();
    const events = await t.db.query(
      'SELECT type, data FROM events WHERE subject_id = $1 ORDER BY occurred_at',
      [gateway.id],
    );
    expect(events.map((event: { type: string }) => event.type)).toEqual([
      'credentials.created',
      'credentials.rotated',
    ]);
    expect(JSON.stringify(events)).not.toContain(first.body.secret);
    expect(JSON.stringify(events)).not.toContain(rotated.body.secret);
  });

  it('revoking ends authentication at once; a new credential can then be issued', async () => {
    const { gateway, path } = await gatewayCredentials();
    await t.http.post(path).set('Authorization', operator.auth).expect(201);
    await t.http.post(`${path}/rotate`).set('Authorization', operator.auth).expect(200);
    await t.http.delete(path).set('Authorization', operator.auth).expect(204);

    expect(await service.resolveSecrets(gateway.serialNumber, new Date())).toBeNull();
    expect(
      (await t.http.get(path).set('Authorization', operator.auth).expect(404)).body.error,
    ).toBe('credential_not_found');
    const [revoked] = await storedFor(gateway.id);
    expect(revoked).toMatchObject({ revokedAt: expect.any(Date), previousSecretSealed: null });

    const reissued = await t.http.post(path).set('Authorization', operator.auth).expect(201);
    expect(await service.resolveSecrets(gateway.serialNumber, new Date())).toMatchObject({
      secrets: [reissued.body.secret],
    });
    const types = await t.db.query(
      'SELECT type FROM events WHERE subject_id = $1 ORDER BY occurred_at',
      [gateway.id],
    );
    expect(types.map((event: { type: string }) => event.type)).toEqual([
      'credentials.created',
      'credentials.rotated',
      'credentials.revoked',
      'credentials.created',
    ]);
  });

  it('decommissioning a meter revokes its credential; a decommissioned meter takes no new one', async () => {
    const { meter, path } = await meterCredentials();
    await t.http.post(path).set('Authorization', operator.auth).expect(201);
    await t.http
      .post(`/api/v1/meters/${meter.id}/status`)
      .set('Authorization', operator.auth)
      .send({ status: 'decommissioned' })
      .expect(200);
    expect(await service.resolveSecrets(meter.id, new Date())).toBeNull();
    const refused = await t.http.post(path).set('Authorization', operator.auth).expect(409);
    expect(refused.body.error).toBe('meter_decommissioned');
    const [event] = await t.db.query(
      `SELECT data FROM events WHERE subject_id = $1 AND type = 'credentials.revoked'`,
      [meter.id],
    );
    expect(event.data).toMatchObject({ reason: 'decommissioned' });
  });

  it('a new gateway serial carries the active credential; deleting the device deletes its credentials', async () => {
    const { gateway, path } = await gatewayCredentials();
    const issued = await t.http.post(path).set('Authorization', operator.auth).expect(201);
    await t.http
      .patch(`/api/v1/gateways/${gateway.id}`)
      .set('Authorization', operator.auth)
      .send({ serialNumber: `${gateway.serialNumber}-R` })
      .expect(200);
    expect(await service.resolveSecrets(gateway.serialNumber, new Date())).toBeNull();
    expect(
      (await service.resolveSecrets(`${gateway.serialNumber}-R`, new Date()))?.secrets,
    ).toEqual([issued.body.secret]);
    expect(
      (await t.http.get(path).set('Authorization', operator.auth).expect(200)).body.deviceId,
    ).toBe(`${gateway.serialNumber}-R`);

    await t.http
      .delete(`/api/v1/gateways/${gateway.id}`)
      .set('Authorization', operator.auth)
      .expect(204);
    expect(await storedFor(gateway.id)).toEqual([]);
    expect(await service.resolveSecrets(`${gateway.serialNumber}-R`, new Date())).toBeNull();

    const { meter, path: meterPath } = await meterCredentials();
    await t.http.post(meterPath).set('Authorization', operator.auth).expect(201);
    await t.http
      .delete(`/api/v1/meters/${meter.id}`)
      .set('Authorization', operator.auth)
      .expect(204);
    expect(await storedFor(meter.id)).toEqual([]);
  });

  it("another organization's gateway and meter credentials are 404 on every operation", async () => {
    const other = await t.factory.organization();
    const site = await t.factory.site(other);
    const gateway = await t.factory.gateway(site);
    const meter = await t.factory.meter(site);
    const owner = await t.factory.user(other, 'owner');
    for (const [path, code] of [
      [`/api/v1/gateways/${gateway.id}/credentials`, 'gateway_not_found'],
      [`/api/v1/meters/${meter.id}/credentials`, 'meter_not_found'],
    ] as const) {
      const issued = await t.http.post(path).set('Authorization', owner.auth).expect(201);
      for (const request of [
        t.http.post(path),
        t.http.get(path),
        t.http.post(`${path}/rotate`),
        t.http.delete(path),
      ]) {
        const response = await request.set('Authorization', operator.auth).expect(404);
        expect(response.body.error).toBe(code);
      }
      const [row] = await storedFor(issued.body.ownerId);
      expect(row).toMatchObject({ revokedAt: null, rotatedAt: null });
    }
  });

  it('needs devices:write even to read credential metadata; ids must be UUIDs', async () => {
    const { path } = await gatewayCredentials();
    const viewer = await t.factory.user(org, 'viewer');
    for (const request of [
      t.http.get(path),
      t.http.post(path),
      t.http.post(`${path}/rotate`),
      t.http.delete(path),
    ]) {
      const response = await request.set('Authorization', viewer.auth).expect(403);
      expect(response.body.details).toEqual({ missingScopes: ['devices:write'] });
    }
    await t.http
      .get('/api/v1/meters/123/credentials')
      .set('Authorization', operator.auth)
      .expect(400);
  });
});
