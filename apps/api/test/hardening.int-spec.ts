import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Response } from 'supertest';
import { createTestApp, TestApp } from './support/test-app';

/** What Angular's build writes: critical CSS inline, the stylesheet loaded by an onload handler. */
const HANDLER = "this.media='all'";
const INDEX = `<!doctype html><html><head><style>body{margin:0}</style>
<link rel="stylesheet" href="styles.css" media="print" onload="${HANDLER}"></head>
<body><app-root></app-root><script src="main.js" type="module"></script></body></html>`;
const ALLOWED_ORIGIN = 'https://app.gridwatch.example';

function expectSecurityHeaders(response: Response): void {
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['strict-transport-security']).toMatch(/max-age=\d+/);
  expect(response.headers['referrer-policy']).toBe('no-referrer');
  expect(response.headers['x-powered-by']).toBeUndefined();
  const csp = response.headers['content-security-policy'] as string;
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
}

describe('hardening', () => {
  let web: string;
  let app: TestApp;

  beforeAll(async () => {
    web = mkdtempSync(join(tmpdir(), 'gw-web-'));
    writeFileSync(join(web, 'index.html'), INDEX);
    app = await createTestApp({
      WEB_DIST_PATH: web,
      CORS_ORIGINS: ALLOWED_ORIGIN,
      QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_hardening`,
      DEVICE_MAX_REQUESTS_PER_DEVICE: '3',
      DEVICE_MAX_REQUESTS_PER_IP: '6',
      DEVICE_RATE_WINDOW_SECONDS: '60',
    });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(web, { recursive: true, force: true });
  });

  it('sends the security headers on API answers, errors included', async () => {
    expectSecurityHeaders(await app.http.get('/health/live').expect(200));
    expectSecurityHeaders(await app.http.get('/api/v1/no-such-thing').expect(404));
  });

  it("sends them on the SPA's index, with a CSP that allows its inline handler by hash only", async () => {
    const index = await app.http.get('/sites/overview').set('Accept', 'text/html').expect(200);
    expect(index.text).toContain('<app-root>');
    expectSecurityHeaders(index);
    const hash = createHash('sha256').update(HANDLER).digest('base64');
    expect(index.headers['content-security-policy']).toMatch(
      new RegExp(`script-src 'self' 'unsafe-hashes' 'sha256-${hash.replace(/[+/]/g, '\\$&')}'`),
    );
  });

  it('allows the configured origin with credentials and never reflects another', async () => {
    const allowed = await app.http.get('/health/live').set('Origin', ALLOWED_ORIGIN).expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe(ALLOWED_ORIGIN);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const foreign = await app.http
      .options('/api/v1/auth/login')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers malformed input with a code and no stack trace', async () => {
    const response = await app.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send('{"email": ')
      .expect(400);
    expect(response.body.error).toMatch(/^[a-z_]+$/);
    expect(response.text).not.toMatch(/\bat .+\.(js|ts):\d+/);
  });

  it('rate-limits device endpoints per device, then per client IP: 429 with Retry-After', async () => {
    const org = await app.factory.organization();
    const site = await app.factory.site(org);
    const send = async (gatewayNumber: 0 | 1) => {
      const { gateway, meter, keys } = devices[gatewayNumber];
      return app.http
        .post('/api/v1/readings/ingest')
        .set(keys.headers())
        .send({
          gateway_serial: gateway.serialNumber,
          timestamp: new Date(Date.now() - 60_000).toISOString(),
          readings: [{ meter_id: meter.id, parameter: 'power_w', value: 5, unit: 'W' }],
        });
    };
    const devices = await Promise.all(
      [0, 1].map(async () => {
        const gateway = await app.factory.gateway(site);
        const meter = await app.factory.meter(site, gateway);
        return { gateway, meter, keys: await app.factory.credential(gateway) };
      }),
    );

    for (let i = 0; i < 3; i += 1) expect((await send(0)).status).toBe(202);
    const perDevice = await send(0);
    expect(perDevice.status).toBe(429);
    expect(perDevice.body.error).toBe('too_many_requests');
    expect(Number(perDevice.headers['retry-after'])).toBeGreaterThan(0);

    // The IP has made 4 requests; the other device gets the 2 left of its 6.
    expect((await send(1)).status).toBe(202);
    expect((await send(1)).status).toBe(202);
    const perIp = await send(1);
    expect(perIp.status).toBe(429);
    expect(Number(perIp.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('device rate limits across API replicas', () => {
  const env = {
    QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_hardening_replicas`,
    DEVICE_MAX_REQUESTS_PER_DEVICE: '3',
    DEVICE_MAX_REQUESTS_PER_IP: '100',
    DEVICE_RATE_WINDOW_SECONDS: '60',
  };
  let first: TestApp;
  let second: TestApp;

  beforeAll(async () => {
    first = await createTestApp(env);
    second = await createTestApp(env);
  });
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('counts a device once across two replicas sharing Redis: its 4th request, on the other, is 429', async () => {
    const site = await first.factory.site(await first.factory.organization());
    const gateway = await first.factory.gateway(site);
    const meter = await first.factory.meter(site, gateway);
    const keys = await first.factory.credential(gateway);
    const send = (app: TestApp) =>
      app.http
        .post('/api/v1/readings/ingest')
        .set(keys.headers())
        .send({
          gateway_serial: gateway.serialNumber,
          timestamp: new Date(Date.now() - 60_000).toISOString(),
          readings: [{ meter_id: meter.id, parameter: 'power_w', value: 5, unit: 'W' }],
        });

    expect((await send(first)).status).toBe(202);
    expect((await send(second)).status).toBe(202);
    expect((await send(first)).status).toBe(202);
    const limited = await send(second);
    expect(limited.status).toBe(429);
    expect(limited.body.error).toBe('too_many_requests');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});
