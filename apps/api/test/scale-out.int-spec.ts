import { LivenessService } from '../src/modules/ingest/liveness.service';
import { PartitionsService } from '../src/modules/readings/partitions.service';
import {
  API_MAIN,
  type BuiltApp,
  freePort,
  portOpen,
  startBuiltApp,
  stopBuiltApp,
  waitForOutput,
} from './support/built-app';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/*
 * Scale-out: a worker process (the built API, PROCESS_MODE=worker) opens no HTTP port and
 * stores what an API process (PROCESS_MODE=api) enqueues; maintenance that every worker runs
 * does its work once however many run it at the same time.
 */
describe('scale-out', () => {
  const queuePrefix = `${process.env['QUEUE_PREFIX']}_scale`;
  let api: TestApp;
  let worker: BuiltApp | undefined;

  beforeAll(async () => {
    // Retention far back: the maintenance test runs "400 days from now" and must drop nothing.
    api = await createTestApp({
      QUEUE_PREFIX: queuePrefix,
      PROCESS_MODE: 'api',
      RAW_RETENTION_DAYS: '3650',
      ROLLUP_5M_RETENTION_DAYS: '3650',
    });
  });
  afterAll(async () => {
    await stopBuiltApp(worker);
    await api?.close();
  });

  it('a PROCESS_MODE=worker process listens on no port and stores what an API process enqueued', async () => {
    const port = await freePort();
    worker = startBuiltApp(API_MAIN, api, {
      PROCESS_MODE: 'worker',
      PORT: String(port),
      QUEUE_PREFIX: queuePrefix,
    });
    await waitForOutput(worker, 'no HTTP listener');
    expect(await portOpen(port)).toBe(false);

    const org = await api.factory.organization();
    const site = await api.factory.site(org);
    const gateway = await api.factory.gateway(site);
    const meter = await api.factory.meter(site, gateway);
    const keys = await api.factory.credential(gateway);
    const accepted = await api.http
      .post('/api/v1/readings/ingest')
      .set(keys.headers())
      .send({
        gateway_serial: gateway.serialNumber,
        timestamp: new Date(Date.now() - 60_000).toISOString(),
        readings: [{ meter_id: meter.id, parameter: 'power_w', value: 42, unit: 'W' }],
      })
      .expect(202);

    const [stored] = await waitFor(
      async () => {
        const rows = (await api.db.query(
          `SELECT status, processed FROM ingest_batches WHERE id = $1 AND status = 'processed'`,
          [accepted.body.batch_id],
        )) as Array<{ status: string; processed: number }>;
        return rows.length > 0 ? rows : undefined;
      },
      20_000,
      'the worker to store the batch',
    );
    expect(stored).toEqual({ status: 'processed', processed: 1 });
    expect(await portOpen(port)).toBe(false);
  });

  it('two offline sweeps at once flip a silent meter once, with one event', async () => {
    const org = await api.factory.organization();
    const site = await api.factory.site(org);
    const meter = await api.factory.meter(site, null, 'main', {
      status: 'online',
      heartbeatIntervalSeconds: 60,
      lastSeenAt: new Date(Date.now() - 3_600_000),
    });
    const liveness = api.app.get(LivenessService);

    await Promise.all([liveness.sweep(), liveness.sweep()]);

    const events = await api.db.query(
      `SELECT type FROM events WHERE subject_id = $1 AND type = 'device.offline'`,
      [meter.id],
    );
    expect(events).toHaveLength(1);
    const [{ status }] = await api.db.query('SELECT status FROM meters WHERE id = $1', [meter.id]);
    expect(status).toBe('offline');
  });

  it('two partition maintenances at once create each partition once', async () => {
    const partitions = api.app.get(PartitionsService);
    const future = new Date(Date.now() + 400 * 86_400_000);
    const [a, b] = await Promise.all([partitions.maintain(future), partitions.maintain(future)]);
    const created = [...a.created, ...b.created];
    expect(created.length).toBeGreaterThan(0);
    expect(new Set(created).size).toBe(created.length);
  });
});
