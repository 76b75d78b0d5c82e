import type { OrganizationEntity } from '@gridwatch/server';
import { MeterEntity } from '@gridwatch/server';
import { createTestApp, type TestApp } from './support/test-app';
import type { TestUser } from './support/factory';

interface Details {
  field: string;
  messages: string[];
}

/** A meter's register map is checked on save with the rules the Modbus poller reads it by. */
describe('meter register maps', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let operator: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    operator = await t.factory.user(org, 'operator');
  });

  afterAll(() => t.close());

  async function createMeter(registerMap: unknown) {
    const site = await t.factory.site(org);
    const gateway = await t.factory.gateway(site, 'modbus_tcp', { host: '127.0.0.1', port: 502 });
    return t.http.post('/api/v1/meters').set('Authorization', operator.auth).send({
      name: 'M',
      siteId: site.id,
      gatewayId: gateway.id,
      kind: 'main',
      modbusUnitId: 1,
      registerMap,
    });
  }

  function messagesOf(body: { details?: Details[] }): string[] {
    return (body.details ?? []).filter((d) => d.field === 'registerMap').flatMap((d) => d.messages);
  }

  it.each(['eastron_sdm630', 'schneider_iem3255', 'carlo_gavazzi_em24'])(
    'accepts the built-in map %s',
    async (name) => {
      const response = await createMeter(name);
      expect(response.status).toBe(201);
      expect(response.body.registerMap).toBe(name);
    },
  );

  it('refuses a name that is not a built-in map, naming the ones there are', async () => {
    const response = await createMeter('acme_9000');
    expect(response.status).toBe(400);
    expect(messagesOf(response.body)).toEqual([
      expect.stringMatching(
        /"acme_9000" is not a built-in map \(eastron_sdm630, schneider_iem3255, carlo_gavazzi_em24\)/,
      ),
    ]);
  });

  it('stores a valid custom map as sent', async () => {
    const custom = {
      name: 'Plant room sub-meter',
      functionCode: 3,
      wordOrder: 'big',
      maxGap: 4,
      registers: [
        { parameter: 'power_w', address: 0xc568, type: 'int32', scale: 10, unit: 'W' },
        {
          parameter: 'energy_kwh',
          address: 0xc652,
          type: 'uint32',
          unit: 'kWh',
          description: 'Ea+',
        },
        { parameter: 'voltage_v', address: 0xc552, type: 'uint32', scale: 0.01, functionCode: 4 },
      ],
    };
    const response = await createMeter(custom);
    expect(response.status).toBe(201);
    const stored = await t.db.getRepository(MeterEntity).findOneByOrFail({ id: response.body.id });
    expect(stored.registerMap).toEqual(custom);
  });

  it('refuses an invalid custom map with each problem named by its path', async () => {
    const response = await createMeter({
      functionCode: 6,
      registers: [
        { parameter: 'power', address: 70000, type: 'float32' },
        { parameter: 'voltage_v', address: 2, type: 'float32', unit: 'kWh', wordorder: 'little' },
      ],
    });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('validation_failed');
    const [message] = messagesOf(response.body);
    for (const problem of [
      'functionCode must be one of 3, 4',
      'registers[0].parameter must be one of',
      'registers[0].address must be an integer from 0 to 65535',
      'registers[1].unit "kWh" is not a unit of voltage_v',
      'registers[1].wordorder is not a known field',
    ]) {
      expect(message).toContain(problem);
    }
  });

  it('checks the map on update too, and still lets it be cleared', async () => {
    const created = await createMeter('eastron_sdm630');
    const id = created.body.id as string;
    const bad = await t.http
      .patch(`/api/v1/meters/${id}`)
      .set('Authorization', operator.auth)
      .send({
        registerMap: {
          registers: [{ parameter: 'power_w', functionCode: 3, type: 'int64', address: 0 }],
        },
      })
      .expect(400);
    expect(messagesOf(bad.body)).toEqual([
      expect.stringContaining('registers[0].type must be one of'),
    ]);
    expect((await t.db.getRepository(MeterEntity).findOneByOrFail({ id })).registerMap).toBe(
      'eastron_sdm630',
    );
    const cleared = await t.http
      .patch(`/api/v1/meters/${id}`)
      .set('Authorization', operator.auth)
      .send({ registerMap: null })
      .expect(200);
    expect(cleared.body.registerMap).toBeNull();
  });
});
