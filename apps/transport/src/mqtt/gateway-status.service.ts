import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { connectionDetails } from '@gridwatch/domain';
import {
  APP_CONFIG,
  AppConfig,
  DomainException,
  EventRecorder,
  GatewayEntity,
  RealtimeBridgePublisher,
} from '@gridwatch/server';
import { DeviceAuthenticator } from '@gridwatch/ingest';
import { signedBy, type SignedMessage } from './signed-message';

export type GatewayStatusDocument = Record<string, unknown> & { status: 'online' | 'offline' };

/** Why a signed offline message is not taken: the signature, or its timestamp. */
export type OfflineCheck =
  | { ok: true; gateway: GatewayEntity }
  | { ok: false; problem: 'bad_signature' | 'stale_timestamp'; detail: string };

interface Flip {
  id: string;
  organization_id: string;
  site_id: string;
  previous: string;
  status: string;
}

/**
 * gridwatch/gateways/{serial}/status: an "online" heartbeat marks the gateway seen (as a REST
 * ping does); "offline" — the gateway's last will, or its goodbye — marks it offline at once
 * instead of waiting for the liveness sweeper. Each flip is an audit event, and goes to browsers
 * through the API (realtime bridge).
 */
@Injectable()
export class GatewayStatusService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly authenticator: DeviceAuthenticator,
    private readonly events: EventRecorder,
    private readonly bridge: RealtimeBridgePublisher,
  ) {}

  /**
   * The gateway that signed an offline message. A last will is signed when the gateway connects
   * and published by the broker whenever the connection dies, so the replay window cannot apply;
   * the signature still must be the gateway's own, and the timestamp not in the future.
   */
  async offlineSigner(
    serial: string,
    message: SignedMessage,
    now = new Date(),
  ): Promise<OfflineCheck> {
    const seconds = Number(message.timestamp);
    if (!/^\d{9,11}$/.test(message.timestamp)) {
      return { ok: false, problem: 'stale_timestamp', detail: 'timestamp must be unix seconds' };
    }
    if (seconds - now.getTime() / 1000 > this.config.replayWindowSeconds) {
      return { ok: false, problem: 'stale_timestamp', detail: 'timestamp is in the future' };
    }
    const found = await this.authenticator.secretsOf(serial, now);
    if (!found || found.credential.ownerType !== 'gateway' || !signedBy(message, found.secrets)) {
      return { ok: false, problem: 'bad_signature', detail: 'not signed by this gateway' };
    }
    const gateway = await this.db.manager.findOneByOrFail(GatewayEntity, {
      id: found.credential.ownerId,
    });
    return { ok: true, gateway };
  }

  async apply(gateway: GatewayEntity, document: GatewayStatusDocument): Promise<void> {
    if (
      document['gateway_serial'] !== undefined &&
      document['gateway_serial'] !== gateway.serialNumber
    ) {
      throw new DomainException(
        'gateway_serial_mismatch',
        'gateway_serial is not the serial of the topic',
      );
    }
    if (document.status === 'online') await this.online(gateway, document);
    else await this.offline(gateway);
  }

  private async online(gateway: GatewayEntity, document: GatewayStatusDocument): Promise<void> {
    const connection = connectionDetails(document, new Date());
    const [flips] = (await this.db.query(
      `WITH previous AS (SELECT id, status FROM gateways WHERE id = $1 FOR UPDATE)
       UPDATE gateways g SET last_seen_at = now(), missed_pings = 0, status = 'online',
         connection = g.connection || $2::jsonb
       FROM previous WHERE g.id = previous.id
       RETURNING g.id, g.organization_id, g.site_id, previous.status AS previous, g.status`,
      [gateway.id, JSON.stringify(connection)],
    )) as [Flip[], number];
    await this.announce(flips);
  }

  private async offline(gateway: GatewayEntity): Promise<void> {
    const [flips] = (await this.db.query(
      `WITH previous AS (SELECT id, status FROM gateways WHERE id = $1 FOR UPDATE)
       UPDATE gateways g SET status = 'offline',
         connection = g.connection || jsonb_build_object('offline_at', now())
       FROM previous WHERE g.id = previous.id
       RETURNING g.id, g.organization_id, g.site_id, previous.status AS previous, g.status`,
      [gateway.id],
    )) as [Flip[], number];
    await this.announce(flips);
  }

  private async announce(flips: Flip[]): Promise<void> {
    for (const flip of flips.filter((row) => row.previous !== row.status)) {
      await this.events.record({
        organizationId: flip.organization_id,
        type: flip.status === 'offline' ? 'device.offline' : 'device.online',
        subject: { type: 'gateway', id: flip.id },
        data: { from: flip.previous, to: flip.status, via: 'mqtt' },
      });
      this.bridge.gatewayStatusChanged({
        organizationId: flip.organization_id,
        gatewayId: flip.id,
        siteId: flip.site_id,
        from: flip.previous,
        to: flip.status,
      });
    }
  }
}

/** The status document, or null when it is not `{"status": "online" | "offline", ...}`. */
export function statusDocumentOf(document: unknown): GatewayStatusDocument | null {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) return null;
  const status = (document as Record<string, unknown>)['status'];
  return status === 'online' || status === 'offline' ? (document as GatewayStatusDocument) : null;
}
