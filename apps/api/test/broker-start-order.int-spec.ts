import { randomBytes } from 'node:crypto';
import {
  freePort,
  startBuiltApp,
  stopBuiltApp,
  TRANSPORT_MAIN,
  waitForOk,
  waitForOutput,
  type BuiltApp,
} from './support/built-app';
import { PrivateDynsecBroker } from './support/private-broker';
import { createTestApp, TestApp } from './support/test-app';

/** The run's own password: no secret is written in the source. */
const TRANSPORT = {
  username: 'gridwatch-transport-order',
  password: randomBytes(18).toString('base64url'),
};

/**
 * `npm start` starts the API and the transport together: on a locked-down broker the transport
 * may knock before the API has provisioned its account (the fresh-machine check saw it refused
 * once and never again). It must keep asking and get in once the account exists.
 */
describe('a transport started before its broker account exists', () => {
  const broker = new PrivateDynsecBroker();
  let plain: TestApp;
  let provisioning: TestApp | undefined;
  let transport: BuiltApp | undefined;

  beforeAll(async () => {
    await broker.start();
    // Only for the run's database, Redis and secrets: this app provisions nothing.
    plain = await createTestApp({ MQTT_URL: broker.url });
  }, 60_000);
  afterAll(async () => {
    await stopBuiltApp(transport);
    await provisioning?.close();
    await plain?.close();
    await broker.close();
  });

  it('is refused, keeps asking, and connects once the API has provisioned its account', async () => {
    const port = await freePort();
    transport = startBuiltApp(TRANSPORT_MAIN, plain, {
      TRANSPORT_PORT: String(port),
      MODBUS_POLLER_ENABLED: 'false',
      MQTT_URL: broker.url,
      MQTT_USERNAME: TRANSPORT.username,
      MQTT_PASSWORD: TRANSPORT.password,
      QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_order`,
    });
    await waitForOutput(transport, 'Not authorized');
    expect((await fetch(`http://127.0.0.1:${port}/health/ready`)).status).toBe(503);

    provisioning = await createTestApp({
      MQTT_URL: broker.url,
      MQTT_ADMIN_USERNAME: broker.admin.username,
      MQTT_ADMIN_PASSWORD: broker.admin.password,
      MQTT_USERNAME: TRANSPORT.username,
      MQTT_PASSWORD: TRANSPORT.password,
    });
    await waitForOk(transport, `http://127.0.0.1:${port}/health/ready`, 30_000);
  });
});
