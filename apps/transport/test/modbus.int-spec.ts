import { getQueueToken } from '@nestjs/bull';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Queue } from 'bull';
import request from 'supertest';
import type { DataSource } from 'typeorm';
import { QueueName, type IngestJob } from '@gridwatch/contracts';
import {
  ConfigModule,
  DatabaseModule,
  RedisModule,
  type GatewayEntity,
  type MeterEntity,
} from '@gridwatch/server';
import { MetricsModule } from '../src/metrics/metrics.module';
import { ModbusModule } from '../src/modbus/modbus.module';
import { ModbusPollerService } from '../src/modbus/modbus-poller.service';
import { ModbusFixtures } from './support/modbus-fixtures';
import { freePort, ModbusTestServer, SilentDevice } from './support/modbus-test-server';

/*
 * The Modbus poller against real Modbus TCP devices (modbus-serial's ServerTCP on loopback),
 * PostgreSQL and Redis. Readings end at the ingest queue, as for REST: "ingested" is asserted as
 * the ingest_batches row and the Bull job in this run's own queue, where no processor takes it.
 * The tests drive the poller themselves (reload, tick, pollNow); each retires its gateways after.
 */

const TIMEOUT_MS = 500;
const ENV = {
  MODBUS_POLLER_ENABLED: 'false',
  MODBUS_TIMEOUT_MS: String(TIMEOUT_MS),
  MODBUS_RETRIES: '3',
  MODBUS_RETRY_BACKOFF_MS: '20',
  MODBUS_BREAKER_THRESHOLD: '5',
  MODBUS_BREAKER_COOLDOWN_SECONDS: '3',
  MODBUS_MIN_INTERVAL_SECONDS: '1',
  MODBUS_ALLOWED_NETWORKS: '127.0.0.0/8',
  TRANSPORT_INSTANCE_ID: `modbus-test-${process.pid}`,
};

jest.setTimeout(120_000);

