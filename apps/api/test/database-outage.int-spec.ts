import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName, type IngestJob } from '@gridwatch/contracts';
import { loadConfig, migrate } from '@gridwatch/server';
import { PrivatePostgres } from './support/private-postgres';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/*
 * PostgreSQL down while accepted readings wait in the queue (issue 10, "outages degrade, then
 * recover by themselves"): a private PostgreSQL this test stops and starts again, an API
 * (PROCESS_MODE=api) and a worker on a queue of their own. While it is down readiness answers 503
 * naming the database and the worker's jobs fail and are retried with backoff; once it is back the
 * pools reconnect without a restart and every accepted reading is stored exactly once.
 */
describe('PostgreSQL outage', () => {
  let postgres: PrivatePostgres;
  let api: TestApp;
  let worker: TestApp;

  beforeAll(async () => {
    postgres = await PrivatePostgres.start();
    const env = {
      DATABASE_URL: postgres.url,
      QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_pgdown`,
      INGEST_JOB_ATTEMPTS: '30',
      INGEST_RETRY_DELAY_MS: '200',
    };
    await migrate(loadConfig({ ...process.env, ...env }));
    api = await createTestApp({ ...env, PROCESS_MODE: 'api' });
    worker = await createTestApp({ ...env, PROCESS_MODE: 'worker' });
  });
  afterAll(async () => {
    await postgres?.resume(); // a failed test may have left it stopped; closing needs it
    await worker?.close();
    await api?.close();
    await postgres?.destroy();
  });

  it('readiness 503 and jobs retried while it is down; every accepted reading stored once after', async () => {
    const org = await api.factory.organization();
    const site = await api.factory.site(org);
    const gateway = await api.factory.gateway(site);
    const meter = await api.factory.meter(site, gateway);
    const keys = await api.factory.credential(gateway);
    const workerQueue = worker.app.get<Queue<IngestJob>>(getQueueToken(QueueName.Ingest));
    const apiQueue = api.app.get<Queue<IngestJob>>(getQueueToken(QueueName.Ingest));

    // Accepted while the worker takes nothing: the jobs wait in Redis.
    await workerQueue.pause(true);
    const start = Date.now() - 3_600_000;
    const batchIds: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const accepted = await api.http
        .post('/api/v1/readings/ingest')
        .set(keys.headers())
        .send({
          gateway_serial: gateway.serialNumber,
          timestamp: new Date(start + i * 60_000).toISOString(),
          readings: [{ meter_id: meter.id, parameter: 'power_w', value: 100 + i, unit: 'W' }],
        })
        .expect(202);
      batchIds.push(accepted.body.batch_id as string);
    }

    await postgres.stop();

    const ready = await api.http.get('/health/ready').expect(503);
    expect(ready.body).toMatchObject({
      error: 'service_unavailable',
      message: expect.stringMatching(/^Not ready: .*database/),
      details: { checks: { database: { status: 'down' }, redis: { status: 'up' } } },
    });

    await workerQueue.resume(true);
    // Every job fails against the stopped database and is put back for another attempt.
    await waitFor(
      async () => {
        const jobs = await Promise.all(batchIds.map((id) => apiQueue.getJob(id)));
        return jobs.every((job) => job && job.attemptsMade >= 2) ? true : undefined;
      },
      20_000,
      'every job to be retried',
    );
    for (const id of batchIds) {
      const job = await apiQueue.getJob(id);
      expect(await job?.getState()).not.toBe('failed');
    }

    await postgres.resume();

    await waitFor(
      async () => {
        const rows: { status: string }[] = await api.db.query(
          'SELECT status FROM ingest_batches WHERE id = ANY($1::uuid[])',
          [batchIds],
        );
        return rows.length === batchIds.length && rows.every((row) => row.status === 'processed')
          ? true
          : undefined;
      },
      30_000,
      'every batch to be processed once PostgreSQL is back',
    );
    const batches: { status: string }[] = await api.db.query(
      'SELECT status FROM ingest_batches WHERE id = ANY($1::uuid[])',
      [batchIds],
    );
    expect(batches.map((batch) => batch.status)).toEqual(batchIds.map(() => 'processed'));
    const [stored] = await api.db.query(
      `SELECT count(*)::int AS rows, count(DISTINCT ts)::int AS instants
         FROM readings WHERE meter_id = $1 AND parameter = 'power_w'`,
      [meter.id],
    );
    expect(stored).toEqual({ rows: 5, instants: 5 });
    await waitFor(
      async () => ((await api.http.get('/health/ready')).status === 200 ? true : undefined),
      20_000,
      'readiness once PostgreSQL is back',
    );
  });
});
