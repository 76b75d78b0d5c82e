import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Metrics, serveMetrics } from '@gridwatch/server';
import { createTestApp, TestApp } from './support/test-app';

/** The series an operator scrapes from the API (the transport's are in its own tests). */
const API_SERIES = [
  'gridwatch_readings_accepted_total{transport="http"}',
  'gridwatch_readings_rejected_total{transport="http",code="unknown_meter"}',
  'gridwatch_http_request_duration_seconds_bucket',
  'gridwatch_ingest_job_duration_seconds',
  'gridwatch_ingest_queue_jobs{state="waiting"}',
  'gridwatch_ingest_backlog_readings',
  'gridwatch_ingest_jobs_failed_total',
  'gridwatch_ingest_batches_lost_total',
  'gridwatch_websocket_clients',
  'process_cpu_user_seconds_total',
  'nodejs_heap_size_used_bytes',
];

describe('metrics', () => {
  let app: TestApp;
  let metricsServer: Server;

  beforeAll(async () => {
    app = await createTestApp();
    metricsServer = await serveMetrics(app.app.get(Metrics), '127.0.0.1', 0);
  });
  afterAll(async () => {
    metricsServer?.close();
    await app?.close();
  });

  it('the metrics port answers every named series; the public port does not serve them', async () => {
    const org = await app.factory.organization();
    const site = await app.factory.site(org);
    const gateway = await app.factory.gateway(site);
    const meter = await app.factory.meter(site, gateway);
    const keys = await app.factory.credential(gateway);
    await app.http
      .post('/api/v1/readings/ingest')
      .set(keys.headers())
      .send({
        gateway_serial: gateway.serialNumber,
        timestamp: new Date(Date.now() - 60_000).toISOString(),
        readings: [
          { meter_id: meter.id, parameter: 'power_w', value: 1, unit: 'W' },
          { meter_id: '00000000-0000-4000-8000-000000000000', parameter: 'power_w', value: 1 },
        ],
      })
      .expect(202);

    const { address, port } = metricsServer.address() as AddressInfo;
    expect(address).toBe('127.0.0.1');
    const scraped = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    for (const series of API_SERIES) expect(text).toContain(series);
    expect(text).toMatch(/^gridwatch_readings_accepted_total\{transport="http"\} [1-9]/m);
    expect(text).toContain('route="/api/v1/readings/ingest",status="202"');

    const publicPort = await app.http.get('/metrics');
    expect(publicPort.status).toBe(404);
    expect(publicPort.text).not.toContain('gridwatch_');
    expect(publicPort.text).not.toContain('process_cpu');
  });

  it('with METRICS_TOKEN the public port answers /metrics to that bearer token only', async () => {
    const token = randomBytes(32).toString('base64url');
    const guarded = await createTestApp({ METRICS_TOKEN: token });
    try {
      await guarded.http.get('/metrics').expect(401);
      await guarded.http.get('/metrics').set('Authorization', `Bearer ${token}x`).expect(401);
      const scraped = await guarded.http
        .get('/metrics')
        .set('Authorization', `Bearer ${token}`)
        .expect(200);
      expect(scraped.text).toContain('gridwatch_http_request_duration_seconds');
    } finally {
      await guarded.close();
    }
  });
});
