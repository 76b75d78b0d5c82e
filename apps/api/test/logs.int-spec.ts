import { createHmac, randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName, type IngestJob } from '@gridwatch/contracts';
import { APP_CONFIG, type AppConfig } from '@gridwatch/server';
import {
  API_MAIN,
  type BuiltApp,
  freePort,
  startBuiltApp,
  stopBuiltApp,
  waitForOk,
  waitForOutput,
} from './support/built-app';
import { createTestApp, TestApp } from './support/test-app';

/*
 * The built API's JSON logs after login, credential creation and signed ingest contain none of
 * the secrets used: password, access and refresh tokens, device secret, signature, cookie, and
 * the process's own JWT_SECRET and CREDENTIALS_ENCRYPTION_KEY. They do carry request ids and
 * the device id. A worker (PROCESS_MODE=worker, no HTTP listener) logs JSON lines as well.
 */
describe('structured logs', () => {
  let api: TestApp;
  let child: BuiltApp | undefined;

  beforeAll(async () => {
    api = await createTestApp();
  });
  afterAll(async () => {
    await stopBuiltApp(child);
    await api?.close();
  });

  it('log every request as JSON with its id and never a secret', async () => {
    const port = await freePort();
    child = startBuiltApp(API_MAIN, api, { PORT: String(port), LOG_LEVEL: 'debug' });
    const base = `http://127.0.0.1:${port}/api/v1`;
    await waitForOk(child, `http://127.0.0.1:${port}/health/ready`);
    const org = await api.factory.organization();
    const owner = await api.factory.user(org, 'owner');
    const site = await api.factory.site(org);
    const gateway = await api.factory.gateway(site);
    const meter = await api.factory.meter(site, gateway);

    const login = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Cookie: 'session=cookie-value-0123456789' },
      body: JSON.stringify({ email: owner.user.email, password: owner.password }),
    });
    expect(login.status).toBe(200);
    const tokens = (await login.json()) as { accessToken: string; refreshToken: string };
    const created = await fetch(`${base}/gateways/${gateway.id}/credentials`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokens.accessToken}` },
    });
    expect(created.status).toBe(201);
    const { deviceId, secret } = (await created.json()) as { deviceId: string; secret: string };
    const body = JSON.stringify({
      gateway_serial: gateway.serialNumber,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
      readings: [{ meter_id: meter.id, parameter: 'power_w', value: 7, unit: 'W' }],
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
    const signed = await fetch(`${base}/readings/ingest`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Device-ID': deviceId,
        'X-Timestamp': timestamp,
        'X-Signature': signature,
      },
      body,
    });
    expect(signed.status).toBe(202);
    expect(signed.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const plain = await fetch(`${base}/readings/ingest`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Device-ID': deviceId,
        'X-Device-Secret': secret,
      },
      body,
    });
    expect(plain.status).toBe(202);
    await stopBuiltApp(child);

    const output = child.output();
    const config = api.app.get<AppConfig>(APP_CONFIG);
    const secrets = {
      password: owner.password,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      deviceSecret: secret,
      signature,
      cookie: 'cookie-value-0123456789',
      jwtSecret: config.jwtSecret,
      credentialsKey: config.credentialsKey.toString('base64'),
    };
    for (const [what, value] of Object.entries(secrets)) {
      expect({ what, logged: output.includes(value) }).toEqual({ what, logged: false });
    }
    const requests = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { req?: { id?: string; url?: string }; deviceId?: string })
      .filter((line) => line.req?.url?.includes('/readings/ingest'));
    expect(requests.length).toBeGreaterThanOrEqual(2);
    for (const line of requests) {
      expect(line.req?.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(line.deviceId).toBe(deviceId);
    }
    expect(output).toContain('[redacted]');
  });

  it('a worker process logs JSON lines too: its start, a failed job and its shutdown', async () => {
    // A queue of its own: no other file's processor takes the job, and this app (PROCESS_MODE=api)
    // only enqueues.
    const env = { QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_logs`, PROCESS_MODE: 'api' };
    const producer = await createTestApp(env);
    const batchId = randomUUID();
    try {
      child = startBuiltApp(API_MAIN, api, { ...env, PROCESS_MODE: 'worker' });
      await waitForOutput(child, 'no HTTP listener');
      // Past validation somehow: readings that are not a list make the worker's store throw.
      const job = { batchId, organizationId: randomUUID(), readings: 'not a list' };
      await producer.app
        .get<Queue<IngestJob>>(getQueueToken(QueueName.Ingest))
        .add(job as unknown as IngestJob, { jobId: batchId, attempts: 1 });
      await waitForOutput(child, `job ${batchId} attempt 1/1 failed`);
      await stopBuiltApp(child);
    } finally {
      await producer.close();
    }

    const lines = child
      .output()
      .split('\n')
      .filter((line) => line.trim() !== '');
    const parsed = lines.map((line) => {
      try {
        return JSON.parse(line) as { level?: unknown; msg?: unknown };
      } catch {
        return { notJson: line };
      }
    });
    for (const line of parsed) {
      expect(line).toEqual(
        expect.objectContaining({ level: expect.any(Number), msg: expect.any(String) }),
      );
    }
    const messages = parsed.map((line) => String('msg' in line ? line.msg : ''));
    expect(messages).toContainEqual(expect.stringContaining('no HTTP listener'));
    expect(messages).toContainEqual(expect.stringContaining(`job ${batchId} attempt 1/1 failed`));
    const config = api.app.get<AppConfig>(APP_CONFIG);
    expect(child.output()).not.toContain(config.jwtSecret);
    expect(child.output()).not.toContain(config.credentialsKey.toString('base64'));
  });
});
