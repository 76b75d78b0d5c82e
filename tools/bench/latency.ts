/**
 * Latency at a steady rate: one gateway's readings of one instant (its meters x parameters, the
 * instant = the moment of sending) as one signed REST batch, gateways in turn, spaced so that the
 * readings add up to `ratePerSecond`. For each batch it measures, from just before the request:
 * - until a `reading.received` event carrying one of its readings reaches a socket.io client
 *   logged in as the owner and subscribed to the organization room;
 * - until its last reading can be selected from the database (polled every 10 ms), and until it
 *   is in its rollups too: the step that merges a reading into the 5-minute, hourly and daily
 *   rollups deletes its row from rollup_dirty in the same transaction.
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
  const pool = new Pool({ connectionString: options.databaseUrl, max: 6 });
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
    const last = readings[readings.length - 1];
    const deadline = performance.now() + ROW_TIMEOUT_MS;
    let found = false;
    while (!found && performance.now() < deadline) {
      const { rowCount } = await pool.query(
        'SELECT 1 FROM readings WHERE meter_id = $1 AND parameter = $2 AND ts = $3',
        [last.meter_id, last.parameter, last.timestamp],
      );
      found = Boolean(rowCount);
      if (found) dbLatencies.push(performance.now() - sent.sentAt);
      else await sleep(10);
    }
    while (found && performance.now() < deadline) {
      const { rowCount } = await pool.query(
        'SELECT 1 FROM rollup_dirty WHERE meter_id = $1 AND parameter = $2 AND ts = $3',
        [last.meter_id, last.parameter, last.timestamp],
      );
      if (!rowCount) {
        rollupLatencies.push(performance.now() - sent.sentAt);
        return;
      }
      await sleep(10);
    }
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
    await sleep(2_000); // stragglers of the last events
  } finally {
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
