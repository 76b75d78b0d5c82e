/**
 * Latency at a steady rate: one gateway's readings of one instant (its meters x parameters, the
 * instant = the moment of sending) as one signed REST batch, gateways in turn, spaced so that the
 * readings add up to `ratePerSecond`. For each batch it measures, from just before the request:
 * - until a `reading.received` event carrying one of its readings reaches a socket.io client
 *   logged in as the owner and subscribed to the organization room;
 * - until its last counter reading can be selected from the database, and until it is in its
 *   rollups too: the step that merges a reading into the 5-minute, hourly and daily rollups
 *   deletes its row from rollup_dirty in the same transaction. One poller checks every batch in
 *   flight with one query per stage every 10 ms, on one connection.
 * Events coalesce per (meter, parameter) for REALTIME_COALESCE_MS, and a gateway's batches are
 * further apart than that, so every batch should show up; the report counts the ones that did not.
 */
import { Pool } from 'pg';
import { io, type Socket } from 'socket.io-client';
import {
  REALTIME_NAMESPACE,
  RealtimeCommand,
  RealtimeEvent,
  RoomKind,
  type ReadingReceivedEvent,
  type SubscriptionAck,
} from '@gridwatch/contracts';
import { INGEST_PATH, isIngestAnswer, postDevice } from '../simulators/device-client';
import type { ManifestGateway } from '../simulators/manifest';
import { percentilesOf, sleep, type Percentiles } from './common';
import type { ReadingSource } from './readings';

export interface LatencyReport {
  ratePerSecond: number;
  batches: number;
  readingsPerBatch: number;
  failedRequests: number;
  websocket: Percentiles;
  queryable: Percentiles;
  /** Until the last reading is queryable raw and in its rollups. */
  inRollups: Percentiles;
  /** Batches whose event, row or rollups did not arrive within the grace period. */
  missingEvents: number;
  missingRows: number;
  missingRollups: number;
}

/** A batch whose row has not appeared by then counts as slower than this (Infinity in the percentiles). */
const ROW_TIMEOUT_MS = 5_000;

interface Sent {
  sentAt: number;
  measured: boolean;
}

/** A measured batch's probe reading, waited for by the poller: first as a row, then folded. */
interface Probe {
  sentAt: number;
  deadline: number;
  meterId: string;
  parameter: string;
  ts: string;
  stage: 'row' | 'rollup';
}

const ROW_SQL = `SELECT k.i FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS k(m, p, ts, i)
  WHERE EXISTS (SELECT 1 FROM readings r WHERE r.meter_id = k.m AND r.parameter = k.p AND r.ts = k.ts)`;

/** Folded: its copy has left rollup_dirty (the rollup step deletes it as it merges it). */
const FOLDED_SQL = `SELECT k.i FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) WITH ORDINALITY AS k(m, p, ts, i)
  WHERE NOT EXISTS (SELECT 1 FROM rollup_dirty d
    WHERE d.meter_id = k.m AND d.parameter = k.p AND d.ts = k.ts AND d.parameter = ANY('{energy_kwh,water_m3}'::text[]))`;

/** The probes of `waiting` that `sql` finds (1-based ordinality of the arrays). */
async function arrived(pool: Pool, waiting: Probe[], sql: string): Promise<Probe[]> {
  if (waiting.length === 0) return [];
  const { rows } = await pool.query<{ i: string }>(sql, [
    waiting.map((probe) => probe.meterId),
    waiting.map((probe) => probe.parameter),
    waiting.map((probe) => probe.ts),
  ]);
  return rows.map((row) => waiting[Number(row.i) - 1]);
}

export async function login(api: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${api}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (!response.ok) throw new Error(`login answered ${response.status}`);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

async function connectRealtime(api: string, token: string): Promise<Socket> {
  const socket = io(`${api}${REALTIME_NAMESPACE}`, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
  });
  await new Promise<void>((done, fail) => {
    socket.once('connect', () => done());
    socket.once('connect_error', (error) => fail(new Error(`realtime: ${error.message}`)));
  });
  const ack = (await socket
    .timeout(10_000)
    .emitWithAck(RealtimeCommand.Subscribe, { kind: RoomKind.Organization })) as SubscriptionAck;
  if (!ack.ok) throw new Error(`realtime subscribe refused: ${ack.error} ${ack.message}`);
  return socket;
}

