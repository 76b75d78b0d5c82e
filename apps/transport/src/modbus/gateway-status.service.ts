import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { EventType } from '@gridwatch/contracts';
import { EventRecorder, RealtimeBridgePublisher, type GatewayEntity } from '@gridwatch/server';

type PolledStatus = 'online' | 'degraded' | 'offline';

/** Which current statuses each new status may replace: degraded never hides offline. */
const REPLACES: Readonly<Record<PolledStatus, readonly string[]>> = {
  online: ['online', 'degraded', 'offline', 'unknown'],
  degraded: ['online', 'unknown'],
  offline: ['online', 'degraded', 'unknown'],
};

const EVENT_OF: Readonly<Record<PolledStatus, EventType>> = {
  online: EventType.DeviceOnline,
  degraded: EventType.DeviceStatusChanged,
  offline: EventType.DeviceOffline,
};

/**
 * A polled gateway's status column. The API's liveness sweeper and ingest processor write it too,
 * so each change is one locked UPDATE ... RETURNING the previous status: a flip is announced
 * once, whoever makes it. An answer also refreshes last_seen_at, which keeps the sweeper away.
 * A flip is audited and goes to browsers through the API (realtime bridge).
 */
@Injectable()
export class GatewayStatusService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly events: EventRecorder,
    private readonly bridge: RealtimeBridgePublisher,
  ) {}

  /** Sets the status; returns the previous one when it changed, null when it did not. */
  async set(gateway: GatewayEntity, status: PolledStatus, reason: string): Promise<string | null> {
    const seen = status === 'online' ? ', last_seen_at = now(), missed_pings = 0' : '';
    const [rows] = (await this.db.query(
      `WITH previous AS (SELECT id, status FROM gateways WHERE id = $1 FOR UPDATE)
       UPDATE gateways g SET status = $2${seen}
       FROM previous WHERE g.id = previous.id AND previous.status = ANY($3::text[])
       RETURNING previous.status AS previous`,
      [gateway.id, status, REPLACES[status]],
    )) as [Array<{ previous: string }>, number];
    const previous = rows[0]?.previous;
    if (previous === undefined || previous === status) return null;
    await this.events.record({
      organizationId: gateway.organizationId,
      type: EVENT_OF[status],
      subject: { type: 'gateway', id: gateway.id },
      data: { from: previous, to: status, source: 'modbus', reason },
    });
    this.bridge.gatewayStatusChanged({
      organizationId: gateway.organizationId,
      gatewayId: gateway.id,
      siteId: gateway.siteId,
      from: previous,
      to: status,
    });
    return previous;
  }
}
