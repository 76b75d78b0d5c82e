import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bull';
import type { Queue } from 'bull';
import {
  DomainEvent,
  QueueName,
  type IngestJob,
  type QueuedReading,
  type ReadingsStoredEvent,
} from '@gridwatch/contracts';
import {
  IngestBatchEntity,
  type GatewayEntity,
  type MeterEntity,
  type OrganizationEntity,
  type SiteEntity,
} from '@gridwatch/server';
import { DomainEvents } from '../src/modules/domain-events/domain-events';
import { LivenessService } from '../src/modules/ingest/liveness.service';
import { ReadingsRepository } from '../src/modules/readings/readings.repository';
import type { DeviceKeys, TestUser } from './support/factory';
import { createTestApp, TestApp } from './support/test-app';
import { waitFor } from './support/wait';

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe('REST ingest', () => {
  let t: TestApp;
  let org: OrganizationEntity;
  let site: SiteEntity;
  let gateway: GatewayEntity;
  let meter: MeterEntity;
  let keys: DeviceKeys;
  let viewer: TestUser;

  beforeAll(async () => {
    t = await createTestApp();
    org = await t.factory.organization();
    site = await t.factory.site(org);
    gateway = await t.factory.gateway(site);
    meter = await t.factory.meter(site, gateway);
    keys = await t.factory.credential(gateway);
    viewer = await t.factory.user(org, 'viewer');
  });
  afterAll(() => t.close());

  function batch(readings: object[], timestamp = minutesAgo(1)) {
    return { gateway_serial: gateway.serialNumber, timestamp, readings };
  }

  function send(body: object, headers: Record<string, string> = keys.headers()) {
    return t.http.post('/api/v1/readings/ingest').set(headers).send(body);
  }

  async function processed(batchId: string) {
    return waitFor(
      async () => {
        const response = await t.http
          .get(`/api/v1/ingest/batches/${batchId}`)
          .set('Authorization', viewer.auth);
        return response.body.status === 'processed' ? response.body : undefined;
      },
      15000,
      `batch ${batchId}`,
    );
  }

  it('the same batch sent twice is stored once, and the repeat is counted as duplicates', async () => {
    const body = batch([
      {
        meter_id: meter.id,
        parameter: 'power_w',
        value: 1200,
        unit: 'W',
        timestamp: minutesAgo(10),
      },
      {
        meter_id: meter.id,
        parameter: 'energy_kwh',
        value: 15000,
        unit: 'Wh',
        timestamp: minutesAgo(10),
      },
    ]);
    const first = await send(body).expect(202);
    expect(first.body).toEqual({ batch_id: expect.any(String), accepted: 2, rejected: [] });
    expect(await processed(first.body.batch_id)).toMatchObject({ processed: 2, duplicates: 0 });
    const second = await send(body).expect(202);
    expect(await processed(second.body.batch_id)).toMatchObject({ processed: 0, duplicates: 2 });

    const rows = await t.db.query(
      `SELECT parameter, value, unit, source FROM readings WHERE meter_id = $1 AND ts = $2 ORDER BY parameter`,
      [meter.id, body.readings[0] && (body.readings[0] as { timestamp: string }).timestamp],
    );
    expect(rows).toEqual([
      { parameter: 'energy_kwh', value: 15, unit: 'kWh', source: 'http' },
      { parameter: 'power_w', value: 1200, unit: 'W', source: 'http' },
    ]);
  });

  it('accepts the valid part of a batch and lists each rejected item with its code', async () => {
    const otherOrg = await t.factory.organization();
    const foreignMeter = await t.factory.meter(await t.factory.site(otherOrg));
    const retired = await t.factory.meter(await t.factory.site(org), gateway, 'heater', {
      status: 'decommissioned',
    });
    const response = await send(
      batch([
        { meter_id: meter.id, parameter: 'voltage_v', value: 231.2, unit: 'V' },
        { meter_id: foreignMeter.id, parameter: 'power_w', value: 1, unit: 'W' },
        { meter_id: randomUUID(), parameter: 'power_w', value: 1, unit: 'W' },
        { meter_id: retired.id, parameter: 'power_w', value: 1, unit: 'W' },
        { meter_id: meter.id, parameter: 'humidity', value: 1 },
        { meter_id: meter.id, parameter: 'power_w', value: 'NaN', unit: 'W' },
        { meter_id: meter.id, parameter: 'power_w', value: null, unit: 'W' },
        { meter_id: meter.id, parameter: 'power_w', value: 5, unit: 'furlongs' },
        {
          meter_id: meter.id,
          parameter: 'power_w',
          value: 5,
          unit: 'W',
          timestamp: '2026-11-23T10:00:00',
        },
        {
          meter_id: meter.id,
          parameter: 'power_w',
          value: 5,
          unit: 'W',
          timestamp: new Date(Date.now() + 3600_000).toISOString(),
        },
        {
          meter_id: meter.id,
          parameter: 'power_w',
          value: 5,
          unit: 'W',
          timestamp: minutesAgo(8 * 24 * 60),
        },
        // Finite as sent, Infinity once converted to W: refused now, not lost after 202.
        { meter_id: meter.id, parameter: 'power_w', value: 1.7e308, unit: 'kW' },
      ]),
    ).expect(202);
    expect(response.body.accepted).toBe(1);
    expect(
      response.body.rejected.map((r: { index: number; error: string }) => [r.index, r.error]),
    ).toEqual([
      [1, 'unknown_meter'],
      [2, 'unknown_meter'],
      [3, 'meter_decommissioned'],
      [4, 'unknown_parameter'],
      [5, 'invalid_value'],
      [6, 'invalid_value'],
      [7, 'unknown_unit'],
      [8, 'invalid_timestamp'],
      [9, 'timestamp_in_future'],
      [10, 'timestamp_too_old'],
      [11, 'invalid_value'],
    ]);
    for (const rejection of response.body.rejected)
      expect(rejection.message).toEqual(expect.any(String));
  });

  it('stores an out-of-range value as questionable and opens a data quality issue', async () => {
    const response = await send(
      batch([
        {
          meter_id: meter.id,
          parameter: 'frequency_hz',
          value: 99,
          unit: 'Hz',
          timestamp: minutesAgo(3),
        },
      ]),
    ).expect(202);
    await processed(response.body.batch_id);
    const [row] = await t.db.query(
      `SELECT quality FROM readings WHERE meter_id = $1 AND parameter = 'frequency_hz'`,
      [meter.id],
    );
    expect(row).toEqual({ quality: 'questionable' });
    const issues = await t.db.query(
      `SELECT kind, parameter FROM data_quality_issues WHERE meter_id = $1 AND resolved_at IS NULL`,
      [meter.id],
    );
    expect(issues).toEqual([{ kind: 'out_of_range', parameter: 'frequency_hz' }]);
  });

  it.each([
    ['not an object', [1, 2], 'invalid_payload', 400],
    ['no readings array', { gateway_serial: 'x', timestamp: minutesAgo(1) }, null, 400],
    ['an empty batch', { readings: [] }, 'empty_batch', 400],
  ])('refuses %s as a whole with a code', async (_name, body, code, status) => {
    const payload = Array.isArray(body)
      ? body
      : { gateway_serial: gateway.serialNumber, timestamp: minutesAgo(1), ...body };
    const response = await t.http
      .post('/api/v1/readings/ingest')
      .set(keys.headers())
      .send(payload)
      .expect(status);
    if (code) expect(response.body.error).toBe(code);
    expect(response.body.message).toEqual(expect.any(String));
  });

  it('refuses more than 5,000 readings with 413 and a body over 2 MiB with 413', async () => {
    const many = Array.from({ length: 5001 }, (_, i) => ({
      meter_id: meter.id,
      parameter: 'power_w',
      value: i,
      timestamp: new Date(Date.now() - 60_000 - i * 1000).toISOString(),
    }));
    const tooMany = await send(batch(many)).expect(413);
    expect(tooMany.body.error).toBe('too_many_readings');
    const huge = await send(
      batch([{ meter_id: meter.id, parameter: 'power_w', value: 1, pad: 'x'.repeat(2_200_000) }]),
    ).expect(413);
    expect(huge.body.error).toBe('payload_too_large');
  });

  it('a batch where nothing is valid is a 400 listing every rejection', async () => {
    const response = await send(
      batch([{ meter_id: randomUUID(), parameter: 'power_w', value: 1 }]),
    ).expect(400);
    expect(response.body).toMatchObject({
      error: 'no_readings_accepted',
      details: { rejected: [{ index: 0, error: 'unknown_meter' }] },
    });
  });

  describe('device authentication', () => {
    const body = () =>
      JSON.stringify(
        batch([{ meter_id: meter.id, parameter: 'power_w', value: 42, timestamp: minutesAgo(2) }]),
      );

    it('accepts a valid HMAC signature once and refuses its replay', async () => {
      const raw = body();
      const headers = keys.signed(raw);
      await t.http.post('/api/v1/readings/ingest').set(headers).send(raw).expect(202);
      const replay = await t.http
        .post('/api/v1/readings/ingest')
        .set(headers)
        .send(raw)
        .expect(401);
      expect(replay.body.error).toBe('replayed');
    });

    it('refuses a stale timestamp and a signature over a different body', async () => {
      const raw = body();
      const stale = await t.http
        .post('/api/v1/readings/ingest')
        .set(keys.signed(raw, Math.floor(Date.now() / 1000) - 301))
        .send(raw)
        .expect(401);
      expect(stale.body.error).toBe('stale_timestamp');
      const tampered = await t.http
        .post('/api/v1/readings/ingest')
        .set(keys.signed(raw))
        .send(raw.replace('42', '43'))
        .expect(401);
      expect(tampered.body.error).toBe('invalid_device_credentials');
    });

    it('refuses a wrong secret and logs one aggregated ingest.rejected_auth event', async () => {
      const headers = { 'X-Device-ID': gateway.serialNumber, 'X-Device-Secret': 'wrong-secret' };
      for (let i = 0; i < 3; i++) {
        const response = await send(JSON.parse(body()), headers).expect(401);
        expect(response.body.error).toBe('invalid_device_credentials');
      }
      const events = await t.db.query(
        `SELECT type, data FROM events WHERE organization_id = $1 AND type = 'ingest.rejected_auth' AND actor_id = $2
         AND data->>'reason' = 'invalid_device_credentials'`,
        [org.id, gateway.serialNumber],
      );
      expect(events).toEqual([
        { type: 'ingest.rejected_auth', data: { reason: 'invalid_device_credentials' } },
      ]);
    });

    it('refuses a request without device credentials', async () => {
      const response = await t.http
        .post('/api/v1/readings/ingest')
        .send(JSON.parse(body()))
        .expect(401);
      expect(response.body.error).toBe('missing_device_credentials');
    });

    it('refuses a gateway reporting for a meter behind another gateway', async () => {
      const site = await t.factory.site(org);
      const otherGateway = await t.factory.gateway(site);
      const otherMeter = await t.factory.meter(site, otherGateway);
      const response = await send(
        batch([{ meter_id: otherMeter.id, parameter: 'power_w', value: 1 }]),
      ).expect(400);
      expect(response.body.details.rejected[0].error).toBe('unknown_meter');
    });

    it('refuses a gateway writing to direct meters of its organization, on its site or another, as it refuses a foreign meter', async () => {
      const direct = await t.factory.meter(site, null, 'heater');
      const directElsewhere = await t.factory.meter(await t.factory.site(org), null, 'ups');
      const otherOrg = await t.factory.organization();
      const foreign = await t.factory.meter(
        await t.factory.site(otherOrg),
        await t.factory.gateway(await t.factory.site(otherOrg)),
      );
      const targets = [direct, directElsewhere, foreign];
      const response = await send(
        batch(targets.map((target) => ({ meter_id: target.id, parameter: 'power_w', value: 1 }))),
      ).expect(400);
      const rejected = response.body.details.rejected as Array<{ error: string; message: string }>;
      expect(
        rejected.map((item, index) => ({
          ...item,
          message: item.message.replace(targets[index]?.id ?? '', 'ID'),
        })),
      ).toEqual(
        targets.map((_, index) => ({
          index,
          error: 'unknown_meter',
          message: 'meter ID is not known to this gateway',
        })),
      );
      const [stored] = await t.db.query(
        'SELECT count(*)::int AS n FROM readings WHERE meter_id = ANY($1::uuid[])',
        [targets.map((target) => target.id)],
      );
      expect(stored.n).toBe(0);
    });
  });

  it('a direct device sample stores current, voltage and derived power', async () => {
    const site = await t.factory.site(org);
    const device = await t.factory.meter(site, null, 'heater');
    const deviceKeys = await t.factory.credential(device);
    const ts = minutesAgo(1);
    const response = await t.http
      .post('/api/v1/ingest')
      .set(deviceKeys.headers())
      .send({ ts, current: 4.5, voltage: 230, attributes: { fw: '1.2' } })
      .expect(202);
    expect(response.body.accepted).toBe(3);
    await processed(response.body.batch_id);
    const rows = await t.db.query(
      `SELECT parameter, value FROM readings WHERE meter_id = $1 ORDER BY parameter`,
      [device.id],
    );
    expect(rows).toEqual([
      { parameter: 'current_a', value: 4.5 },
      { parameter: 'power_w', value: 1035 },
      { parameter: 'voltage_v', value: 230 },
    ]);
  });

  it('a ping keeps the connection details and marks the gateway online', async () => {
    const response = await t.http
      .post('/api/v1/gateway/ping')
      .set(keys.headers())
      .send({
        gateway_serial: gateway.serialNumber,
        ip_address: '10.1.2.3',
        signal_strength: -71,
        sim_iccid: '8944',
      })
      .expect(200);
    expect(response.body).toMatchObject({ status: 'ok', server_time: expect.any(String) });
    const [row] = await t.db.query(
      `SELECT status, last_seen_at, connection FROM gateways WHERE id = $1`,
      [gateway.id],
    );
    expect(row.status).toBe('online');
    expect(row.connection).toMatchObject({
      ip_address: '10.1.2.3',
      signal_strength: -71,
      sim_iccid: '8944',
    });
  });

  it('the offline sweeper flips a silent meter offline and traffic brings it back, each with an event', async () => {
    const site = await t.factory.site(org);
    const quiet = await t.factory.meter(site, gateway, 'lighting', {
      status: 'online',
      heartbeatIntervalSeconds: 60,
      lastSeenAt: new Date(Date.now() - 5 * 60_000),
    });
    const flipped = await t.app.get(LivenessService).sweep();
    expect(flipped).toBeGreaterThanOrEqual(1);
    const [offline] = await t.db.query('SELECT status FROM meters WHERE id = $1', [quiet.id]);
    expect(offline.status).toBe('offline');

    const response = await send(
      batch([{ meter_id: quiet.id, parameter: 'power_w', value: 10 }]),
    ).expect(202);
    await processed(response.body.batch_id);
    // Liveness listens to readings.stored, which is emitted after the store has committed (and
    // the batch shows processed): a moment after.
    const online = await waitFor(async () => {
      const [row] = await t.db.query('SELECT status FROM meters WHERE id = $1', [quiet.id]);
      return row.status === 'online' ? row : undefined;
    }, 10_000);
    expect(online.status).toBe('online');
    // The audit trail is written by a listener of the status change, a moment after the status.
    const types = await waitFor(async () => {
      const events = (await t.db.query(
        `SELECT type FROM events WHERE subject_id = $1 ORDER BY occurred_at`,
        [quiet.id],
      )) as Array<{ type: string }>;
      return events.length >= 2 ? events.map((event) => event.type) : undefined;
    }, 10_000);
    expect(types).toEqual(['device.offline', 'device.online']);
  });
});

