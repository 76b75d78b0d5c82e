import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { EventType } from '@gridwatch/contracts';
import { gatewayStatusesReplacedBy, type ObservedGatewayStatus } from '@gridwatch/domain';
import { EventRecorder, RealtimeBridgePublisher } from '@gridwatch/server';

/** What was seen of a gateway, by whom. */
export interface GatewayStatusChange {
  status: ObservedGatewayStatus;
  /** Who saw it, in the audit event: `http` (ping, REST traffic), `mqtt`, `modbus`. */
  source: 'http' | 'mqtt' | 'modbus' | 'ingest';
  /** The gateway spoke (a message, a ping, an answered poll): last_seen_at = now, missed_pings = 0. */
  seen?: boolean;
  /** Merged into gateways.connection (a ping's connection details, `offline_at`...). */
  connection?: Record<string, unknown> | null;
  /** Why, for the audit event (e.g. the poll failure), without internal addresses. */
  reason?: string;
  /**
   * Skip the write when another transaction is writing this gateway right now (its ingest jobs
   * arrive many at once: each would otherwise wait for the row lock of the one before).
   */
  skipIfBusy?: boolean;
}

/** A change that flipped the status. */
export interface GatewayStatusFlip {
  gatewayId: string;
  organizationId: string;
  siteId: string;
  from: string;
  to: string;
}

interface FlipRow {
  id: string;
  organization_id: string;
  site_id: string;
  previous: string;
  status: string;
}

const EVENT_OF: Readonly<Record<ObservedGatewayStatus, EventType>> = {
  online: EventType.DeviceOnline,
  degraded: EventType.DeviceStatusChanged,
  offline: EventType.DeviceOffline,
};

/**
 * The one writer of gateways.status, for the API (pings, the processor's "seen") and the
 * transport (MQTT status topic, Modbus polls). Each write is one locked UPDATE ... RETURNING the
 * previous status, so a flip is announced once whoever makes it, and the transition rule
 * (gatewayStatusesReplacedBy: degraded never hides offline) is applied in SQL. A flip is an
 * audit event (`device.online` / `device.offline` / `device.status_changed`, data
 * `{from, to, source, reason?}`) and a realtime bridge message, which every API instance pushes
 * to its browsers.
 */
@Injectable()
export class GatewayStatusWriter {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventRecorder,
    private readonly bridge: RealtimeBridgePublisher,
  ) {}

  /** Applies the change; answers the flip, or null when the status stayed (or no such gateway). */
  async write(
    gatewayId: string,
    change: GatewayStatusChange,
    manager: EntityManager = this.db.manager,
  ): Promise<GatewayStatusFlip | null> {
    const connection = change.connection ? JSON.stringify(change.connection) : null;
    const [rows] = (await manager.query(
      `WITH previous AS (
         SELECT id, status FROM gateways WHERE id = $1 FOR UPDATE${change.skipIfBusy ? ' SKIP LOCKED' : ''}
       )
       UPDATE gateways g SET
         status = CASE WHEN previous.status = ANY($3::text[]) THEN $2 ELSE previous.status END,
         last_seen_at = CASE WHEN $4 THEN now() ELSE g.last_seen_at END,
         missed_pings = CASE WHEN $4 THEN 0 ELSE g.missed_pings END,
         connection = CASE WHEN $5::jsonb IS NULL THEN g.connection ELSE g.connection || $5::jsonb END
       FROM previous WHERE g.id = previous.id
       RETURNING g.id, g.organization_id, g.site_id, previous.status AS previous, g.status`,
      [
        gatewayId,
        change.status,
        gatewayStatusesReplacedBy(change.status),
        change.seen ?? false,
        connection,
      ],
    )) as [FlipRow[], number];
    const row = rows[0];
    if (!row || row.previous === row.status) return null;
    const flip: GatewayStatusFlip = {
      gatewayId: row.id,
      organizationId: row.organization_id,
      siteId: row.site_id,
      from: row.previous,
      to: row.status,
    };
    await this.announce(flip, change);
    return flip;
  }

  private async announce(flip: GatewayStatusFlip, change: GatewayStatusChange): Promise<void> {
    await this.events.record({
      organizationId: flip.organizationId,
      type: EVENT_OF[change.status],
      subject: { type: 'gateway', id: flip.gatewayId },
      data: {
        from: flip.from,
        to: flip.to,
        source: change.source,
        ...(change.reason ? { reason: change.reason } : {}),
      },
    });
    this.bridge.gatewayStatusChanged(flip);
  }
}
