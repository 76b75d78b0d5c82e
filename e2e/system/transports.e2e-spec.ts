import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { connectAsync, type MqttClient } from 'mqtt';
import { Client } from 'pg';
import { freePort } from '../support/api-server';
import { baseUrl, PARKED_MODBUS_HOST, systemUnderTest } from '../support/e2e-env';
import {
  demoGateway,
  metricLines,
  metricValue,
  ModbusSimulator,
  readDemoManifest,
  sign,
  unixSeconds,
  waitFor,
  type DemoManifest,
} from '../support/system';

/*
 * A reading sent over each transport ends up stored: the built transport (MQTT subscriber,
 * Modbus poller) and the built API (REST ingest, the queue's processor) run on the run's own
 * database and queue, and what is asserted is the `readings` table itself. The transport's own
 * integration tests stop at the queue, because the processor lives in the API.
 */

interface StoredReading {
  meter_id: string;
  parameter: string;
  ts: Date;
  value: number;
  source: string;
  batch_id: string | null;
  received_at: Date;
}

const system = systemUnderTest();
let manifest: DemoManifest;
let db: Client;

beforeAll(async () => {
  manifest = readDemoManifest(system.manifestPath);
  db = new Client({ connectionString: system.databaseUrl });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
});

async function gatewayId(serialNumber: string): Promise<string> {
  const { rows } = await db.query<{ id: string }>(
    'SELECT id FROM gateways WHERE serial_number = $1',
    [serialNumber],
  );
  return rows[0].id;
}

async function storedReadings(meterIds: string[], since = new Date(0)): Promise<StoredReading[]> {
  const { rows } = await db.query<StoredReading>(
    `SELECT meter_id, parameter, ts, value, source, batch_id, received_at FROM readings
     WHERE meter_id = ANY($1::uuid[]) AND ts >= $2 ORDER BY meter_id, parameter, ts`,
    [meterIds, since],
  );
  return rows;
}

/** For failure messages: what became of the gateway's batches, and the transport's counters. */
async function diagnosis(gateway: string, metricPrefix?: string): Promise<string> {
  const { rows } = await db.query(
    `SELECT source, status, accepted, rejected, processed, duplicates, failed, error
     FROM ingest_batches WHERE gateway_id = $1 ORDER BY received_at`,
    [gateway],
  );
  const metrics = metricPrefix
    ? await metricLines(`${system.transportUrl}/metrics`, metricPrefix)
    : [];
  return [`ingest_batches: ${JSON.stringify(rows)}`, ...metrics].join('\n');
}

/** A gateway batch as `POST /api/v1/readings/ingest` and the MQTT readings topic take it. */
function batchOf(
  serialNumber: string,
  at: Date,
  readings: Array<{ meter: string; parameter: string; value: number; unit: string }>,
): string {
  return JSON.stringify({
    gateway_serial: serialNumber,
    timestamp: at.toISOString(),
    readings: readings.map(({ meter, parameter, value, unit }) => ({
      meter_id: meter,
      parameter,
      value,
      unit,
      quality: 'good',
      timestamp: at.toISOString(),
    })),
  });
}

/** A whole second just gone: what a gateway would stamp a sample with. */
function sampleTime(): Date {
  return new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
}

describe('MQTT', () => {
  const serialNumber = 'GW-DEMO-MQTT-01';
  let device: MqttClient;

  beforeAll(async () => {
    device = await connectAsync(system.mqttUrl, {
      clientId: `gw-e2e-${randomBytes(4).toString('hex')}`,
      protocolVersion: 4, // MQTT 3.1.1: the signed envelope
      clean: true,
      connectTimeout: 10_000,
      reconnectPeriod: 0,
    });
  });

  afterAll(async () => {
    await device?.endAsync();
  });

  it('stores a signed batch published with QoS 1 exactly once, and a second copy adds nothing', async () => {
    const gateway = demoGateway(manifest, serialNumber);
    // Kitchen is left alone: the browser tests take it through maintenance and expect it offline.
    const meters = gateway.meters.filter((meter) => meter.name !== 'Kitchen').slice(0, 2);
    const at = sampleTime();
    const sent = meters.flatMap((meter, index) => [
      { meter: meter.id, parameter: 'power_w', value: 1200 + index, unit: 'W' },
      { meter: meter.id, parameter: 'energy_kwh', value: 4321.5 + index, unit: 'kWh' },
    ]);
    const body = batchOf(serialNumber, at, sent);
    const timestamp = unixSeconds();
    const payload = JSON.stringify({
      timestamp,
      signature: sign(gateway.secret, timestamp, body),
      body,
    });
    const topic = `gridwatch/gateways/${serialNumber}/readings`;
    const meterIds = meters.map((meter) => meter.id);

    const id = await gatewayId(serialNumber);
    const diagnose = () => diagnosis(id, 'gridwatch_mqtt_messages');

    await device.publishAsync(topic, payload, { qos: 1 });
    const stored = await waitFor(
      `${sent.length} MQTT readings in the readings table`,
      async () => {
        const rows = await storedReadings(meterIds);
        return rows.length >= sent.length ? rows : undefined;
      },
      { diagnose },
    );

    expect(stored).toHaveLength(sent.length);
    for (const reading of sent) {
      const row = stored.find(
        (candidate) =>
          candidate.meter_id === reading.meter && candidate.parameter === reading.parameter,
      );
      expect(row).toMatchObject({ value: reading.value, source: 'mqtt' });
      expect(row?.ts.getTime()).toBe(at.getTime());
    }
    // One message, one batch: every row came from the same enqueued job.
    expect(new Set(stored.map((row) => row.batch_id)).size).toBe(1);

    const metricsUrl = `${system.transportUrl}/metrics`;
    const duplicates = await metricValue(metricsUrl, 'gridwatch_mqtt_messages_duplicate_total');
    await device.publishAsync(topic, payload, { qos: 1 });
    await waitFor(
      'the transport to take the second copy as a duplicate',
      async () => {
        const now = await metricValue(metricsUrl, 'gridwatch_mqtt_messages_duplicate_total');
        return now > duplicates || undefined;
      },
      { diagnose },
    );

    expect(await storedReadings(meterIds)).toEqual(stored);
    const { rows: batches } = await db.query<{ count: string }>(
      `SELECT count(*) FROM ingest_batches WHERE gateway_id = $1 AND source = 'mqtt'`,
      [id],
    );
    expect(Number(batches[0].count)).toBe(1);
  }, 60_000);
});

