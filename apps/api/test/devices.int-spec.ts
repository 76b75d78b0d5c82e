import type { OrganizationEntity } from '@gridwatch/server';
import { GatewayEntity, MeterEntity, SiteEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

type Details = Array<{ field: string; messages: string[] }>;

function fieldsOf(body: { details?: Details }): string[] {
  return (body.details ?? []).map((detail) => detail.field);
}

describe('devices', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let operator: TestUser;

  beforeAll(async () => {
    // Gateway hosts are checked on save against the poller's rule (gateway-hosts.int-spec.ts).
    t = await createTestApp({ MODBUS_ALLOWED_NETWORKS: '10.0.0.0/24' });
    org = await t.factory.organization();
    operator = await t.factory.user(org, 'operator');
  });
  afterAll(() => t.close());

  function events(
    subjectId: string,
  ): Promise<Array<{ type: string; data: Record<string, unknown> }>> {
    return t.db.query(
      'SELECT type, data FROM events WHERE subject_id = $1 ORDER BY occurred_at, type',
      [subjectId],
    );
  }

  describe('sites', () => {
    const site = {
      code: 'LDN-HQ',
      name: 'London head office',
      timezone: 'Europe/London',
      address: '1 Example Street',
      latitude: 51.5072,
      longitude: -0.1276,
      operatingHours: {
        mon: { open: '08:00', close: '18:00' },
        sat: { open: '10:00', close: '24:00' },
      },
    };

    it('creates, reads, updates and deletes a site, auditing each step', async () => {
      const owner = await t.factory.user(await t.factory.organization(), 'owner');
      const created = await t.http
        .post('/api/v1/sites')
        .set('Authorization', owner.auth)
        .send(site)
        .expect(201);
      expect(created.body).toMatchObject({ ...site, id: expect.any(String) });
      const stored = await t.db.getRepository(SiteEntity).findOneByOrFail({ id: created.body.id });
      expect(stored).toMatchObject({
        organizationId: owner.user.organizationId,
        code: 'LDN-HQ',
        timezone: 'Europe/London',
        operatingHours: site.operatingHours,
      });

      const fetched = await t.http
        .get(`/api/v1/sites/${created.body.id}`)
        .set('Authorization', owner.auth)
        .expect(200);
      expect(fetched.body).toEqual(created.body);

      const updated = await t.http
        .patch(`/api/v1/sites/${created.body.id}`)
        .set('Authorization', owner.auth)
        .send({
          name: 'HQ',
          address: null,
          timezone: 'america/new_york',
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        name: 'HQ',
        address: null,
        code: 'LDN-HQ',
        timezone: 'America/New_York',
      });

      await t.http
        .delete(`/api/v1/sites/${created.body.id}`)
        .set('Authorization', owner.auth)
        .expect(204);
      expect(await t.db.getRepository(SiteEntity).existsBy({ id: created.body.id })).toBe(false);
      expect((await events(created.body.id)).map((event) => event.type)).toEqual([
        'site.created',
        'site.updated',
        'site.deleted',
      ]);
    });

    it('refuses a code already used in the organization (409 site_code_taken), not in another one', async () => {
      const first = await t.factory.site(org);
      const response = await t.http
        .post('/api/v1/sites')
        .set('Authorization', operator.auth)
        .send({ code: first.code, name: 'Dup', timezone: 'UTC' })
        .expect(409);
      expect(response.body).toMatchObject({
        error: 'site_code_taken',
        details: { code: first.code },
      });

      const other = await t.factory.site(org);
      const rename = await t.http
        .patch(`/api/v1/sites/${other.id}`)
        .set('Authorization', operator.auth)
        .send({ code: first.code })
        .expect(409);
      expect(rename.body.error).toBe('site_code_taken');

      const stranger = await t.factory.user(await t.factory.organization(), 'operator');
      await t.http
        .post('/api/v1/sites')
        .set('Authorization', stranger.auth)
        .send({ code: first.code, name: 'Same code elsewhere', timezone: 'UTC' })
        .expect(201);
    });

    it('rejects bad fields with details: time zone, coordinates, hours, unknown fields', async () => {
      const response = await t.http
        .post('/api/v1/sites')
        .set('Authorization', operator.auth)
        .send({
          code: 'bad code!',
          name: '',
          timezone: '+01:00',
          latitude: 91,
          longitude: -181,
          operatingHours: {
            mon: { open: '18:00', close: '08:00' },
            tue: { open: '8am', close: '17:00' },
            funday: {},
          },
          organizationId: org.id,
        })
        .expect(400);
      expect(response.body.error).toBe('validation_failed');
      expect(fieldsOf(response.body)).toEqual(
        expect.arrayContaining([
          'code',
          'name',
          'timezone',
          'latitude',
          'longitude',
          'operatingHours.mon.close',
          'operatingHours.tue.open',
          'operatingHours.funday',
          'organizationId',
        ]),
      );
    });

    it('refuses null for a required field on update', async () => {
      const existing = await t.factory.site(org);
      const response = await t.http
        .patch(`/api/v1/sites/${existing.id}`)
        .set('Authorization', operator.auth)
        .send({ name: null, operatingHours: null })
        .expect(400);
      expect(fieldsOf(response.body)).toEqual(expect.arrayContaining(['name', 'operatingHours']));
    });

    it('refuses to delete a site that still has gateways or meters (409 site_in_use)', async () => {
      const busy = await t.factory.site(org);
      const gateway = await t.factory.gateway(busy);
      const response = await t.http
        .delete(`/api/v1/sites/${busy.id}`)
        .set('Authorization', operator.auth)
        .expect(409);
      expect(response.body).toMatchObject({
        error: 'site_in_use',
        details: { gateways: 1, meters: 0 },
      });
      await t.db.getRepository(GatewayEntity).delete({ id: gateway.id });
      await t.factory.meter(busy);
      await t.http
        .delete(`/api/v1/sites/${busy.id}`)
        .set('Authorization', operator.auth)
        .expect(409);
    });

    it("lists only the organization's sites, searched, sorted and paginated", async () => {
      const own = await t.factory.organization();
      const user = await t.factory.user(own, 'viewer');
      await t.factory.site(own, { code: 'B-2', name: 'Bristol depot' });
      await t.factory.site(own, { code: 'A-1', name: 'Aberdeen depot' });
      await t.factory.site(own, { code: 'C-3', name: 'Cardiff office' });
      await t.factory.site(org, { code: 'D-4', name: 'Dundee depot' });

      const page1 = await t.http
        .get('/api/v1/sites?q=depot&sort=code&order=desc&limit=1')
        .set('Authorization', user.auth)
        .expect(200);
      expect(page1.body.total).toBe(2);
      expect(page1.body.items.map((site: { code: string }) => site.code)).toEqual(['B-2']);
      const page2 = await t.http
        .get(`/api/v1/sites?q=depot&sort=code&order=desc&limit=1&cursor=${page1.body.nextCursor}`)
        .set('Authorization', user.auth)
        .expect(200);
      expect(page2.body.items.map((site: { code: string }) => site.code)).toEqual(['A-1']);
      expect(page2.body.nextCursor).toBeUndefined();

      const all = await t.http
        .get('/api/v1/sites?sort=name')
        .set('Authorization', user.auth)
        .expect(200);
      expect(all.body.items.map((site: { name: string }) => site.name)).toEqual([
        'Aberdeen depot',
        'Bristol depot',
        'Cardiff office',
      ]);
      await t.http.get('/api/v1/sites?sort=timezone').set('Authorization', user.auth).expect(400);
    });
  });

  describe('gateways', () => {
    it('creates a gateway with defaults, reads, updates and deletes it, auditing each step', async () => {
      const site = await t.factory.site(org);
      const created = await t.http
        .post('/api/v1/gateways')
        .set('Authorization', operator.auth)
        .send({ serialNumber: 'GW-CRUD-01', name: 'Router', siteId: site.id, protocol: 'mqtt' })
        .expect(201);
      expect(created.body).toMatchObject({
        serialNumber: 'GW-CRUD-01',
        siteId: site.id,
        protocol: 'mqtt',
        host: null,
        port: null,
        pollIntervalSeconds: 1800,
        status: 'unknown',
        missedPings: 0,
        lastSeenAt: null,
        connection: {},
      });
      const stored = await t.db
        .getRepository(GatewayEntity)
        .findOneByOrFail({ id: created.body.id });
      expect(stored).toMatchObject({
        organizationId: org.id,
        serialNumber: 'GW-CRUD-01',
        pollIntervalSeconds: 1800,
      });

      const updated = await t.http
        .patch(`/api/v1/gateways/${created.body.id}`)
        .set('Authorization', operator.auth)
        .send({
          protocol: 'modbus_tcp',
          host: '10.0.0.8',
          port: 502,
          pollIntervalSeconds: 60,
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        protocol: 'modbus_tcp',
        host: '10.0.0.8',
        port: 502,
      });
      const fetched = await t.http
        .get(`/api/v1/gateways/${created.body.id}`)
        .set('Authorization', operator.auth)
        .expect(200);
      expect(fetched.body).toEqual(updated.body);

      await t.http
        .delete(`/api/v1/gateways/${created.body.id}`)
        .set('Authorization', operator.auth)
        .expect(204);
      expect(await t.db.getRepository(GatewayEntity).existsBy({ id: created.body.id })).toBe(false);
      expect((await events(created.body.id)).map((event) => event.type)).toEqual([
        'gateway.created',
        'gateway.updated',
        'gateway.deleted',
      ]);
    });

    it('refuses a serial number used by any organization (409 gateway_serial_taken)', async () => {
      const elsewhere = await t.factory.gateway(
        await t.factory.site(await t.factory.organization()),
      );
      const site = await t.factory.site(org);
      const response = await t.http
        .post('/api/v1/gateways')
        .set('Authorization', operator.auth)
        .send({
          serialNumber: elsewhere.serialNumber,
          name: 'Dup',
          siteId: site.id,
          protocol: 'http',
        })
        .expect(409);
      expect(response.body).toMatchObject({ error: 'gateway_serial_taken' });
    });

    it("needs a site of the caller's organization (404 site_not_found)", async () => {
      const foreign = await t.factory.site(await t.factory.organization());
      const response = await t.http
        .post('/api/v1/gateways')
        .set('Authorization', operator.auth)
        .send({ serialNumber: 'GW-FOREIGN-SITE', name: 'X', siteId: foreign.id, protocol: 'http' })
        .expect(404);
      expect(response.body.error).toBe('site_not_found');
    });

    it('validates protocol, host, port and poll interval; modbus_tcp needs host and port', async () => {
      const site = await t.factory.site(org);
      const invalid = await t.http
        .post('/api/v1/gateways')
        .set('Authorization', operator.auth)
        .send({
          serialNumber: 'GW/1',
          name: 'X',
          siteId: 'not-a-uuid',
          protocol: 'bacnet',
          host: 'not a host',
          port: 70000,
          pollIntervalSeconds: 4,
          status: 'online',
        })
        .expect(400);
      expect(fieldsOf(invalid.body)).toEqual(
        expect.arrayContaining([
          'serialNumber',
          'siteId',
          'protocol',
          'host',
          'port',
          'pollIntervalSeconds',
          'status',
        ]),
      );

      const modbus = await t.http
        .post('/api/v1/gateways')
        .set('Authorization', operator.auth)
        .send({
          serialNumber: 'GW-MODBUS-NOHOST',
          name: 'X',
          siteId: site.id,
          protocol: 'modbus_tcp',
        })
        .expect(400);
      expect(fieldsOf(modbus.body)).toEqual(['host', 'port']);

      const ok = await t.http
        .post('/api/v1/gateways')
        .set('Authorization', operator.auth)
        .send({
          serialNumber: 'GW-MODBUS-OK',
          name: 'X',
          siteId: site.id,
          protocol: 'modbus_tcp',
          host: '10.0.0.7',
          port: 502,
        })
        .expect(201);
      const clear = await t.http
        .patch(`/api/v1/gateways/${ok.body.id}`)
        .set('Authorization', operator.auth)
        .send({ host: null })
        .expect(400);
      expect(fieldsOf(clear.body)).toEqual(['host']);
    });

    it('refuses to delete a gateway that meters use (409 gateway_in_use)', async () => {
      const site = await t.factory.site(org);
      const gateway = await t.factory.gateway(site);
      const meter = await t.factory.meter(site, gateway);
      const response = await t.http
        .delete(`/api/v1/gateways/${gateway.id}`)
        .set('Authorization', operator.auth)
        .expect(409);
      expect(response.body).toMatchObject({ error: 'gateway_in_use', details: { meters: 1 } });
      const move = await t.http
        .patch(`/api/v1/gateways/${gateway.id}`)
        .set('Authorization', operator.auth)
        .send({ siteId: (await t.factory.site(org)).id })
        .expect(409);
      expect(move.body.error).toBe('gateway_in_use');

      await t.http
        .delete(`/api/v1/meters/${meter.id}`)
        .set('Authorization', operator.auth)
        .expect(204);
      await t.http
        .delete(`/api/v1/gateways/${gateway.id}`)
        .set('Authorization', operator.auth)
        .expect(204);
    });

    it('filters by status, site, protocol and text, and paginates', async () => {
      const own = await t.factory.organization();
      const user = await t.factory.user(own, 'viewer');
      const north = await t.factory.site(own);
      const south = await t.factory.site(own);
      await t.factory.gateway(north, 'http', { name: 'North router', status: 'online' });
      await t.factory.gateway(north, 'mqtt', { name: 'North collector', status: 'offline' });
      await t.factory.gateway(south, 'modbus_tcp', {
        name: 'South router',
        status: 'online',
        host: '10.0.0.1',
        port: 502,
      });
      await t.factory.gateway(await t.factory.site(org), 'http', {
        name: 'North foreign',
        status: 'online',
      });

      const list = (query: string) =>
        t.http.get(`/api/v1/gateways?${query}`).set('Authorization', user.auth).expect(200);
      const names = (body: { items: Array<{ name: string }> }) =>
        body.items.map((item) => item.name);
      expect(names((await list('status=online')).body)).toEqual(['North router', 'South router']);
      expect(names((await list(`siteId=${north.id}`)).body)).toEqual([
        'North collector',
        'North router',
      ]);
      expect(names((await list('protocol=modbus_tcp')).body)).toEqual(['South router']);
      expect(names((await list('q=north&sort=name&order=desc')).body)).toEqual([
        'North router',
        'North collector',
      ]);
      const first = (await list('limit=2')).body;
      expect(first).toMatchObject({ total: 3, nextCursor: expect.any(String) });
      const second = (await list(`limit=2&cursor=${first.nextCursor}`)).body;
      expect(names(second)).toEqual(['South router']);
      expect(second.nextCursor).toBeUndefined();
    });
  });

  describe('meters', () => {
    it('creates a meter with all fields, reads, updates and deletes it, auditing each step', async () => {
      const site = await t.factory.site(org);
      const gateway = await t.factory.gateway(site, 'modbus_tcp', { host: '10.0.0.2', port: 502 });
      const body = {
        name: 'Main incomer',
        siteId: site.id,
        gatewayId: gateway.id,
        kind: 'main',
        model: 'Eastron SDM630',
        firmware: '2.1',
        location: 'Plant room',
        tags: ['incomer', 'critical'],
        metadata: { ct: '200/5' },
        modbusUnitId: 3,
        registerMap: 'eastron_sdm630',
        rangeOverrides: { power_w: { min: 0, max: 50000 } },
        heartbeatIntervalSeconds: 900,
      };
      const created = await t.http
        .post('/api/v1/meters')
        .set('Authorization', operator.auth)
        .send(body)
        .expect(201);
      expect(created.body).toMatchObject({ ...body, status: 'offline', lastSeenAt: null });
      const stored = await t.db.getRepository(MeterEntity).findOneByOrFail({ id: created.body.id });
      expect(stored).toMatchObject({ ...body, organizationId: org.id, status: 'offline' });

      const updated = await t.http
        .patch(`/api/v1/meters/${created.body.id}`)
        .set('Authorization', operator.auth)
        .send({
          gatewayId: null,
          registerMap: {
            registers: [{ parameter: 'power_w', functionCode: 4, address: 12, type: 'float32' }],
          },
          tags: [],
        })
        .expect(200);
      expect(updated.body).toMatchObject({
        gatewayId: null,
        tags: [],
        registerMap: { registers: expect.any(Array) },
      });
      const fetched = await t.http
        .get(`/api/v1/meters/${created.body.id}`)
        .set('Authorization', operator.auth)
        .expect(200);
      expect(fetched.body).toEqual(updated.body);

      await t.http
        .delete(`/api/v1/meters/${created.body.id}`)
        .set('Authorization', operator.auth)
        .expect(204);
      expect(await t.db.getRepository(MeterEntity).existsBy({ id: created.body.id })).toBe(false);
      expect((await events(created.body.id)).map((event) => event.type)).toEqual([
        'device.created',
        'device.updated',
        'device.deleted',
      ]);
    });

    it('applies defaults to a minimal meter', async () => {
      const site = await t.factory.site(org);
      const created = await t.http
        .post('/api/v1/meters')
        .set('Authorization', operator.auth)
        .send({ name: 'Direct', siteId: site.id, kind: 'ups' })
        .expect(201);
      expect(created.body).toMatchObject({
        gatewayId: null,
        tags: [],
        metadata: {},
        rangeOverrides: {},
        registerMap: null,
        modbusUnitId: null,
        heartbeatIntervalSeconds: 1800,
        status: 'offline',
      });
    });

    it('needs the gateway on the same site (400) and site and gateway of the organization (404)', async () => {
      const site = await t.factory.site(org);
      const otherSite = await t.factory.site(org);
      const gateway = await t.factory.gateway(otherSite);
      const mismatch = await t.http
        .post('/api/v1/meters')
        .set('Authorization', operator.auth)
        .send({ name: 'M', siteId: site.id, gatewayId: gateway.id, kind: 'main' })
        .expect(400);
      expect(mismatch.body).toMatchObject({ error: 'validation_failed' });
      expect(fieldsOf(mismatch.body)).toEqual(['gatewayId']);

      const foreignSite = await t.factory.site(await t.factory.organization());
      const foreignGateway = await t.factory.gateway(foreignSite);
      const noSite = await t.http
        .post('/api/v1/meters')
        .set('Authorization', operator.auth)
        .send({ name: 'M', siteId: foreignSite.id, kind: 'main' })
        .expect(404);
      expect(noSite.body.error).toBe('site_not_found');
      const noGateway = await t.http
        .post('/api/v1/meters')
        .set('Authorization', operator.auth)
        .send({ name: 'M', siteId: site.id, gatewayId: foreignGateway.id, kind: 'main' })
        .expect(404);
      expect(noGateway.body.error).toBe('gateway_not_found');

      const meter = await t.factory.meter(site);
      const move = await t.http
        .patch(`/api/v1/meters/${meter.id}`)
        .set('Authorization', operator.auth)
        .send({ gatewayId: gateway.id })
        .expect(400);
      expect(fieldsOf(move.body)).toEqual(['gatewayId']);
      await t.http
        .patch(`/api/v1/meters/${meter.id}`)
        .set('Authorization', operator.auth)
        .send({ siteId: otherSite.id, gatewayId: gateway.id })
        .expect(200);
    });

    it('rejects bad fields with details, and status through PATCH', async () => {
      const site = await t.factory.site(org);
      const response = await t.http
        .post('/api/v1/meters')
        .set('Authorization', operator.auth)
        .send({
          name: 'M',
          siteId: site.id,
          kind: 'toaster',
          tags: Array.from({ length: 21 }, (_, index) => `t${index}`),
          metadata: ['not', 'an', 'object'],
          modbusUnitId: 248,
          registerMap: 42,
          rangeOverrides: { power_w: { min: 10, max: 1 } },
          heartbeatIntervalSeconds: 5,
          status: 'online',
        })
        .expect(400);
      expect(fieldsOf(response.body)).toEqual(
        expect.arrayContaining([
          'kind',
          'tags',
          'metadata',
          'modbusUnitId',
          'registerMap',
          'rangeOverrides',
          'heartbeatIntervalSeconds',
          'status',
        ]),
      );
      const longTag = await t.http
        .post('/api/v1/meters')
        .set('Authorization', operator.auth)
        .send({
          name: 'M',
          siteId: site.id,
          kind: 'main',
          tags: ['x'.repeat(41)],
          rangeOverrides: { volts: {} },
        })
        .expect(400);
      expect(fieldsOf(longTag.body)).toEqual(['tags', 'rangeOverrides']);

      const meter = await t.factory.meter(site);
      const patch = await t.http
        .patch(`/api/v1/meters/${meter.id}`)
        .set('Authorization', operator.auth)
        .send({ status: 'maintenance' })
        .expect(400);
      expect(fieldsOf(patch.body)).toEqual(['status']);
    });

    it('moves through the status machine and refuses an illegal move with the allowed list', async () => {
      const meter = await t.factory.meter(await t.factory.site(org));
      const move = (status: string, reason?: string) =>
        t.http
          .post(`/api/v1/meters/${meter.id}/status`)
          .set('Authorization', operator.auth)
          .send(reason ? { status, reason } : { status });

      expect((await move('online').expect(200)).body.status).toBe('online');
      const illegal = await move('online').expect(409);
      expect(illegal.body).toMatchObject({
        error: 'illegal_status_transition',
        details: {
          from: 'online',
          to: 'online',
          allowed: ['offline', 'maintenance', 'decommissioned'],
        },
      });
      await move('maintenance', 'Replacing CT clamps').expect(200);
      await move('offline').expect(200);
      await move('decommissioned', 'Removed from site').expect(200);
      const final = await move('online').expect(409);
      expect(final.body.details).toEqual({ from: 'decommissioned', to: 'online', allowed: [] });
      expect((await t.db.getRepository(MeterEntity).findOneByOrFail({ id: meter.id })).status).toBe(
        'decommissioned',
      );

      const patch = await t.http
        .patch(`/api/v1/meters/${meter.id}`)
        .set('Authorization', operator.auth)
        .send({ name: 'Renamed' })
        .expect(409);
      expect(patch.body.error).toBe('meter_decommissioned');

      const trail = await events(meter.id);
      expect(
        trail.filter((event) => event.type === 'device.status_changed').map((event) => event.data),
      ).toEqual([
        { from: 'offline', to: 'online', reason: null },
        { from: 'online', to: 'maintenance', reason: 'Replacing CT clamps' },
        { from: 'maintenance', to: 'offline', reason: null },
        { from: 'offline', to: 'decommissioned', reason: 'Removed from site' },
      ]);
      expect(trail.map((event) => event.type)).toEqual(
        expect.arrayContaining(['device.maintenance_on', 'device.decommissioned']),
      );
    });

    it('filters by status, site, gateway, kind, all given tags and text; sorts; paginates', async () => {
      const own = await t.factory.organization();
      const user = await t.factory.user(own, 'viewer');
      const site = await t.factory.site(own);
      const other = await t.factory.site(own);
      const gateway = await t.factory.gateway(site);
      await t.factory.meter(site, gateway, 'heater', {
        name: 'Heater A',
        tags: ['hvac', 'floor1'],
        status: 'online',
        lastSeenAt: new Date('2030-01-01T10:00:00Z'),
      });
      await t.factory.meter(site, null, 'air_conditioning', {
        name: 'Cooling B',
        tags: ['hvac'],
        location: 'Roof',
        lastSeenAt: new Date('2030-01-01T09:00:00Z'),
      });
      await t.factory.meter(other, null, 'lighting', { name: 'Lights C', model: 'LX-roof-9' });
      await t.factory.meter(await t.factory.site(org), null, 'heater', {
        name: 'Heater foreign',
        tags: ['hvac'],
      });

      const list = (query: string) =>
        t.http.get(`/api/v1/meters?${query}`).set('Authorization', user.auth).expect(200);
      const names = (body: { items: Array<{ name: string }> }) =>
        body.items.map((item) => item.name);
      expect(names((await list('')).body)).toEqual(['Cooling B', 'Heater A', 'Lights C']);
      expect(names((await list('status=online')).body)).toEqual(['Heater A']);
      expect(names((await list(`siteId=${other.id}`)).body)).toEqual(['Lights C']);
      expect(names((await list(`gatewayId=${gateway.id}`)).body)).toEqual(['Heater A']);
      expect(names((await list('kind=air_conditioning')).body)).toEqual(['Cooling B']);
      expect(names((await list('tags=hvac')).body)).toEqual(['Cooling B', 'Heater A']);
      expect(names((await list('tags=hvac,floor1')).body)).toEqual(['Heater A']);
      expect(names((await list('q=roof')).body)).toEqual(['Cooling B', 'Lights C']);
      expect(names((await list('sort=lastSeenAt&order=desc')).body)).toEqual([
        'Heater A',
        'Cooling B',
        'Lights C',
      ]);
      expect(names((await list('sort=kind')).body)).toEqual(['Cooling B', 'Heater A', 'Lights C']);
      const first = (await list('limit=2')).body;
      expect(first).toMatchObject({ total: 3, nextCursor: expect.any(String) });
      expect(names((await list(`limit=2&cursor=${first.nextCursor}`)).body)).toEqual(['Lights C']);
      await t.http.get('/api/v1/meters?kind=toaster').set('Authorization', user.auth).expect(400);
    });
  });

  describe('tenant isolation and scopes', () => {
    it("another organization's sites, gateways and meters are 404 on every operation and never listed", async () => {
      const other = await t.factory.organization();
      const site = await t.factory.site(other);
      const gateway = await t.factory.gateway(site);
      const meter = await t.factory.meter(site, gateway);
      const auth = operator.auth;

      for (const [path, code, patch] of [
        [`/api/v1/sites/${site.id}`, 'site_not_found', { name: 'Mine now' }],
        [`/api/v1/gateways/${gateway.id}`, 'gateway_not_found', { name: 'Mine now' }],
        [`/api/v1/meters/${meter.id}`, 'meter_not_found', { name: 'Mine now' }],
      ] as const) {
        expect((await t.http.get(path).set('Authorization', auth).expect(404)).body.error).toBe(
          code,
        );
        expect(
          (await t.http.patch(path).set('Authorization', auth).send(patch).expect(404)).body.error,
        ).toBe(code);
        expect((await t.http.delete(path).set('Authorization', auth).expect(404)).body.error).toBe(
          code,
        );
      }
      const status = await t.http
        .post(`/api/v1/meters/${meter.id}/status`)
        .set('Authorization', auth)
        .send({ status: 'decommissioned' })
        .expect(404);
      expect(status.body.error).toBe('meter_not_found');

      for (const [path, id] of [
        ['/api/v1/sites?limit=200', site.id],
        ['/api/v1/gateways?limit=200', gateway.id],
        ['/api/v1/meters?limit=200', meter.id],
        [`/api/v1/meters?siteId=${site.id}`, meter.id],
      ]) {
        const list = await t.http.get(path).set('Authorization', auth).expect(200);
        expect(list.body.items.map((item: { id: string }) => item.id)).not.toContain(id);
      }
      expect(await t.db.getRepository(MeterEntity).findOneByOrFail({ id: meter.id })).toMatchObject(
        {
          name: meter.name,
          status: 'offline',
        },
      );
    });

    it('reads need devices:read, writes need devices:write; ids must be UUIDs', async () => {
      const viewer = await t.factory.user(org, 'viewer');
      const site = await t.factory.site(org);
      await t.http.get('/api/v1/sites').set('Authorization', viewer.auth).expect(200);
      await t.http.get(`/api/v1/sites/${site.id}`).set('Authorization', viewer.auth).expect(200);
      const denied = await t.http
        .post('/api/v1/sites')
        .set('Authorization', viewer.auth)
        .send({ code: 'V', name: 'V', timezone: 'UTC' })
        .expect(403);
      expect(denied.body.details).toEqual({ missingScopes: ['devices:write'] });
      await t.http.delete(`/api/v1/sites/${site.id}`).set('Authorization', viewer.auth).expect(403);
      await t.http.post('/api/v1/meters').set('Authorization', viewer.auth).send({}).expect(403);
      await t.http.get('/api/v1/meters').expect(401);

      for (const path of [
        '/api/v1/sites/42',
        '/api/v1/gateways/abc',
        '/api/v1/meters/not-a-uuid',
      ]) {
        expect(
          (await t.http.get(path).set('Authorization', operator.auth).expect(400)).body.error,
        ).toBe('validation_failed');
      }
    });
  });
});
