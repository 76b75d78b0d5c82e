import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName } from '@gridwatch/contracts';
import type { MeterEntity } from '@gridwatch/server';
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
import { expectRollupsMatchRaw } from './support/rollups';
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

/*
 * At-least-once for real: the built worker is SIGKILLed while it holds jobs (no shutdown hook
 * runs: its open transaction dies with its connection, its Bull locks simply expire), and a new
 * worker takes over the queue.
 */
describe('a worker killed mid-job', () => {
  const queuePrefix = `${process.env['QUEUE_PREFIX']}_crash`;
  let api: TestApp;
  const workers: BuiltApp[] = [];

  beforeAll(async () => {
    api = await createTestApp({ QUEUE_PREFIX: queuePrefix, PROCESS_MODE: 'api' });
  });
  afterAll(async () => {
    for (const worker of workers) await stopBuiltApp(worker);
    await api?.close();
  });

  function startWorker(): BuiltApp {
    const worker = startBuiltApp(API_MAIN, api, {
      PROCESS_MODE: 'worker',
      QUEUE_PREFIX: queuePrefix,
      // The dead worker's jobs are handed over within seconds, not the default minute.
      INGEST_JOB_LOCK_SECONDS: '3',
    });
    workers.push(worker);
    return worker;
  }

  it('a worker killed mid-job (SIGKILL) and restarted: every accepted reading stored exactly once and every rollup equal to its recomputation', async () => {
    const org = await api.factory.organization();
    const site = await api.factory.site(org, { timezone: 'Europe/London' });
    const gateway = await api.factory.gateway(site);
    const meters: MeterEntity[] = [];
    for (let i = 0; i < 4; i++) meters.push(await api.factory.meter(site, gateway));
    const keys = await api.factory.credential(gateway);

    // Two days of power and energy per meter (the counter resets once), sent in shuffled batches
    // of 500 (late and out of order), four of them twice.
    const now = Date.now();
    const expected = new Map<string, number>();
    const readings: Array<{
      meter_id: string;
      parameter: string;
      value: number;
      unit: string;
      timestamp: string;
    }> = [];
    for (const [index, meter] of meters.entries()) {
      let counter = 5000 * (index + 1);
      for (let i = 0; i < 1500; i++) {
        const ts = now - 48 * 3_600_000 + i * 115_000 + index;
        counter = i === 900 ? 3 : counter + ((i * 7) % 5);
        for (const [parameter, value, unit] of [
          ['power_w', 1000 + ((i * 37 + index) % 900), 'W'],
          ['energy_kwh', counter, 'kWh'],
        ] as const) {
          const timestamp = new Date(ts).toISOString();
          readings.push({ meter_id: meter.id, parameter, value, unit, timestamp });
          expected.set(`${meter.id}|${parameter}|${ts}`, value);
        }
      }
    }
    const shuffled = readings
      .map((reading, i) => ({ reading, order: (i * 7919) % readings.length }))
      .sort((a, b) => a.order - b.order)
      .map(({ reading }) => reading);
    const bodies: string[] = [];
    for (let i = 0; i < shuffled.length; i += 500) {
      bodies.push(
        JSON.stringify({
          gateway_serial: gateway.serialNumber,
          timestamp: new Date(now - 60_000).toISOString(),
          readings: shuffled.slice(i, i + 500),
        }),
      );
    }
    const batchIds: string[] = [];
    for (const body of [...bodies, ...bodies.slice(0, 4)]) {
      const answer = await api.http
        .post('/api/v1/readings/ingest')
        .set(keys.headers())
        .set('Content-Type', 'application/json')
        .send(body)
        .expect(202);
      expect(answer.body).toMatchObject({ accepted: 500, rejected: [] });
      batchIds.push(answer.body.batch_id as string);
    }

    const queue = api.app.get<Queue>(getQueueToken(QueueName.Ingest));
    const processed = async () => {
      const [{ n }] = (await api.db.query(
        `SELECT count(*)::int AS n FROM ingest_batches WHERE id = ANY($1) AND status <> 'queued'`,
        [batchIds],
      )) as Array<{ n: number }>;
      return n;
    };
    const first = startWorker();
    await waitFor(
      async () =>
        (await processed()) >= 2 && (await queue.getActiveCount()) > 0 ? true : undefined,
      60_000,
      'the first worker to be busy',
    );
    first.child.kill('SIGKILL');
    const atKill = await processed();
    expect(atKill).toBeLessThan(batchIds.length);

    startWorker();
    await waitFor(
      async () => ((await processed()) === batchIds.length ? true : undefined),
      90_000,
      'the second worker to process every batch',
    );
    await waitFor(
      async () => {
        const [{ n }] = (await api.db.query(
          'SELECT count(*)::int AS n FROM rollup_dirty WHERE meter_id = ANY($1)',
          [meters.map((meter) => meter.id)],
        )) as Array<{ n: number }>;
        return n === 0 ? true : undefined;
      },
      30_000,
      'the rollup step to catch up',
    );

    const stored = (await api.db.query(
      `SELECT meter_id, parameter, (extract(epoch FROM ts) * 1000)::float8 AS t, value
       FROM readings WHERE meter_id = ANY($1)`,
      [meters.map((meter) => meter.id)],
    )) as Array<{ meter_id: string; parameter: string; t: number; value: number }>;
    expect(stored.length).toBe(expected.size);
    const missing = stored.filter(
      (row) => expected.get(`${row.meter_id}|${row.parameter}|${Math.round(row.t)}`) !== row.value,
    );
    expect(missing).toEqual([]);
    const batches = (await api.db.query(
      `SELECT status, count(*)::int AS n FROM ingest_batches WHERE id = ANY($1) GROUP BY status`,
      [batchIds],
    )) as Array<{ status: string; n: number }>;
    expect(batches).toEqual([{ status: 'processed', n: batchIds.length }]);
    // Each reading counted as processed by exactly one batch, however often its job ran.
    const [{ total }] = (await api.db.query(
      'SELECT sum(processed)::int AS total FROM ingest_batches WHERE id = ANY($1)',
      [batchIds],
    )) as Array<{ total: number }>;
    expect(total).toBe(expected.size);
    await expectRollupsMatchRaw(meters, (sql, parameters) => api.db.query(sql, parameters));
  }, 180_000);
});
