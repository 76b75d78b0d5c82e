import { randomBytes, randomUUID } from 'node:crypto';
import { connectAsync, type MqttClient } from 'mqtt';
import type { OrganizationEntity, SiteEntity } from '@gridwatch/server';
import type { TestUser } from './support/factory';
import { PrivateDynsecBroker } from './support/private-broker';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/** The run's own password: no secret is written in the source. */
const TRANSPORT = {
  username: 'gridwatch-transport-test',
  password: randomBytes(18).toString('base64url'),
};
const NOT_AUTHORIZED = 135;

describe('broker accounts (Mosquitto dynamic security, private broker)', () => {
  const broker = new PrivateDynsecBroker();
  const clients: MqttClient[] = [];
  let t: TestApp;
  let org: OrganizationEntity;
  let site: SiteEntity;
  let operator: TestUser;

  beforeAll(async () => {
    await broker.start();
    t = await createTestApp({
      MQTT_URL: broker.url,
      MQTT_ADMIN_USERNAME: broker.admin.username,
      MQTT_ADMIN_PASSWORD: broker.admin.password,
      MQTT_USERNAME: TRANSPORT.username,
      MQTT_PASSWORD: TRANSPORT.password,
    });
    org = await t.factory.organization();
    site = await t.factory.site(org);
    operator = await t.factory.user(org, 'operator');
  }, 60_000);
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.endAsync(true)));
  });
  afterAll(async () => {
    await t?.close();
    await broker.close();
  });

  async function login(username: string, password?: string): Promise<MqttClient> {
    const client = await connectAsync(broker.url, {
      protocolVersion: 5,
      clientId: `test-${randomUUID()}`,
      username,
      password,
      reconnectPeriod: 0,
      connectTimeout: 5000,
    });
    clients.push(client);
    return client;
  }

  /** The CONNACK's refusal, or null when the broker let the client in. */
  async function refusal(username: string | undefined, password?: string): Promise<string | null> {
    try {
      const client = await connectAsync(broker.url, {
        protocolVersion: 5,
        clientId: `test-${randomUUID()}`,
        ...(username ? { username, password } : {}),
        reconnectPeriod: 0,
        connectTimeout: 5000,
      });
      await client.endAsync(true);
      return null;
    } catch (error) {
      return (error as Error).message;
    }
  }

  async function issue(path: string, verb = ''): Promise<{ deviceId: string; secret: string }> {
    const answer = await t.http
      .post(`${path}/credentials${verb}`)
      .set('Authorization', operator.auth)
      .expect(verb ? 200 : 201);
    return { deviceId: answer.body.deviceId, secret: answer.body.secret };
  }

  async function mqttGateway(): Promise<{ path: string; deviceId: string; secret: string }> {
    const gateway = await t.factory.gateway(site, 'mqtt');
    const path = `/api/v1/gateways/${gateway.id}`;
    return { path, ...(await issue(path)) };
  }

  /** The transport's account, subscribed as the transport subscribes (shared, QoS 1). */
  async function transportInbox(): Promise<string[]> {
    const received: string[] = [];
    const transport = await login(TRANSPORT.username, TRANSPORT.password);
    transport.on('message', (topic) => received.push(topic));
    const granted = await transport.subscribeAsync(
      ['$share/test/gridwatch/gateways/+/readings', '$share/test/gridwatch/meters/+/readings'],
      { qos: 1 },
    );
    expect(granted.map((grant) => grant.qos)).toEqual([1, 1]);
    return received;
  }

  it('lets an MQTT gateway publish to its own topics only, and never subscribe', async () => {
    const mine = await mqttGateway();
    const other = await mqttGateway();
    const inbox = await transportInbox();
    const gateway = await login(mine.deviceId, mine.secret);

    const own = `gridwatch/gateways/${mine.deviceId}/readings`;
    await gateway.publishAsync(own, '{}', { qos: 1 });
    await gateway.publishAsync(`gridwatch/gateways/${mine.deviceId}/status`, '{}', { qos: 1 });
    await expect(
      gateway.publishAsync(`gridwatch/gateways/${other.deviceId}/readings`, '{}', { qos: 1 }),
    ).rejects.toMatchObject({ code: NOT_AUTHORIZED });
    await expect(
      gateway.publishAsync(`gridwatch/meters/${randomUUID()}/readings`, '{}', { qos: 1 }),
    ).rejects.toMatchObject({ code: NOT_AUTHORIZED });

    for (const filter of ['#', own, '$SYS/#', `$share/g/${own}`]) {
      await expect(gateway.subscribeAsync(filter, { qos: 1 })).rejects.toThrow(/Not authorized/);
    }
    await waitFor(async () => (inbox.length > 0 ? true : undefined), 5000, 'the own reading');
    expect(inbox).toEqual([own]);
  });

  it('lets a direct device (meter) publish its readings only', async () => {
    const meter = await t.factory.meter(site);
    const device = await issue(`/api/v1/meters/${meter.id}`);
    expect(device.deviceId).toBe(meter.id);
    const client = await login(device.deviceId, device.secret);
    await client.publishAsync(`gridwatch/meters/${meter.id}/readings`, '{}', { qos: 1 });
    await expect(
      client.publishAsync(`gridwatch/meters/${randomUUID()}/readings`, '{}', { qos: 1 }),
    ).rejects.toMatchObject({ code: NOT_AUTHORIZED });
  });

  it('refuses anonymous clients, wrong passwords and HTTP gateways', async () => {
    const mine = await mqttGateway();
    expect(await refusal(undefined)).toMatch(/Not authorized/i);
    expect(await refusal(mine.deviceId, 'not-the-secret')).toMatch(/Not authorized/i);
    const http = await t.factory.gateway(site, 'http');
    const issued = await issue(`/api/v1/gateways/${http.id}`);
    expect(await refusal(issued.deviceId, issued.secret)).toMatch(/Not authorized/i);
  });

  it('follows a rotation at once (the old password fails) and removes the client on revocation', async () => {
    const mine = await mqttGateway();
    const connected = await login(mine.deviceId, mine.secret);
    const rotated = await issue(mine.path, '/rotate');
    // The broker holds one password: the new secret from now on (signatures keep the grace).
    expect(await refusal(mine.deviceId, mine.secret)).toMatch(/Not authorized/i);
    expect(await refusal(mine.deviceId, rotated.secret)).toBeNull();
    await waitFor(async () => (connected.connected ? undefined : true), 5000, 'the old session');

    await t.http.delete(`${mine.path}/credentials`).set('Authorization', operator.auth).expect(204);
    expect(await refusal(mine.deviceId, rotated.secret)).toMatch(/Not authorized/i);
  });

  it('adds and removes the broker client when a gateway changes protocol or serial number', async () => {
    const gateway = await t.factory.gateway(site, 'http');
    const path = `/api/v1/gateways/${gateway.id}`;
    const issued = await issue(path);
    expect(await refusal(issued.deviceId, issued.secret)).toMatch(/Not authorized/i);

    await t.http
      .patch(path)
      .set('Authorization', operator.auth)
      .send({ protocol: 'mqtt' })
      .expect(200);
    expect(await refusal(issued.deviceId, issued.secret)).toBeNull();

    const serialNumber = `GW-${randomUUID().slice(0, 8)}`;
    await t.http.patch(path).set('Authorization', operator.auth).send({ serialNumber }).expect(200);
    await waitFor(
      async () => ((await refusal(serialNumber, issued.secret)) === null ? true : undefined),
      10_000,
      'the renamed broker client',
    );
    expect(await refusal(issued.deviceId, issued.secret)).toMatch(/Not authorized/i);

    await t.http
      .patch(path)
      .set('Authorization', operator.auth)
      .send({ protocol: 'http' })
      .expect(200);
    expect(await refusal(serialNumber, issued.secret)).toMatch(/Not authorized/i);
  });

  it('creates the credential while the broker is down and provisions it when the broker returns', async () => {
    await broker.stop();
    const late = await mqttGateway(); // 201 although the broker cannot be told
    await broker.start();
    await waitFor(
      async () => ((await refusal(late.deviceId, late.secret)) === null ? true : undefined),
      20_000,
      'the reconcile after the broker returned',
    );
  }, 40_000);
});