describe('Modbus TCP poller', () => {
  let app: INestApplication;
  let db: DataSource;
  let queue: Queue<IngestJob>;
  let poller: ModbusPollerService;
  let fixtures: ModbusFixtures;
  const closers: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    const saved = { ...process.env };
    Object.assign(process.env, ENV);
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigModule, DatabaseModule, RedisModule, MetricsModule, ModbusModule],
    })
      .compile()
      .finally(() => {
        process.env = saved;
      });
    app = moduleRef.createNestApplication({ logger: ['error'] });
    await app.init();
    db = app.get<DataSource>(getDataSourceToken());
    queue = app.get<Queue<IngestJob>>(getQueueToken(QueueName.Ingest));
    poller = app.get(ModbusPollerService);
    fixtures = new ModbusFixtures(db);
  });

  afterEach(async () => {
    await fixtures.retire();
    for (const close of closers.splice(0)) await close();
  });

  afterAll(async () => {
    await app?.close();
  });

  async function device(port?: number): Promise<ModbusTestServer> {
    const server = await ModbusTestServer.start(port);
    closers.push(() => server.close());
    return server;
  }

  async function jobsOf(gateway: GatewayEntity): Promise<IngestJob[]> {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'paused']);
    return jobs.filter((job) => job?.data.gatewayId === gateway.id).map((job) => job.data);
  }

  function valuesOf(job: IngestJob, meter: MeterEntity): Record<string, number> {
    return Object.fromEntries(
      job.readings.filter((reading) => reading.m === meter.id).map((r) => [r.p, r.v]),
    );
  }

  async function gatewayRow(gateway: GatewayEntity) {
    const [row] = (await db.query('SELECT status, last_seen_at FROM gateways WHERE id = $1', [
      gateway.id,
    ])) as Array<{ status: string; last_seen_at: Date | null }>;
    return row;
  }

  async function issuesOf(gateway: GatewayEntity) {
    return (await db.query(
      `SELECT meter_id, kind, message, details, resolved_at FROM data_quality_issues
       WHERE gateway_id = $1 ORDER BY detected_at`,
      [gateway.id],
    )) as Array<{
      meter_id: string | null;
      kind: string;
      message: string;
      details: Record<string, unknown>;
      resolved_at: Date | null;
    }>;
  }

  async function eventsOf(gateway: GatewayEntity): Promise<string[]> {
    const rows = (await db.query(
      `SELECT type FROM events WHERE subject_id = $1 ORDER BY occurred_at, id`,
      [gateway.id],
    )) as Array<{ type: string }>;
    return rows.map((row) => row.type);
  }

  it('decodes known values in both word orders and enqueues them as a modbus batch, one coalesced request per meter', async () => {
    const server = await device();
    const site = await fixtures.site();
    const gateway = await fixtures.gateway(site, server.port);
    // Eastron SDM630: float32, high word first, input registers.
    const sdm = await fixtures.meter(gateway, 1, 'eastron_sdm630');
    server
      .set(1, 4, 0x2a, 230.5, 'float32')
      .set(1, 4, 0x30, 12.25, 'float32')
      .set(1, 4, 0x34, 2812.5, 'float32')
      .set(1, 4, 0x3e, 0.875, 'float32')
      .set(1, 4, 0x46, 50.25, 'float32')
      .set(1, 4, 0x48, 98765.25, 'float32');
    // A custom map: float32 with the low word first, holding registers, power in kW.
    const custom = await fixtures.meter(gateway, 7, {
      functionCode: 3,
      wordOrder: 'little',
      registers: [
        { parameter: 'power_w', address: 100, type: 'float32', unit: 'kW' },
        { parameter: 'voltage_v', address: 102, type: 'float32' },
        { parameter: 'energy_kwh', address: 200, type: 'float64', unit: 'Wh' },
      ],
    });
    server
      .set(7, 3, 100, 1.5, 'float32', 'little')
      .set(7, 3, 102, 229.75, 'float32', 'little')
      .set(7, 3, 200, 4_321_000.5, 'float64', 'little');
    // Carlo Gavazzi EM24: INT32 least significant word first, with weights.
    const em24 = await fixtures.meter(gateway, 3, 'carlo_gavazzi_em24');
    server
      .set(3, 3, 0x24, 2314, 'int32', 'little')
      .set(3, 3, 0x28, 123_456, 'int32', 'little')
      .set(3, 3, 0x31, 962, 'int16')
      .set(3, 3, 0x33, 499, 'uint16')
      .set(3, 3, 0x34, 77_001, 'int32', 'little');
    await poller.reload();

    const outcome = await poller.pollNow(gateway.id);

    expect(outcome.failures).toEqual([]);
    expect(server.requests).toEqual([
      { unitId: 1, functionCode: 4, address: 0x2a, count: 32 },
      { unitId: 3, functionCode: 3, address: 0x24, count: 18 },
      { unitId: 7, functionCode: 3, address: 100, count: 4 },
      { unitId: 7, functionCode: 3, address: 200, count: 4 },
    ]);
    const [job] = await jobsOf(gateway);
    expect(job.source).toBe('modbus');
    expect(valuesOf(job, sdm)).toEqual({
      voltage_v: 230.5,
      current_a: 12.25,
      power_w: 2812.5,
      power_factor: 0.875,
      frequency_hz: 50.25,
      energy_kwh: 98765.25,
    });
    expect(valuesOf(job, custom)).toEqual({
      power_w: 1500,
      voltage_v: 229.75,
      energy_kwh: 4321.0005,
    });
    expect(valuesOf(job, em24)).toEqual({
      voltage_v: 231.4,
      power_w: 12345.6,
      power_factor: 0.962,
      frequency_hz: 49.9,
      energy_kwh: 7700.1,
    });
    const [batch] = (await db.query(
      `SELECT source, status, accepted, rejected FROM ingest_batches WHERE gateway_id = $1`,
      [gateway.id],
    )) as Array<Record<string, unknown>>;
    expect(batch).toEqual({ source: 'modbus', status: 'queued', accepted: 14, rejected: 0 });
    expect(await gatewayRow(gateway)).toMatchObject({
      status: 'online',
      last_seen_at: expect.any(Date),
    });
    expect(await eventsOf(gateway)).toEqual(['device.online']);
  });

  it('holds polled readings while the ingest queue is down and enqueues them once it is back', async () => {
    const server = await device();
    const site = await fixtures.site();
    const gateway = await fixtures.gateway(site, server.port);
    await fixtures.meter(gateway, 1, 'eastron_sdm630');
    server.set(1, 4, 0x2a, 230.5, 'float32');
    await poller.reload();
    const add = jest
      .spyOn(queue, 'add')
      .mockRejectedValueOnce(new Error('Connection is closed.'))
      .mockRejectedValueOnce(new Error('Connection is closed.'));

    try {
      await poller.pollNow(gateway.id); // the queue refuses: held, retried after 1 s (refused), 2 s
      expect(poller.readingsBuffered).toBe(6);
      expect(await jobsOf(gateway)).toEqual([]);

      // The job is visible in Redis a moment before the buffer lets go of the batch.
      const jobs = await waitFor(async () => {
        const found = await jobsOf(gateway);
        return found.length > 0 && poller.readingsBuffered === 0 ? found : undefined;
      }, 10_000);
      expect(jobs).toHaveLength(1);
      expect(jobs[0].readings).toHaveLength(6);
      expect(add).toHaveBeenCalledTimes(3);
    } finally {
      add.mockRestore();
    }
    expect(poller.readingsBuffered).toBe(0);
  });

  it('times out on a device that never answers, records a communication_error, and does not delay a gateway polled on the same tick', async () => {
    const silent = await SilentDevice.start();
    closers.push(() => silent.close());
    const server = await device();
    const site = await fixtures.site();
    const dead = await fixtures.gateway(site, silent.port);
    const deadMeter = await fixtures.meter(dead, 1, 'eastron_sdm630');
    const alive = await fixtures.gateway(site, server.port);
    await fixtures.meter(alive, 1, 'eastron_sdm630');
    server.set(1, 4, 0x34, 1000, 'float32');
    await poller.reload();

    const started = Date.now();
    const polls = poller.tick();
    expect(polls).toHaveLength(2);
    const aliveJobs = await waitFor(async () => {
      const jobs = await jobsOf(alive);
      return jobs.length > 0 ? jobs : undefined;
    }, 5000);
    const aliveMs = Date.now() - started;
    await Promise.all(polls);
    const deadMs = Date.now() - started;

    expect(aliveJobs).toHaveLength(1);
    // Three tries of 500 ms each for the dead gateway; the live one did not wait for them.
    expect(deadMs).toBeGreaterThanOrEqual(3 * TIMEOUT_MS);
    expect(aliveMs).toBeLessThan(2 * TIMEOUT_MS);
    expect(silent.received).toBe(3);
    expect(await issuesOf(dead)).toEqual([
      {
        meter_id: deadMeter.id,
        kind: 'communication_error',
        message: expect.stringContaining('unit 1'),
        details: expect.objectContaining({ failure: 'timeout', count: 1, unitId: 1 }),
        resolved_at: null,
      },
    ]);
    expect(await issuesOf(alive)).toEqual([]);
    expect(await gatewayRow(dead)).toMatchObject({ status: 'degraded' });
    expect(await gatewayRow(alive)).toMatchObject({ status: 'online' });

    await poller.pollNow(dead.id);
    const [issue] = await issuesOf(dead);
    expect(issue.details).toMatchObject({ count: 2 });
    expect(await waitFor(async () => (silent.openSockets === 0 ? true : undefined), 2000)).toBe(
      true,
    );
  });

  it('opens the breaker after 5 failed polls (offline), skips polls while open, and closes when the gateway answers', async () => {
    const port = await freePort();
    const site = await fixtures.site();
    const gateway = await fixtures.gateway(site, port, { pollIntervalSeconds: 1 });
    const meter = await fixtures.meter(gateway, 1, 'eastron_sdm630');
    await poller.reload();

    const statuses: string[] = [];
    for (let poll = 0; poll < 5; poll += 1) {
      await poller.pollNow(gateway.id);
      statuses.push((await gatewayRow(gateway)).status);
    }
    expect(statuses).toEqual(['degraded', 'degraded', 'degraded', 'degraded', 'offline']);
    const view = () => poller.views().find((entry) => entry.gatewayId === gateway.id);
    expect(view()).toMatchObject({ breaker: 'open', consecutiveFailures: 5 });
    expect(await issuesOf(gateway)).toEqual([
      expect.objectContaining({
        meter_id: null,
        message: 'gateway unreachable', // not the address nor the OS error
        details: expect.objectContaining({ failure: 'connect', count: 5 }),
        resolved_at: null,
      }),
    ]);
    const flips = (await db.query(
      `SELECT type, data FROM events WHERE subject_id = $1 ORDER BY occurred_at, id`,
      [gateway.id],
    )) as Array<{ type: string; data: Record<string, unknown> }>;
    expect(flips.map((flip) => [flip.type, flip.data['reason']])).toEqual([
      ['device.status_changed', 'gateway unreachable'],
      ['device.offline', 'gateway unreachable'],
    ]);
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toContain(
      `gridwatch_modbus_breaker_state{gateway="${gateway.serialNumber}"} 2`,
    );
    expect(metrics.text).toMatch(
      new RegExp(
        `gridwatch_modbus_polls_total\\{gateway="${gateway.serialNumber}",result="failed"\\} 5`,
      ),
    );

    // Due by its 1 s interval, but the 3 s cool-down holds it back.
    expect(poller.tick(Date.now() + 1500)).toEqual([]);

    const server = await device(port);
    server.set(1, 4, 0x34, 1234.5, 'float32');
    const trial = poller.tick(Date.now() + 3100);
    expect(trial).toHaveLength(1);
    await Promise.all(trial);

    expect(view()).toMatchObject({ breaker: 'closed', consecutiveFailures: 0 });
    expect(await gatewayRow(gateway)).toMatchObject({ status: 'online' });
    expect(await eventsOf(gateway)).toEqual([
      'device.status_changed',
      'device.offline',
      'device.online',
    ]);
    expect((await issuesOf(gateway)).map((issue) => issue.resolved_at)).toEqual([expect.any(Date)]);
    const [job] = await jobsOf(gateway);
    expect(valuesOf(job, meter)).toMatchObject({ power_w: 1234.5 });
    const health = await request(app.getHttpServer()).get('/health/modbus').expect(200);
    expect(health.body.gateways).toContainEqual(
      expect.objectContaining({ serialNumber: gateway.serialNumber, breaker: 'closed' }),
    );
  });

  it('leaves no socket open after 1,000 poll cycles', async () => {
    const server = await device();
    const site = await fixtures.site();
    // A day's interval: on a loaded machine the 1,010 polls outlast a short one, and a scheduled
    // poll in between would add a request this test does not count.
    const gateway = await fixtures.gateway(site, server.port, { pollIntervalSeconds: 86400 });
    await fixtures.meter(gateway, 1, 'eastron_sdm630');
    server.set(1, 4, 0x34, 500, 'float32');
    await poller.reload();
    const sockets = () =>
      process.getActiveResourcesInfo().filter((resource) => resource === 'TCPSocketWrap').length;
    // Warm up first: the database pool and Bull's Redis clients open their sockets lazily.
    for (let cycle = 0; cycle < 10; cycle += 1) await poller.pollNow(gateway.id);
    await waitFor(async () => (server.openSockets === 0 ? true : undefined), 5000);
    const before = sockets();

    for (let cycle = 0; cycle < 1000; cycle += 1) {
      const outcome = await poller.pollNow(gateway.id);
      if (outcome.failures.length > 0) throw new Error(outcome.failures[0].message);
    }

    expect(server.requests).toHaveLength(1010);
    await waitFor(async () => (server.openSockets === 0 ? true : undefined), 5000);
    expect(server.openSockets).toBe(0);
    expect(sockets()).toBeLessThanOrEqual(before);
    const metrics = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(metrics.text).toMatch(/^gridwatch_modbus_open_connections 0$/m);
  });

  it('applies a new gateway, a changed interval and a removed gateway at the next reload', async () => {
    const site = await fixtures.site();
    await poller.reload();
    const gateway = await fixtures.gateway(site, 1502, { pollIntervalSeconds: 900 });
    const view = () => poller.views().find((entry) => entry.gatewayId === gateway.id);
    expect(view()).toBeUndefined();

    await poller.reload();
    expect(view()).toMatchObject({ intervalSeconds: 900 });

    await db.query('UPDATE gateways SET poll_interval_seconds = 30 WHERE id = $1', [gateway.id]);
    await poller.reload();
    expect(view()).toMatchObject({ intervalSeconds: 30 });

    await fixtures.retire();
    await poller.reload();
    expect(view()).toBeUndefined();
  });

  it('never connects to a host outside MODBUS_ALLOWED_NETWORKS, and reports meters it cannot poll', async () => {
    const site = await fixtures.site();
    const outside = await fixtures.gateway(site, 502, { host: '10.99.0.1' });
    await fixtures.meter(outside, 1, 'eastron_sdm630');
    const server = await device();
    const gateway = await fixtures.gateway(site, server.port);
    const good = await fixtures.meter(gateway, 1, 'eastron_sdm630');
    server.set(1, 4, 0x34, 100, 'float32');
    const broken = await fixtures.meter(gateway, 2, { registers: [{ parameter: 'power_w' }] });
    await poller.reload();

    const refused = await poller.pollNow(outside.id);
    const polled = await poller.pollNow(gateway.id);

    expect(refused.failures).toEqual([
      expect.objectContaining({ kind: 'refused', internal: expect.stringContaining('10.99.0.1') }),
    ]);
    // What the tenant reads (issue, status event) names neither the address nor the rule.
    const [issue] = await issuesOf(outside);
    expect(issue).toMatchObject({ meter_id: null, message: 'host not allowed: not polled' });
    expect(JSON.stringify(issue)).not.toMatch(/10\.99|MODBUS_ALLOWED_NETWORKS/);
    expect(polled.readMeterIds).toEqual([good.id]);
    expect(await issuesOf(gateway)).toEqual([
      expect.objectContaining({
        meter_id: broken.id,
        message: expect.stringContaining('register map is invalid'),
      }),
    ]);
    expect(await gatewayRow(gateway)).toMatchObject({ status: 'online' });
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