export async function runLatency(options: {
  api: string;
  token: string;
  databaseUrl: string;
  gateways: ManifestGateway[];
  source: ReadingSource;
  ratePerSecond: number;
  warmupMs: number;
  measureMs: number;
}): Promise<LatencyReport> {
  const { api, gateways, source } = options;
  const socket = await connectRealtime(api, options.token);
  const pool = new Pool({ connectionString: options.databaseUrl, max: 1 });
  const wsLatencies: number[] = [];
  const dbLatencies: number[] = [];
  const rollupLatencies: number[] = [];
  const events = new Map<number, Sent>();
  let measuring = false;
  socket.on(RealtimeEvent.ReadingReceived, (event: ReadingReceivedEvent) => {
    const now = performance.now();
    for (const reading of event.readings) {
      const sent = events.get(Date.parse(reading.ts));
      if (!sent || sent.measured) continue;
      sent.measured = true;
      wsLatencies.push(now - sent.sentAt);
    }
  });
  const perBatch = source.readingsAt(gateways[0].meters, Date.now() - 3_600_000).length;
  const intervalMs = (perBatch / options.ratePerSecond) * 1000;
  let failedRequests = 0;
  let batches = 0;
  let lastMs = 0;
  const inFlight: Promise<void>[] = [];
  // One poller for every batch in flight: each 10 ms, one query finds which batches' probe
  // reading is selectable and one which have left rollup_dirty, so the probe's own load on
  // PostgreSQL does not grow with the number of batches waiting.
  const probes = new Set<Probe>();
  let sending = true;
  const poller = (async () => {
    while (sending || probes.size > 0) {
      const now = performance.now();
      for (const probe of probes) {
        if (now > probe.deadline) probes.delete(probe);
      }
      const byStage = (stage: Probe['stage']) => [...probes].filter((p) => p.stage === stage);
      for (const probe of await arrived(pool, byStage('row'), ROW_SQL)) {
        dbLatencies.push(performance.now() - probe.sentAt);
        probe.stage = 'rollup';
      }
      for (const probe of await arrived(pool, byStage('rollup'), FOLDED_SQL)) {
        rollupLatencies.push(performance.now() - probe.sentAt);
        probes.delete(probe);
      }
      await sleep(10);
    }
  })();
  const sendOne = async (gateway: ManifestGateway, record: boolean): Promise<void> => {
    let ms = Date.now();
    if (ms <= lastMs) ms = lastMs + 1;
    lastMs = ms;
    const readings = source.readingsAt(gateway.meters, ms);
    const sent: Sent = { sentAt: performance.now(), measured: !record };
    events.set(ms, sent);
    const response = await postDevice({
      api,
      path: INGEST_PATH,
      body: { gateway_serial: gateway.serialNumber, timestamp: readings[0].timestamp, readings },
      device: { deviceId: gateway.serialNumber, secret: gateway.secret },
      auth: 'hmac',
      timeoutMs: 30_000,
    });
    if (response.outcome !== 'ok' || !isIngestAnswer(response.body)) {
      failedRequests += 1;
      sent.measured = true;
      return;
    }
    if (!record) return;
    // A counter reading: rollup_dirty has an index on counters' keys (the rollup step's own).
    // The batch is stored in one statement, so any of its readings tells when all are.
    const probe = readings.filter((reading) => reading.parameter === 'energy_kwh').at(-1);
    const last = probe ?? readings[readings.length - 1];
    probes.add({
      sentAt: sent.sentAt,
      deadline: sent.sentAt + ROW_TIMEOUT_MS,
      meterId: last.meter_id,
      parameter: last.parameter,
      ts: new Date(ms).toISOString(),
      stage: 'row',
    });
  };
  try {
    const started = performance.now();
    const end = started + options.warmupMs + options.measureMs;
    for (let k = 0; ; k += 1) {
      const at = started + k * intervalMs;
      if (at >= end) break;
      const wait = at - performance.now();
      if (wait > 0) await sleep(wait);
      measuring = at >= started + options.warmupMs;
      if (measuring) batches += 1;
      inFlight.push(sendOne(gateways[k % gateways.length], measuring));
    }
    await Promise.all(inFlight);
    sending = false;
    await poller;
    await sleep(2_000); // stragglers of the last events
  } finally {
    sending = false;
    socket.disconnect();
    await pool.end();
  }
  // Batches that never arrived are slower than any that did: they count as Infinity, so a
  // percentile they reach reads "> timeout" instead of flattering the figure.
  const censor = (values: number[]): number[] => [
    ...values,
    ...Array.from({ length: Math.max(0, batches - values.length) }, () => Infinity),
  ];
  return {
    ratePerSecond: options.ratePerSecond,
    batches,
    readingsPerBatch: perBatch,
    failedRequests,
    websocket: percentilesOf(censor(wsLatencies)),
    queryable: percentilesOf(censor(dbLatencies)),
    inRollups: percentilesOf(censor(rollupLatencies)),
    missingEvents: batches - wsLatencies.length,
    missingRows: batches - dbLatencies.length,
    missingRollups: batches - rollupLatencies.length,
  };
}
