import type { OrganizationEntity } from '@gridwatch/server';
import { GatewayEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';

/*
 * A modbus_tcp gateway's host is where the transport will connect: the API refuses on save what
 * the poller would refuse (one rule, ModbusHostPolicy), after resolving names, so a tenant cannot
 * aim the poller at cloud metadata or internal hosts.
 */
describe('gateway hosts', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let operator: TestUser;
  let siteId: string;
  let serial = 0;

  beforeAll(async () => {
    t = await createTestApp({ MODBUS_ALLOWED_NETWORKS: '192.0.2.0/24' });
    org = await t.factory.organization();
    operator = await t.factory.user(org, 'operator');
    siteId = (await t.factory.site(org)).id;
  });
  afterAll(() => t.close());

  function create(host: string) {
    serial += 1;
    return t.http
      .post('/api/v1/gateways')
      .set('Authorization', operator.auth)
      .send({
        serialNumber: `GW-HOST-${serial}`,
        name: 'Router',
        siteId,
        protocol: 'modbus_tcp',
        host,
        port: 502,
      });
  }

  it.each([
    '169.254.169.254',
    'metadata.google.internal',
    '0xa9fea9fe',
    '10.0.0.1',
    'localhost',
    '0.0.0.0',
    '224.0.0.1',
    'nowhere.invalid',
  ])(
    'refuses %s as a gateway host: 400 modbus_host_not_allowed, nothing internal said',
    async (host) => {
      const response = await create(host).expect(400);
      expect(response.body).toMatchObject({ statusCode: 400, error: 'modbus_host_not_allowed' });
      expect(response.body.message).not.toMatch(/\d+\.\d+\.|MODBUS_ALLOWED_NETWORKS|ENOTFOUND/);
    },
  );

  it.each(['2852039166', '0251.0376.0251.0376'])(
    'refuses %s already as no valid host name (400 validation_failed on host)',
    async (host) => {
      const response = await create(host).expect(400);
      expect(response.body.error).toBe('validation_failed');
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'host' })]);
    },
  );

  it('refuses a disallowed host on update too, and keeps the gateway as it was', async () => {
    const created = await create('192.0.2.7').expect(201);
    const response = await t.http
      .patch(`/api/v1/gateways/${created.body.id}`)
      .set('Authorization', operator.auth)
      .send({ host: '169.254.169.254' })
      .expect(400);
    expect(response.body.error).toBe('modbus_host_not_allowed');
    const stored = await t.db.getRepository(GatewayEntity).findOneByOrFail({ id: created.body.id });
    expect(stored.host).toBe('192.0.2.7');
  });

  it('stores an allowed numeric host in canonical form', async () => {
    const created = await create('0xc0000207').expect(201);
    expect(created.body.host).toBe('192.0.2.7');
  });
});
