import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  RealtimeEvent,
  RoomKind,
  type GatewayStatus,
  type LiveReading,
  type MeterStatus,
  type QueuedReading,
  type RealtimeEventPayloads,
  type RoomRef,
} from '@gridwatch/contracts';
import { APP_CONFIG, AppConfig } from '@gridwatch/server';
import { ReadingCoalescer, type CoalescedReadings } from './reading-coalescer';
import { RealtimeGateway } from './realtime.gateway';
import { RealtimeMetrics } from './realtime-metrics';
import { roomName } from './realtime-rooms';

/** A status flip as the code that made it knows it. */
export interface StatusChange {
  organizationId: string;
  id: string;
  from: string;
  to: string;
  reason?: string | null;
}

/**
 * The one way events reach clients. Emitting through the namespace goes through the socket.io
 * Redis adapter, so the sockets of every API instance receive what any instance publishes.
 * Room names are derived from the payload's organization: an event cannot reach another's room.
 * Publishing never throws: a lost live update must not fail the work that caused it.
 */
@Injectable()
export class RealtimePublisher implements OnModuleDestroy {
  private readonly logger = new Logger('RealtimePublisher');
  private readonly coalescer: ReadingCoalescer;

  constructor(
    private readonly gateway: RealtimeGateway,
    private readonly metrics: RealtimeMetrics,
    @InjectDataSource() private readonly db: DataSource,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.coalescer = new ReadingCoalescer(config.realtimeCoalesceMs, (batch) =>
      this.emitReadings(batch),
    );
  }

  onModuleDestroy(): void {
    this.coalescer.close();
  }

  /**
   * Sends `payload` to the named rooms of the payload's organization. `local`: to this instance's
   * sockets only, for events every instance receives anyway (the realtime bridge).
   */
  publish<E extends RealtimeEvent>(
    event: E,
    payload: RealtimeEventPayloads[E],
    rooms: readonly RoomRef[],
    { local = false }: { local?: boolean } = {},
  ): void {
    try {
      const names = rooms.map((room) => roomName(payload.organizationId, room));
      const server = this.gateway.server;
      (local ? server.local : server).to(names).emit(event, payload);
      this.metrics.sent(event);
    } catch (error) {
      this.logger.warn(`could not publish ${event}: ${(error as Error).message}`);
    }
  }

  /**
   * New readings of a stored job, as the realtime readings channel brings them to every API
   * instance: throttled per room and sent to this instance's sockets (a local emit).
   */
  async readingsStored(organizationId: string, readings: readonly QueuedReading[]): Promise<void> {
    if (readings.length === 0) return;
    try {
      const sites = await this.sitesOfMeters(organizationId, [
        ...new Set(readings.map((reading) => reading.m)),
      ]);
      const byRoom = new Map<
        string,
        { room: RoomRef; items: Array<{ reading: LiveReading; t: number }> }
      >();
      const add = (room: RoomRef, item: { reading: LiveReading; t: number }) => {
        const name = roomName(organizationId, room);
        const entry = byRoom.get(name) ?? { room, items: [] };
        entry.items.push(item);
        byRoom.set(name, entry);
      };
      for (const queued of readings) {
        const siteId = sites.get(queued.m);
        if (siteId === undefined) continue;
        const item = {
          t: queued.t,
          reading: {
            meterId: queued.m,
            siteId,
            parameter: queued.p,
            ts: new Date(queued.t).toISOString(),
            value: queued.v,
            unit: queued.u,
            quality: queued.q,
          },
        };
        add({ kind: RoomKind.Organization, id: organizationId }, item);
        add({ kind: RoomKind.Site, id: siteId }, item);
        add({ kind: RoomKind.Meter, id: queued.m }, item);
      }
      for (const [name, { room, items }] of byRoom) {
        this.coalescer.add(organizationId, room, name, items);
      }
    } catch (error) {
      this.logger.warn(`could not publish readings: ${(error as Error).message}`);
    }
  }

  /** A meter's or gateway's status flipped (liveness, or a user's status change). */
  async statusChanged(subject: 'meter' | 'gateway', change: StatusChange): Promise<void> {
    try {
      if (subject === 'meter') await this.meterStatusChanged(change);
      else await this.gatewayStatusChanged(change);
    } catch (error) {
      this.logger.warn(`could not publish a ${subject} status: ${(error as Error).message}`);
    }
  }

  private async meterStatusChanged(change: StatusChange): Promise<void> {
    const [meter] = (await this.db.query(
      'SELECT site_id, gateway_id FROM meters WHERE id = $1 AND organization_id = $2',
      [change.id, change.organizationId],
    )) as Array<{ site_id: string; gateway_id: string | null }>;
    if (!meter) return;
    this.publish(
      RealtimeEvent.DeviceStatusChanged,
      {
        organizationId: change.organizationId,
        meterId: change.id,
        siteId: meter.site_id,
        gatewayId: meter.gateway_id,
        // Statuses come from the meters table, whose values the state machine keeps valid.
        from: change.from as MeterStatus,
        to: change.to as MeterStatus,
        reason: change.reason ?? null,
        at: new Date().toISOString(),
      },
      [
        { kind: RoomKind.Organization },
        { kind: RoomKind.Site, id: meter.site_id },
        { kind: RoomKind.Meter, id: change.id },
      ],
    );
  }

  private async gatewayStatusChanged(change: StatusChange): Promise<void> {
    const [gateway] = (await this.db.query(
      'SELECT site_id FROM gateways WHERE id = $1 AND organization_id = $2',
      [change.id, change.organizationId],
    )) as Array<{ site_id: string }>;
    if (!gateway) return;
    this.publish(
      RealtimeEvent.GatewayStatusChanged,
      {
        organizationId: change.organizationId,
        gatewayId: change.id,
        siteId: gateway.site_id,
        // Statuses come from the gateways table.
        from: change.from as GatewayStatus,
        to: change.to as GatewayStatus,
        at: new Date().toISOString(),
      },
      [{ kind: RoomKind.Organization }, { kind: RoomKind.Site, id: gateway.site_id }],
    );
  }

  private async sitesOfMeters(
    organizationId: string,
    meterIds: string[],
  ): Promise<Map<string, string>> {
    const rows = (await this.db.query(
      'SELECT id, site_id FROM meters WHERE id = ANY($1::uuid[]) AND organization_id = $2',
      [meterIds, organizationId],
    )) as Array<{ id: string; site_id: string }>;
    return new Map(rows.map((row) => [row.id, row.site_id]));
  }

  private emitReadings(batch: CoalescedReadings): void {
    this.publish(
      RealtimeEvent.ReadingReceived,
      { organizationId: batch.organizationId, room: batch.room, readings: batch.readings },
      [batch.room],
      { local: true },
    );
  }
}
