import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { connectionDetails, signingTimestampSeconds } from '@gridwatch/domain';
import {
  APP_CONFIG,
  AppConfig,
  DomainException,
  REDIS,
  type GatewayEntity,
} from '@gridwatch/server';
import { GatewayStatusWriter } from '@gridwatch/ingest';

export type GatewayStatusDocument = Record<string, unknown> & { status: 'online' | 'offline' };

/** A session id: what a gateway puts in its heartbeat and its last will (docs/mqtt.md). */
const SESSION = /^[\w.:-]{8,128}$/;

/** How long a session is remembered after its last heartbeat; its will is refused afterwards. */
export const SESSION_TTL_SECONDS = 7 * 24 * 3600;

/** Deletes the session only if it is still the one the will names: a will is honoured once. */
const CONSUME_SESSION = `
local current = redis.call('GET', KEYS[1])
if current and cjson.decode(current)['id'] == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return current
end
return false`;

interface StoredSession {
  id: string;
  /** The signing timestamp (unix seconds) of the heartbeat that opened or renewed the session. */
  signedAt: number;
}

/**
 * gridwatch/gateways/{serial}/status: an "online" heartbeat marks the gateway seen (as a REST
 * ping does) and may open a session; "offline" — the gateway's goodbye, or its last will —
 * marks it offline at once instead of waiting for the liveness sweeper. The write itself is the
 * shared GatewayStatusWriter's (audit event, realtime bridge).
 *
 * A last will is signed at connect time and published by the broker whenever the connection
 * dies, possibly hours later. It is taken only when it names the session the gateway's heartbeat
 * opened (`"session"`), is judged by the replay window around that heartbeat's timestamp, and
 * ends the session: a captured will is worth nothing after it fired, or once a newer session
 * started.
 */
@Injectable()
export class GatewayStatusService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly writer: GatewayStatusWriter,
  ) {}

  /**
   * When a last will was signed, as far as the transport knows: its session's heartbeat. Null
   * for any other message, which is judged by the replay window around now.
   */
  async willSignedAround(serial: string, document: unknown): Promise<Date | null> {
    const status = statusDocumentOf(document);
    const session = sessionOf(status);
    if (status?.status !== 'offline' || !session) return null;
    const stored = await this.session(serial);
    return stored?.id === session ? new Date(stored.signedAt * 1000) : null;
  }

  async apply(
    gateway: GatewayEntity,
    document: GatewayStatusDocument,
    signedTimestamp: string,
  ): Promise<void> {
    if (
      document['gateway_serial'] !== undefined &&
      document['gateway_serial'] !== gateway.serialNumber
    ) {
      throw new DomainException(
        'gateway_serial_mismatch',
        'gateway_serial is not the serial of the topic',
      );
    }
    const session = sessionOf(document);
    if (document.status === 'online') {
      if (session) await this.openSession(gateway.serialNumber, session, signedTimestamp);
      await this.writer.write(gateway.id, {
        status: 'online',
        seen: true,
        connection: connectionDetails(document, new Date()),
        source: 'mqtt',
      });
      return;
    }
    if (session && !(await this.endSession(gateway.serialNumber, session))) {
      throw new DomainException('replayed', 'this session has already ended');
    }
    await this.writer.write(gateway.id, {
      status: 'offline',
      connection: { offline_at: new Date().toISOString() },
      source: 'mqtt',
    });
  }

  private key(serial: string): string {
    return `${this.config.queuePrefix}:mqtt:session:${serial}`;
  }

  private async session(serial: string): Promise<StoredSession | null> {
    const text = await this.redis.get(this.key(serial));
    return text ? (JSON.parse(text) as StoredSession) : null;
  }

  /**
   * Opens the session a heartbeat names, or renews it: the will was signed when the session's
   * connection opened, so a renewal keeps the first heartbeat's timestamp and only extends the TTL.
   */
  private async openSession(serial: string, id: string, timestamp: string): Promise<void> {
    const current = await this.session(serial);
    const signedAt =
      current?.id === id ? current.signedAt : (signingTimestampSeconds(timestamp) ?? 0);
    const stored: StoredSession = { id, signedAt };
    await this.redis.set(this.key(serial), JSON.stringify(stored), 'EX', SESSION_TTL_SECONDS);
  }

  /** Whether `id` was the gateway's current session, which it no longer is. */
  private async endSession(serial: string, id: string): Promise<boolean> {
    const ended = await this.redis.eval(CONSUME_SESSION, 1, this.key(serial), id);
    return typeof ended === 'string';
  }
}

/** The status document, or null when it is not `{"status": "online" | "offline", ...}`. */
export function statusDocumentOf(document: unknown): GatewayStatusDocument | null {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return null;
  const status = (document as Record<string, unknown>)['status'];
  return status === 'online' || status === 'offline' ? (document as GatewayStatusDocument) : null;
}

function sessionOf(document: GatewayStatusDocument | null): string | null {
  const session = document?.['session'];
  return typeof session === 'string' && SESSION.test(session) ? session : null;
}
