import { Inject, Injectable, Logger, Module } from '@nestjs/common';
import type Redis from 'ioredis';
import {
  GATEWAY_STATUSES,
  RealtimeEvent,
  type GatewayStatus,
  type GatewayStatusChangedEvent,
  type QueuedReading,
} from '@gridwatch/contracts';
import type { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { REDIS } from '../redis/redis.module';

/**
 * The Redis pub/sub channel on which a process without socket.io (the transport) hands live
 * events to the API, which pushes them to browsers. One definition for both sides.
 */
export function realtimeBridgeChannel(queuePrefix: string): string {
  return `${queuePrefix}:realtime:bridge`;
}

/**
 * The channel on which the process that stored readings (a queue worker) hands them to the API
 * instances, which push them to the sockets of their rooms. Only an instance holding a socket of
 * the readings' organization does any work for them; the worker does none (no room fan-out, no
 * per-room messages through the socket.io Redis adapter).
 */
export function realtimeReadingsChannel(queuePrefix: string): string {
  return `${queuePrefix}:realtime:readings`;
}

/** `<organization id>|<the readings as JSON>`: the organization can be read without parsing. */
export function encodeStoredReadings(
  organizationId: string,
  readings: readonly QueuedReading[],
): string {
  return `${organizationId}|${JSON.stringify(readings)}`;
}

/** The organization of an encoded message, or null if it does not start with one. */
export function organizationOfStoredReadings(raw: string): string | null {
  const organizationId = raw.slice(0, 36);
  return raw[36] === '|' && isUuid(organizationId) ? organizationId.toLowerCase() : null;
}

/** An encoded message, shape-checked: readings without the expected fields are dropped. */
export function decodeStoredReadings(
  raw: string,
): { organizationId: string; readings: QueuedReading[] } | null {
  const organizationId = organizationOfStoredReadings(raw);
  if (!organizationId) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.slice(37));
  } catch {
    return null;
  }
  if (!Array.isArray(parsed)) return null;
  return { organizationId, readings: parsed.filter(isQueuedReading) };
}

function isQueuedReading(value: unknown): value is QueuedReading {
  if (!isRecord(value)) return false;
  const { m, p, t, v, u, q } = value;
  return (
    isUuid(m) &&
    typeof p === 'string' &&
    typeof t === 'number' &&
    (typeof v === 'number' || v === null) &&
    typeof u === 'string' &&
    typeof q === 'string'
  );
}

/** Events that may cross the bridge; others are ignored by the API. */
export type BridgedEvent = typeof RealtimeEvent.GatewayStatusChanged;

/** One message on the bridge channel, as JSON: `{"event": ..., "payload": {...}}`. */
export interface RealtimeBridgeMessage {
  event: BridgedEvent;
  payload: GatewayStatusChangedEvent;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A bridge message, shape-checked: null unless it is JSON naming a bridged event with a complete
 * payload (UUIDs, known statuses, an RFC 3339 time). Only the payload's known fields are kept.
 */
export function parseRealtimeBridgeMessage(raw: string): RealtimeBridgeMessage | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return null;
  }
  if (!isRecord(parsed) || parsed['event'] !== RealtimeEvent.GatewayStatusChanged) return null;
  const payload = parsed['payload'];
  if (!isRecord(payload)) return null;
  const { organizationId, gatewayId, siteId, from, to, at } = payload;
  if (!isUuid(organizationId) || !isUuid(gatewayId) || !isUuid(siteId)) return null;
  if (!isGatewayStatus(from) || !isGatewayStatus(to)) return null;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at))) return null;
  return {
    event: RealtimeEvent.GatewayStatusChanged,
    payload: {
      organizationId: organizationId.toLowerCase(),
      gatewayId: gatewayId.toLowerCase(),
      siteId: siteId.toLowerCase(),
      from,
      to,
      at: new Date(at).toISOString(),
    },
  };
}

/**
 * Publishes live events on the bridge channels with the process's Redis client. Never throws nor
 * waits: a lost live update must not fail or slow the work that caused it (browsers also poll).
 */
@Injectable()
export class RealtimeBridgePublisher {
  private readonly logger = new Logger('RealtimeBridge');
  private readonly channel: string;
  private readonly readingsChannel: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.channel = realtimeBridgeChannel(config.queuePrefix);
    this.readingsChannel = realtimeReadingsChannel(config.queuePrefix);
  }

  gatewayStatusChanged(change: {
    organizationId: string;
    gatewayId: string;
    siteId: string;
    from: string;
    to: string;
  }): void {
    if (!isGatewayStatus(change.from) || !isGatewayStatus(change.to)) return;
    const message: RealtimeBridgeMessage = {
      event: RealtimeEvent.GatewayStatusChanged,
      payload: {
        organizationId: change.organizationId,
        gatewayId: change.gatewayId,
        siteId: change.siteId,
        from: change.from,
        to: change.to,
        at: new Date().toISOString(),
      },
    };
    this.send(this.channel, JSON.stringify(message));
  }

  /** Newly stored readings, for the API instances' sockets (realtimeReadingsChannel). */
  readingsStored(organizationId: string, readings: readonly QueuedReading[]): void {
    if (readings.length === 0) return;
    this.send(this.readingsChannel, encodeStoredReadings(organizationId, readings));
  }

  private send(channel: string, message: string): void {
    try {
      this.redis
        .publish(channel, message)
        .catch((error: Error) => this.logger.warn(`could not publish: ${error.message}`));
    } catch (error) {
      this.logger.warn(`could not publish: ${(error as Error).message}`);
    }
  }
}

/** The bridge publisher, for processes that change what browsers watch but run no socket.io. */
@Module({
  providers: [RealtimeBridgePublisher],
  exports: [RealtimeBridgePublisher],
})
export class RealtimeBridgeModule {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

function isGatewayStatus(value: unknown): value is GatewayStatus {
  return typeof value === 'string' && (GATEWAY_STATUSES as readonly string[]).includes(value);
}