describe('the readings.stored event', () => {
  it('carries only the new readings of a job, once; a failing listener fails neither the job nor the other listeners', async () => {
    // A queue of its own: the jobs are handled by this app, whose events the test listens to.
    const t = await createTestApp({ QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_events` });
    try {
      const org = await t.factory.organization();
      const site = await t.factory.site(org);
      const gateway = await t.factory.gateway(site);
      const meter = await t.factory.meter(site, gateway, 'main', { status: 'offline' });
      const keys = await t.factory.credential(gateway);
      const viewer = await t.factory.user(org, 'viewer');
      const events = t.app.get(DomainEvents);
      const seen: ReadingsStoredEvent[] = [];
      events.on(DomainEvent.ReadingsStored, () => {
        throw new Error('a broken consumer');
      });
      events.on(DomainEvent.ReadingsStored, (event) => {
        if (event.organizationId === org.id) seen.push(event);
      });
      const first = {
        meter_id: meter.id,
        parameter: 'power_w',
        value: 1,
        timestamp: minutesAgo(3),
      };
      const second = { ...first, value: 2, timestamp: minutesAgo(2) };
      const post = async (readings: object[]) => {
        const response = await t.http
          .post('/api/v1/readings/ingest')
          .set(keys.headers())
          .send({ gateway_serial: gateway.serialNumber, timestamp: minutesAgo(1), readings })
          .expect(202);
        return waitFor(async () => {
          const batch = await t.http
            .get(`/api/v1/ingest/batches/${response.body.batch_id}`)
            .set('Authorization', viewer.auth);
          return batch.body.status === 'processed' ? batch.body : undefined;
        });
      };
      expect(await post([first])).toMatchObject({ processed: 1 });
      expect(await post([first, second])).toMatchObject({ processed: 1, duplicates: 1 });
      expect(await post([first, second])).toMatchObject({ processed: 0, duplicates: 2 });
      expect(seen.map((event) => event.readings.map((reading) => reading.v))).toEqual([[1], [2]]);
      expect(seen[1]).toMatchObject({
        organizationId: org.id,
        gatewayId: gateway.id,
        source: 'http',
        meters: [{ meterId: meter.id, newestTs: Date.parse(second.timestamp) }],
        readings: [{ m: meter.id, p: 'power_w', u: 'W', q: 'good' }],
      });
      // Liveness, another listener, still ran: the offline meter came back online.
      const [row] = await t.db.query('SELECT status FROM meters WHERE id = $1', [meter.id]);
      expect(row.status).toBe('online');
    } finally {
      await t.close();
    }
  });
});

describe('queue outage', () => {
  it('answers 503 and accepts nothing while the queue is down; the same signed retry is then accepted', async () => {
    const broken = await createTestApp();
    const healthy = await createTestApp();
    try {
      const org = await broken.factory.organization();
      const site = await broken.factory.site(org);
      const gateway = await broken.factory.gateway(site);
      const meter = await broken.factory.meter(site, gateway);
      const keys = await broken.factory.credential(gateway);
      const raw = JSON.stringify({
        gateway_serial: gateway.serialNumber,
        timestamp: new Date().toISOString(),
        readings: [
          { meter_id: meter.id, parameter: 'power_w', value: 5, timestamp: minutesAgo(1) },
        ],
      });
      const headers = keys.signed(raw);
      await broken.app.get<Queue>(getQueueToken(QueueName.Ingest)).close();
      const outage = await broken.http
        .post('/api/v1/readings/ingest')
        .set(headers)
        .send(raw)
        .expect(503);
      expect(outage.body.error).toBe('service_unavailable');
      const [batches] = await broken.db.query(
        'SELECT count(*)::int AS n FROM ingest_batches WHERE gateway_id = $1',
        [gateway.id],
      );
      expect(batches.n).toBe(0);

      await healthy.http.post('/api/v1/readings/ingest').set(headers).send(raw).expect(202);
    } finally {
      await healthy.close();
      await broken.close().catch(() => undefined);
    }
  });
});

describe('poison readings and poison jobs', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A queue of its own: no other test file's processor takes these jobs.
    t = await createTestApp({ QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_poison` });
  });
  afterAll(() => t.close());

  /** What the pipeline does after validation: a batch row, then the job on the queue. */
  async function enqueue(job: IngestJob): Promise<void> {
    await t.db.getRepository(IngestBatchEntity).insert({
      id: job.batchId,
      organizationId: job.organizationId,
      gatewayId: job.gatewayId,
      source: job.source,
      status: 'queued',
      accepted: job.readings.length,
    });
    await t.app
      .get<Queue<IngestJob>>(getQueueToken(QueueName.Ingest))
      .add(job, { jobId: job.batchId, attempts: 2, backoff: 20 });
  }

  it('a job holding readings the database refuses stores the others and parks the refused ones with their reason', async () => {
    const org = await t.factory.organization();
    const site = await t.factory.site(org);
    const gateway = await t.factory.gateway(site);
    const meter = await t.factory.meter(site, gateway);
    const viewer = await t.factory.user(org, 'viewer');
    const at = (minutes: number) => Date.now() - minutes * 60_000;
    const vanished = randomUUID();
    const readings: QueuedReading[] = [
      { m: meter.id, p: 'power_w', t: at(5), v: 100, u: 'W', q: 'good' },
      // Past validation somehow: NaN travels through the queue's JSON as null.
      { m: meter.id, p: 'power_w', t: at(4), v: Number.NaN, u: 'W', q: 'good' },
      { m: meter.id, p: 'voltage_v', t: at(4), v: 230, u: 'V', q: 'good' },
      { m: vanished, p: 'power_w', t: at(4), v: 5, u: 'W', q: 'good' },
      { m: meter.id, p: 'power_w', t: at(3), v: 300, u: 'W', q: 'good' },
    ];
    const batchId = randomUUID();
    await enqueue({
      batchId,
      organizationId: org.id,
      gatewayId: gateway.id,
      source: 'http',
      readings,
      outOfRange: [],
    });
    const batch = await waitFor(
      async () => {
        const response = await t.http
          .get(`/api/v1/ingest/batches/${batchId}`)
          .set('Authorization', viewer.auth)
          .expect(200);
        return response.body.status === 'queued' ? undefined : response.body;
      },
      15000,
      'the batch to be processed',
    );
    expect(batch).toMatchObject({ status: 'partial', processed: 3, duplicates: 0, failed: 2 });
    expect(
      batch.failures.map((f: { meterId: string; error: string }) => [f.meterId, f.error]),
    ).toEqual([
      [meter.id, 'invalid_value'],
      [vanished, 'unknown_meter'],
    ]);
    expect(batch.failures[0]).toMatchObject({
      parameter: 'power_w',
      ts: new Date(readings[1]?.t ?? 0).toISOString(),
      value: null,
      message: expect.stringContaining('null'),
    });
    const rows = await t.db.query(
      'SELECT parameter, value FROM readings WHERE meter_id = $1 ORDER BY ts, parameter',
      [meter.id],
    );
    expect(rows).toEqual([
      { parameter: 'power_w', value: 100 },
      { parameter: 'voltage_v', value: 230 },
      { parameter: 'power_w', value: 300 },
    ]);
    await t.app.get(ReadingsRepository).foldPending();
    const [rollup] = await t.db.query(
      `SELECT sum(count)::int AS n FROM reading_rollups_5m WHERE meter_id = $1 AND parameter = 'power_w'`,
      [meter.id],
    );
    expect(rollup.n).toBe(2);
    const failed = await t.app.get<Queue>(getQueueToken(QueueName.Ingest)).getFailed();
    expect(failed.map((job) => job.id)).not.toContain(batchId);
  });

  it('jobs stored as one group keep their own results and batches; a refused reading in one costs the others nothing', async () => {
    const org = await t.factory.organization();
    const site = await t.factory.site(org);
    const gateway = await t.factory.gateway(site);
    const meter = await t.factory.meter(site, gateway);
    const other = await t.factory.meter(site, gateway);
    const now = Date.now();
    const at = (minutes: number) => now - minutes * 60_000;
    const job = (readings: QueuedReading[]): IngestJob => ({
      batchId: randomUUID(),
      organizationId: org.id,
      gatewayId: gateway.id,
      source: 'http',
      readings,
      outOfRange: [],
    });
    const first = job([
      { m: meter.id, p: 'power_w', t: at(9), v: 1, u: 'W', q: 'good' },
      { m: meter.id, p: 'power_w', t: at(8), v: 2, u: 'W', q: 'good' },
    ]);
    // Repeats one reading of the first job and adds one of its own.
    const second = job([
      { m: meter.id, p: 'power_w', t: at(8), v: 2, u: 'W', q: 'good' },
      { m: other.id, p: 'power_w', t: at(8), v: 20, u: 'W', q: 'good' },
    ]);
    const poisoned = job([
      { m: other.id, p: 'power_w', t: at(7), v: 30, u: 'W', q: 'good' },
      // A meter deleted after validation: the database refuses the reading.
      { m: randomUUID(), p: 'power_w', t: at(6), v: 5, u: 'W', q: 'good' },
    ]);
    const clean = job([{ m: other.id, p: 'power_w', t: at(5), v: 40, u: 'W', q: 'good' }]);
    for (const each of [first, second, poisoned, clean]) {
      await t.db.getRepository(IngestBatchEntity).insert({
        id: each.batchId,
        organizationId: org.id,
        gatewayId: gateway.id,
        source: 'http',
        status: 'queued',
        accepted: each.readings.length,
      });
    }
    const repository = t.app.get(ReadingsRepository);
    const results = await repository.storeMany([first, second, poisoned, clean]);
    expect(
      results.map(({ inserted, duplicates, failed }) => [inserted, duplicates, failed.length]),
    ).toEqual([
      [2, 0, 0],
      [1, 1, 0],
      [1, 0, 1],
      [1, 0, 0],
    ]);
    expect(results[1].readings.map((reading) => reading.m)).toEqual([other.id]);
    const batches = await t.db.query(
      `SELECT id, status, processed, duplicates, failed FROM ingest_batches WHERE id = ANY($1::uuid[])`,
      [[first, second, poisoned, clean].map((each) => each.batchId)],
    );
    const byId = new Map(batches.map((batch: { id: string }) => [batch.id, batch]));
    expect([first, second, poisoned, clean].map((each) => byId.get(each.batchId))).toEqual([
      { id: first.batchId, status: 'processed', processed: 2, duplicates: 0, failed: 0 },
      { id: second.batchId, status: 'processed', processed: 1, duplicates: 1, failed: 0 },
      { id: poisoned.batchId, status: 'partial', processed: 1, duplicates: 0, failed: 1 },
      { id: clean.batchId, status: 'processed', processed: 1, duplicates: 0, failed: 0 },
    ]);
    const stored = await t.db.query(
      `SELECT batch_id FROM readings WHERE meter_id IN ($1, $2) ORDER BY ts, meter_id = $2`,
      [meter.id, other.id],
    );
    expect(stored.map((row: { batch_id: string }) => row.batch_id)).toEqual([
      first.batchId,
      first.batchId,
      second.batchId,
      poisoned.batchId,
      clean.batchId,
    ]);
    // A re-delivered job beside itself in one group: its readings are credited once.
    const twice = job([{ m: other.id, p: 'power_w', t: at(4), v: 50, u: 'W', q: 'good' }]);
    const pair = await repository.storeMany([twice, twice]);
    expect(pair.map(({ inserted, duplicates }) => [inserted, duplicates])).toEqual([
      [1, 0],
      [0, 1],
    ]);
    // Stored again, the whole group is duplicates and no batch changes.
    const again = await repository.storeMany([first, clean]);
    expect(again.map(({ inserted, duplicates }) => [inserted, duplicates])).toEqual([
      [0, 2],
      [0, 1],
    ]);
  });

  it('a job that fails for another reason than its data fails whole, is listed, and is stored once retried after the fix', async () => {
    const org = await t.factory.organization();
    const site = await t.factory.site(org);
    const gateway = await t.factory.gateway(site);
    const meter = await t.factory.meter(site, gateway);
    const owner = await t.factory.user(org, 'owner');
    const trigger = `refuse_${meter.id.replace(/-/g, '')}`;
    // Not a data error (SQLSTATE 57014, query canceled): isolating readings would not help.
    await t.db.query(`
      CREATE FUNCTION ${trigger}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.meter_id = '${meter.id}' THEN RAISE EXCEPTION 'storage outage' USING ERRCODE = '57014'; END IF;
        RETURN NEW;
      END $$`);
    await t.db.query(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON readings FOR EACH ROW EXECUTE FUNCTION ${trigger}()`,
    );
    const batchId = randomUUID();
    try {
      await enqueue({
        batchId,
        organizationId: org.id,
        gatewayId: gateway.id,
        source: 'http',
        readings: [{ m: meter.id, p: 'power_w', t: Date.now() - 60_000, v: 3, u: 'W', q: 'good' }],
        outOfRange: [],
      });
      const failed = await waitFor(
        async () => {
          const response = await t.http
            .get('/api/v1/ingest/failed')
            .set('Authorization', owner.auth)
            .expect(200);
          return response.body.length > 0 ? response.body : undefined;
        },
        20000,
        'the job to be parked',
      );
      expect(failed).toEqual([
        expect.objectContaining({
          id: batchId,
          batchId,
          readings: 1,
          attemptsMade: 2,
          failedReason: expect.stringContaining('storage outage'),
        }),
      ]);
      const batch = await t.http
        .get(`/api/v1/ingest/batches/${batchId}`)
        .set('Authorization', owner.auth)
        .expect(200);
      expect(batch.body).toMatchObject({ status: 'failed', failed: 1 });
    } finally {
      await t.db.query(`DROP TRIGGER ${trigger} ON readings`);
      await t.db.query(`DROP FUNCTION ${trigger}()`);
    }
    await t.http
      .post(`/api/v1/ingest/failed/${batchId}/retry`)
      .set('Authorization', owner.auth)
      .expect(204);
    const processed = await waitFor(
      async () => {
        const response = await t.http
          .get(`/api/v1/ingest/batches/${batchId}`)
          .set('Authorization', owner.auth);
        return response.body.status === 'processed' ? response.body : undefined;
      },
      20000,
      'the retried batch',
    );
    expect(processed).toMatchObject({ processed: 1, failed: 0, failures: [] });
    const stranger = await t.factory.user(await t.factory.organization(), 'owner');
    const foreign = await t.http
      .get('/api/v1/ingest/failed')
      .set('Authorization', stranger.auth)
      .expect(200);
    expect(foreign.body).toEqual([]);
  });
});

describe('durability', () => {
  it('jobs queued while no processor runs are all stored exactly once after a restart', async () => {
    const env = { QUEUE_PREFIX: `${process.env['QUEUE_PREFIX']}_dur` };
    const intake = await createTestApp({ ...env, PROCESS_MODE: 'api' });
    const org = await intake.factory.organization();
    const site = await intake.factory.site(org);
    const gateway = await intake.factory.gateway(site);
    const meter = await intake.factory.meter(site, gateway);
    const keys = await intake.factory.credential(gateway);
    const base = Date.now() - 3600_000;
    let accepted = 0;
    for (let b = 0; b < 5; b++) {
      const readings = Array.from({ length: 200 }, (_, i) => ({
        meter_id: meter.id,
        parameter: 'power_w',
        value: b * 1000 + i,
        timestamp: new Date(base + (b * 200 + i) * 1000).toISOString(),
      }));
      const response = await intake.http
        .post('/api/v1/readings/ingest')
        .set(keys.headers())
        .send({
          gateway_serial: gateway.serialNumber,
          timestamp: new Date().toISOString(),
          readings,
        })
        .expect(202);
      accepted += response.body.accepted;
    }
    // Asked while the intake is still open: nothing stored yet, every batch waiting in Redis.
    const [before] = await intake.db.query(
      'SELECT count(*)::int AS n FROM readings WHERE meter_id = $1',
      [meter.id],
    );
    expect(before.n).toBe(0);
    const waiting = await intake.app
      .get<Queue<IngestJob>>(getQueueToken(QueueName.Ingest))
      .getWaiting();
    expect(waiting.filter((job) => job.data.organizationId === org.id)).toHaveLength(5);
    await intake.close();

    const worker = await createTestApp(env);
    try {
      const stored = await waitFor(
        async () => {
          const [row] = await worker.db.query(
            'SELECT count(*)::int AS n FROM readings WHERE meter_id = $1',
            [meter.id],
          );
          return row.n >= accepted ? row.n : undefined;
        },
        20000,
        'all queued readings',
      );
      expect(stored).toBe(1000);
      const [distinct] = await worker.db.query(
        'SELECT count(DISTINCT ts)::int AS n FROM readings WHERE meter_id = $1',
        [meter.id],
      );
      expect(distinct.n).toBe(1000);
    } finally {
      await worker.close();
    }
  });
});
