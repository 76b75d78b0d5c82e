import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import { QueueName, type IngestJob } from '@gridwatch/contracts';
import { IngestBacklog } from '@gridwatch/ingest';
import type { GatewayEntity, MeterEntity } from '@gridwatch/server';
import type { DeviceKeys, TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

/*
 * Back-pressure against real PostgreSQL and Redis: an API process (PROCESS_MODE=api, so nothing
 * drains its queue) with room for 4 queued readings, then a worker process on the same queue.
 * Both use a queue prefix of their own, so no other test file's processor takes these jobs.
 */
describe('ingest back-pressure', () => {
  const env = {
    QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_bp`,
    INGEST_MAX_BACKLOG: '4',
  };
  let api: TestApp;
  let worker: TestApp | undefined;
  let gateway: GatewayEntity;
  let meter: MeterEntity;
  let direct: MeterEntity;
  let keys: DeviceKeys;
  let directKeys: DeviceKeys;
  let viewer: TestUser;
  let clock = Date.now() - 3_600_000;

  beforeAll(async () => {
    api = await createTestApp({ ...env, PROCESS_MODE: 'api' });
    const org = await api.factory.organization();
    const site = await api.factory.site(org);
    gateway = await api.factory.gateway(site);
    meter = await api.factory.meter(site, gateway);
    direct = await api.factory.meter(site);
    keys = await api.factory.credential(gateway);
    directKeys = await api.factory.credential(direct);
    viewer = await api.factory.user(org, 'viewer');
  });
  afterAll(async () => {
    await worker?.close();
    await api?.close();
  });

  /** Two readings at an instant no other batch uses, as the exact bytes a gateway signs. */
  function batch(): string {
    clock += 60_000;
    const timestamp = new Date(clock).toISOString();
    return JSON.stringify({
      gateway_serial: gateway.serialNumber,
      timestamp,
      readings: [
        { meter_id: meter.id, parameter: 'power_w', value: 1000, unit: 'W' },
        { meter_id: meter.id, parameter: 'voltage_v', value: 230, unit: 'V' },
      ],
    });
  }

  function send(body: string, headers = keys.signed(body)) {
    return api.http.post('/api/v1/readings/ingest').set(headers).send(body);
  }

  async function batchView(batchId: string) {
    const response = await api.http
      .get(`/api/v1/ingest/batches/${batchId}`)
      .set('Authorization', viewer.auth)
      .expect(200);
    return response.body as { status: string; processed: number; duplicates: number };
  }

  it('refuses with 503 ingest_backlog_full and Retry-After once full, and stores everything accepted exactly once after the drain', async () => {
    const first = await send(batch()).expect(202);
    const second = await send(batch()).expect(202);

    const refusedBody = batch();
    const refusedHeaders = keys.signed(refusedBody);
    const refused = await send(refusedBody, refusedHeaders).expect(503);
    expect(refused.headers['retry-after']).toBe('5');
    expect(refused.body).toMatchObject({ statusCode: 503, error: 'ingest_backlog_full' });
    const sample = await api.http
      .post('/api/v1/ingest')
      .set(directKeys.headers())
      .send({ ts: new Date(clock).toISOString(), current: 2, voltage: 230 })
      .expect(503);
    expect(sample.headers['retry-after']).toBe('5');
    expect(sample.body.error).toBe('ingest_backlog_full');

    // PROCESS_MODE=api processes nothing: the accepted batches wait in the queue.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const queue = api.app.get<Queue<IngestJob>>(getQueueToken(QueueName.Ingest));
    expect(await queue.getWaitingCount()).toBe(2);
    expect((await batchView(first.body.batch_id)).status).toBe('queued');
    expect(await api.app.get(IngestBacklog).queued()).toBe(4);

    worker = await createTestApp({ ...env, PROCESS_MODE: 'worker' });
    for (const accepted of [first, second]) {
      await waitFor(
        async () => (await batchView(accepted.body.batch_id)).status === 'processed' || undefined,
        15_000,
        'the worker to store the accepted batches',
      );
    }
    await waitFor(
      async () => ((await api.app.get(IngestBacklog).queued()) === 0 ? true : undefined),
      5_000,
      'the backlog to drain',
    );

    // The device resends the very request that was refused: its signature was not spent on it.
    const resent = await send(refusedBody, refusedHeaders).expect(202);
    await waitFor(
      async () => (await batchView(resent.body.batch_id)).status === 'processed' || undefined,
      15_000,
      'the resent batch',
    );
    for (const accepted of [first, second, resent]) {
      expect(await batchView(accepted.body.batch_id)).toMatchObject({
        status: 'processed',
        processed: 2,
        duplicates: 0,
      });
    }
    const [{ rows, keys: distinct }] = await api.db.query(
      `SELECT count(*)::int AS rows, count(DISTINCT (parameter, ts))::int AS keys
       FROM readings WHERE meter_id = $1`,
      [meter.id],
    );
    expect({ rows, distinct }).toEqual({ rows: 6, distinct: 6 });
    await waitFor(
      async () => ((await api.app.get(IngestBacklog).queued()) === 0 ? true : undefined),
      5_000,
      'the backlog to be empty again',
    );
  });

  it('counts a job once however often it is reported, and reconcile settles jobs Bull finished unreported', async () => {
    const backlog = api.app.get(IngestBacklog);
    const before = await waitFor(async () => backlog.queued(), 1000);
    await backlog.reserve('reported-twice', 3);
    await backlog.reserve('reported-twice', 3);
    await backlog.reserve('never-reported', 2);
    expect(await backlog.queued()).toBe(before + 5);
    await backlog.settle('reported-twice');
    await backlog.settle('reported-twice');
    expect(await backlog.queued()).toBe(before + 2);
    // No Bull job of that id exists: finished (removed), so reconcile uncounts it.
    expect(await backlog.reconcile()).toBe(1);
    expect(await backlog.queued()).toBe(before);
  });
});
