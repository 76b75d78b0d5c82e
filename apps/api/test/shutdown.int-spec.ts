import { request as httpRequest } from 'node:http';
import { networkInterfaces } from 'node:os';
import {
  API_MAIN,
  type BuiltApp,
  freePort,
  portOpen,
  startBuiltApp,
  stopBuiltApp,
  TRANSPORT_MAIN,
  waitForOk,
  waitForOutput,
} from './support/built-app';
import { createTestApp, TestApp } from './support/test-app';

/*
 * SIGTERM to the built API, worker and transport (real child processes): stop accepting, finish
 * what is in flight, close connections and exit 0 within SHUTDOWN_TIMEOUT_MS.
 */
describe('graceful shutdown', () => {
  const shutdownTimeoutMs = 8000;
  let api: TestApp;
  let child: BuiltApp | undefined;

  beforeAll(async () => {
    api = await createTestApp();
  });
  afterEach(() => stopBuiltApp(child));
  afterAll(() => api?.close());

  it('the API finishes a request that was mid-upload, refuses new connections and exits 0', async () => {
    const port = await freePort();
    child = startBuiltApp(API_MAIN, api, {
      PORT: String(port),
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    });
    await waitForOk(child, `http://127.0.0.1:${port}/health/ready`);
    const org = await api.factory.organization();
    const site = await api.factory.site(org);
    const gateway = await api.factory.gateway(site);
    const meter = await api.factory.meter(site, gateway);
    const keys = await api.factory.credential(gateway);
    const body = JSON.stringify({
      gateway_serial: gateway.serialNumber,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
      readings: [{ meter_id: meter.id, parameter: 'power_w', value: 42, unit: 'W' }],
    });
    const upload = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/v1/readings/ingest',
      headers: {
        ...keys.headers(),
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
      },
    });
    const answered = new Promise<{ status: number; text: string }>((resolve, reject) => {
      upload.on('response', (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      });
      upload.on('error', reject);
    });
    upload.write(body.slice(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const started = Date.now();
    child.child.kill('SIGTERM');
    await waitForOutput(child, 'draining');
    expect(await portOpen(port)).toBe(false);
    upload.end(body.slice(10));

    const answer = await answered;
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.text)).toMatchObject({ accepted: 1 });
    expect(await child.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(shutdownTimeoutMs);
    expect(child.output()).toContain('drained; exiting');
  });

  it('a worker stops taking jobs, lets the running ones finish and exits 0', async () => {
    child = startBuiltApp(API_MAIN, api, {
      PROCESS_MODE: 'worker',
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    });
    await waitForOutput(child, 'no HTTP listener');

    const started = Date.now();
    child.child.kill('SIGTERM');

    expect(await child.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(shutdownTimeoutMs);
    expect(child.output()).toContain('stopped taking ingest jobs');
  });

  it('the transport serves health on loopback only and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    child = startBuiltApp(TRANSPORT_MAIN, api, {
      TRANSPORT_PORT: String(port),
      MODBUS_POLLER_ENABLED: 'false',
      SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
    });
    await waitForOk(child, `http://127.0.0.1:${port}/health/ready`);
    expect((await fetch(`http://127.0.0.1:${port}/health/live`)).status).toBe(200);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((address) => address && address.family === 'IPv4' && !address.internal);
    if (external) expect(await portOpen(port, external.address)).toBe(false);

    const started = Date.now();
    child.child.kill('SIGTERM');

    expect(await child.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(shutdownTimeoutMs);
  });
});
