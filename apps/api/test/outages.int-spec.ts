import { Metrics } from '@gridwatch/server';
import { LostBatchesSweeper } from '../src/modules/ingest/lost-batches.sweeper';
import { PrivateRedis } from './support/private-redis';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/*
 * Health and outages: liveness and readiness with @nestjs/terminus, and a Redis outage (a private
 * redis-server this test stops and starts again): readiness 503 naming redis, ingest 503 with
 * Retry-After (never a 202 for data not enqueued, never a 500), both back once Redis returns.
 */
describe('health and outages', () => {
  let redis: PrivateRedis;
  let app: TestApp;

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    app = await createTestApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await redis?.resume(); // a failed test may have left it stopped; closing needs it
    await app?.close();
    await redis?.destroy();
  });

  it('answers liveness and readiness outside /api/v1, and readiness under /api/v1/health', async () => {
    await app.http.get('/health/live').expect(200);
    const ready = await app.http.get('/health/ready').expect(200);
    expect(ready.body).toMatchObject({
      status: 'ok',
      details: { database: { status: 'up' }, redis: { status: 'up' } },
    });
    await app.http.get('/api/v1/health').expect(200);
  });

  it('Redis down: readiness 503 naming redis, ingest 503 with Retry-After; both recover', async () => {
    const org = await app.factory.organization();
    const site = await app.factory.site(org);
    const gateway = await app.factory.gateway(site);
    const meter = await app.factory.meter(site, gateway);
    const keys = await app.factory.credential(gateway);
    const batch = (value: number) => ({
      gateway_serial: gateway.serialNumber,
      timestamp: new Date(Date.now() - 60_000).toISOString(),
      readings: [{ meter_id: meter.id, parameter: 'power_w', value, unit: 'W' }],
    });

    await redis.stop();

    const ready = await app.http.get('/health/ready').expect(503);
    expect(ready.headers['retry-after']).toMatch(/^\d+$/);
    expect(ready.body).toMatchObject({
      statusCode: 503,
      error: 'service_unavailable',
      message: expect.stringMatching(/^Not ready: .*redis/),
      details: { checks: { database: { status: 'up' }, redis: { status: 'down' } } },
    });
    const refused = await app.http
      .post('/api/v1/readings/ingest')
      .set(keys.headers())
      .send(batch(1));
    expect(refused.status).toBe(503);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.body.error).toBe('service_unavailable');
    const [{ count }] = await app.db.query(
      `SELECT count(*)::int AS count FROM ingest_batches WHERE gateway_id = $1`,
      [gateway.id],
    );
    expect(count).toBe(0);

    await redis.resume();

    await waitFor(
      async () => ((await app.http.get('/health/ready')).status === 200 ? true : undefined),
      20_000,
      'readiness after Redis returned',
    );
    await app.http.post('/api/v1/readings/ingest').set(keys.headers()).send(batch(2)).expect(202);
  });

  it('a queued batch whose job vanished is marked lost, counted and recorded, never left queued', async () => {
    const org = await app.factory.organization();
    const site = await app.factory.site(org);
    const gateway = await app.factory.gateway(site);
    const [{ id }] = await app.db.query(
      `INSERT INTO ingest_batches (id, organization_id, gateway_id, source, status, accepted, received_at)
       VALUES (gen_random_uuid(), $1, $2, 'http', 'queued', 3, now() - interval '1 day')
       RETURNING id`,
      [org.id, gateway.id],
    );
    const metrics = app.app.get(Metrics);
    const lostBefore = await seriesValue(metrics, 'gridwatch_ingest_batches_lost_total');

    const sweeper = app.app.get(LostBatchesSweeper);
    expect(await sweeper.sweep()).toContain(id);
    expect(await sweeper.sweep()).not.toContain(id);

    const [batch] = await app.db.query('SELECT status FROM ingest_batches WHERE id = $1', [id]);
    expect(batch.status).toBe('lost');
    const events = await app.db.query(
      `SELECT data FROM events WHERE type = 'ingest.batch_lost' AND subject_id = $1`,
      [id],
    );
    expect(events).toEqual([{ data: { gatewayId: gateway.id, accepted: 3 } }]);
    expect(await seriesValue(metrics, 'gridwatch_ingest_batches_lost_total')).toBe(lostBefore + 1);
  });
});

async function seriesValue(metrics: Metrics, series: string): Promise<number> {
  const line = (await metrics.render())
    .split('\n')
    .find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}
