import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import {
  TICKET_SNAPSHOT_MAX_BYTES,
  type DeviceSnapshotDocument,
  type Page,
  type TicketSnapshotView,
} from '@gridwatch/contracts';
import {
  DataQualityIssueEntity,
  DomainException,
  GatewayEntity,
  MeterEntity,
  NotFound,
  TicketEntity,
  TicketSnapshotEntity,
} from '@gridwatch/server';
import { Clock } from '../../common/clock';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { ReadingsQueryRepository } from '../readings/readings-query.repository';
import { TicketEvents } from './tickets.events';
import { TicketsService } from './tickets.service';

/** Resolved issues stay in a snapshot for this long after their resolution. */
const RESOLVED_ISSUE_DAYS = 7;
const MAX_ISSUES = 50;

/**
 * Device snapshots: a meter's state captured into a ticket as versioned JSON, so support sees
 * what the meter looked like when it mattered, not what it looks like now.
 */
@Injectable()
export class TicketSnapshotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsService,
    private readonly readings: ReadingsQueryRepository,
    private readonly events: TicketEvents,
    private readonly clock: Clock,
  ) {}

  async capture(
    actor: RequestActor,
    ticketId: string,
    meterId: string,
  ): Promise<TicketSnapshotView> {
    const organizationId = actor.user.organizationId;
    await this.tickets.find(organizationId, ticketId);
    const capturedAt = this.clock.now();
    const document = await this.document(organizationId, meterId, capturedAt);
    const sizeBytes = Buffer.byteLength(JSON.stringify(document));
    if (sizeBytes > TICKET_SNAPSHOT_MAX_BYTES) {
      throw new DomainException(
        'snapshot_too_large',
        `The snapshot would be ${sizeBytes} bytes; at most ${TICKET_SNAPSHOT_MAX_BYTES} are kept`,
        { sizeBytes, maxBytes: TICKET_SNAPSHOT_MAX_BYTES },
      );
    }
    const snapshot = await this.db.transaction(async (manager) => {
      // The ticket row lock serialises captures, so versions count 1, 2, ... without gaps.
      const ticket = await manager.findOne(TicketEntity, {
        where: { id: ticketId, organizationId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!ticket) throw new NotFound('ticket_not_found', 'Ticket');
      const [{ version }] = (await manager.query(
        'SELECT coalesce(max(version), 0) + 1 AS version FROM ticket_snapshots WHERE ticket_id = $1',
        [ticketId],
      )) as [{ version: number }];
      return manager.save(
        manager.create(TicketSnapshotEntity, {
          organizationId,
          ticketId,
          meterId,
          version,
          document,
          sizeBytes,
          capturedBy: actor.user.id,
          capturedAt,
        }),
      );
    });
    await this.events.snapshotCaptured(actor, ticketId, {
      id: snapshot.id,
      version: snapshot.version,
      meterId,
      sizeBytes,
    });
    return toSnapshotView(snapshot);
  }

  async list(user: AuthenticatedUser, ticketId: string): Promise<Page<TicketSnapshotView>> {
    await this.tickets.find(user.organizationId, ticketId);
    const snapshots = await this.db.manager.find(TicketSnapshotEntity, {
      where: { ticketId, organizationId: user.organizationId },
      order: { version: 'ASC' },
    });
    return { items: snapshots.map(toSnapshotView), total: snapshots.length };
  }

  async get(
    user: AuthenticatedUser,
    ticketId: string,
    version: number,
  ): Promise<TicketSnapshotView> {
    await this.tickets.find(user.organizationId, ticketId);
    const snapshot = await this.db.manager.findOneBy(TicketSnapshotEntity, {
      ticketId,
      version,
      organizationId: user.organizationId,
    });
    if (!snapshot) throw new NotFound('snapshot_not_found', 'Snapshot');
    return toSnapshotView(snapshot);
  }

  private async document(
    organizationId: string,
    meterId: string,
    capturedAt: Date,
  ): Promise<DeviceSnapshotDocument> {
    const manager: EntityManager = this.db.manager;
    const meter = await manager.findOneBy(MeterEntity, { id: meterId, organizationId });
    if (!meter) throw new NotFound('meter_not_found', 'Meter');
    const gateway = meter.gatewayId
      ? await manager.findOneBy(GatewayEntity, { id: meter.gatewayId, organizationId })
      : null;
    const issues = await manager
      .createQueryBuilder(DataQualityIssueEntity, 'issue')
      .where('issue.organization_id = :organizationId AND issue.meter_id = :meterId', {
        organizationId,
        meterId,
      })
      .andWhere(`(issue.resolved_at IS NULL OR issue.resolved_at > :since)`, {
        since: new Date(capturedAt.getTime() - RESOLVED_ISSUE_DAYS * 86_400_000),
      })
      .orderBy('issue.detected_at', 'DESC')
      .addOrderBy('issue.id', 'DESC')
      .take(MAX_ISSUES)
      .getMany();
    return {
      schemaVersion: 1,
      capturedAt: capturedAt.toISOString(),
      meter: {
        id: meter.id,
        name: meter.name,
        kind: meter.kind,
        status: meter.status,
        siteId: meter.siteId,
        model: meter.model,
        firmware: meter.firmware,
        location: meter.location,
        lastSeenAt: meter.lastSeenAt?.toISOString() ?? null,
      },
      latestReadings: await this.readings.latest(meter.id),
      dataQualityIssues: issues.map((issue) => ({
        id: issue.id,
        kind: issue.kind,
        severity: issue.severity,
        parameter: issue.parameter,
        message: issue.message,
        detectedAt: issue.detectedAt.toISOString(),
        resolvedAt: issue.resolvedAt?.toISOString() ?? null,
      })),
      gateway: gateway
        ? {
            id: gateway.id,
            serialNumber: gateway.serialNumber,
            name: gateway.name,
            protocol: gateway.protocol,
            status: gateway.status,
            lastSeenAt: gateway.lastSeenAt?.toISOString() ?? null,
            connection: gateway.connection,
          }
        : null,
    };
  }
}

function toSnapshotView(snapshot: TicketSnapshotEntity): TicketSnapshotView {
  return {
    id: snapshot.id,
    ticketId: snapshot.ticketId,
    meterId: snapshot.meterId,
    version: snapshot.version,
    capturedBy: snapshot.capturedBy,
    capturedAt: snapshot.capturedAt.toISOString(),
    sizeBytes: snapshot.sizeBytes,
    document: snapshot.document,
  };
}