describe('Modbus TCP', () => {
  const serialNumber = 'GW-DEMO-MODBUS-01';
  const pollIntervalSeconds = 5;
  let workDir: string;
  let simulator: ModbusSimulator | undefined;

  beforeAll(() => {
    workDir = mkdtempSync(join(tmpdir(), 'gridwatch-e2e-modbus-'));
  });

  afterAll(async () => {
    await simulator?.stop();
    // Park the gateway again (as the global setup left it): nothing listens on its port now.
    await db
      ?.query('UPDATE gateways SET host = $2 WHERE serial_number = $1', [
        serialNumber,
        PARKED_MODBUS_HOST,
      ])
      .catch(() => undefined);
    rmSync(workDir, { recursive: true, force: true });
  });

  it('polls the gateway at its configured address and stores what its meters read', async () => {
    const gateway = demoGateway(manifest, serialNumber);
    const meterIds = gateway.meters.map((meter) => meter.id);
    const id = await gatewayId(serialNumber);
    // The global setup parked the gateway outside the allowed networks: nothing polled so far.
    expect(await storedReadings(meterIds)).toEqual([]);

    const port = await freePort();
    simulator = await ModbusSimulator.start(gateway, port, workDir);
    const since = new Date();
    await db.query(
      `UPDATE gateways SET host = '127.0.0.1', port = $2, poll_interval_seconds = $3 WHERE id = $1`,
      [id, port, pollIntervalSeconds],
    );
    const schedule = async () => {
      const response = await fetch(`${system.transportUrl}/health/modbus`);
      return (await response.json()) as {
        gateways: Array<{ gatewayId: string; intervalSeconds: number }>;
      };
    };
    const diagnose = async () =>
      [
        `GET /health/modbus: ${JSON.stringify(await schedule())}`,
        await diagnosis(id, 'gridwatch_modbus_polls_total'),
        `simulator:\n${simulator?.log() ?? ''}`,
      ].join('\n');
    await waitFor(
      'the transport to reload the gateway',
      async () => {
        const view = (await schedule()).gateways.find((entry) => entry.gatewayId === id);
        return view?.intervalSeconds === pollIntervalSeconds || undefined;
      },
      { diagnose },
    );
    // Its last poll (refused, at the parked address) claimed the gateway in Redis for the demo's
    // 60 s interval: the claim keeps other transports off it, and this run has only the one.
    const redis = new Redis(system.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      await redis.del(`${system.queuePrefix}:modbus:poll:${id}`);
    } finally {
      redis.disconnect();
    }

    const expected = ['energy_kwh', 'frequency_hz', 'power_w', 'voltage_v'];
    const stored = await waitFor(
      `readings of all ${meterIds.length} Modbus meters in the readings table`,
      async () => {
        const rows = await storedReadings(meterIds, since);
        const complete = meterIds.every((meter) =>
          expected.every((parameter) =>
            rows.some((row) => row.meter_id === meter && row.parameter === parameter),
          ),
        );
        return complete ? rows : undefined;
      },
      { diagnose },
    );

    for (const row of stored) expect(row.source).toBe('modbus');
    const voltages = stored.filter((row) => row.parameter === 'voltage_v');
    // NYC-DC is a 120 V site: the simulator's load profile and the meters' plausible range.
    for (const row of voltages) expect(row.value).toBeGreaterThan(100);
    for (const row of voltages) expect(row.value).toBeLessThan(140);
  }, 90_000);
});

describe('REST', () => {
  it('stores a signed batch posted to /api/v1/readings/ingest', async () => {
    const serialNumber = 'GW-DEMO-HTTP-01';
    const gateway = demoGateway(manifest, serialNumber);
    const meter = gateway.meters[0];
    const at = sampleTime();
    const sent = [
      { meter: meter.id, parameter: 'power_w', value: 2750, unit: 'W' },
      { meter: meter.id, parameter: 'voltage_v', value: 231.4, unit: 'V' },
    ];
    const body = batchOf(serialNumber, at, sent);
    const timestamp = unixSeconds();

    const response = await fetch(`${baseUrl()}/api/v1/readings/ingest`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Device-ID': serialNumber,
        'X-Timestamp': timestamp,
        'X-Signature': sign(gateway.secret, timestamp, body),
      },
      body,
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ accepted: sent.length, rejected: [] });

    const id = await gatewayId(serialNumber);
    const stored = await waitFor(
      `${sent.length} REST readings in the readings table`,
      async () => {
        // Only this batch's instant: the browser specs ingest into the same demo meters.
        const rows = (await storedReadings([meter.id])).filter(
          (row) => row.ts.getTime() === at.getTime(),
        );
        return rows.length >= sent.length ? rows : undefined;
      },
      { diagnose: () => diagnosis(id) },
    );
    expect(
      stored.map(({ parameter, value, source, ts }) => ({
        parameter,
        value,
        source,
        ts: ts.getTime(),
      })),
    ).toEqual(
      sent.map(({ parameter, value }) => ({ parameter, value, source: 'http', ts: at.getTime() })),
    );
  });
});
