import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  TICKET_SNAPSHOT_MAX_BYTES,
  type Page,
  type TicketSnapshotView,
} from '@gridwatch/contracts';
import { DomainException, NotFound, TicketEntity, TicketSnapshotEntity } from '@gridwatch/server';
import { Clock } from '../../common/clock';
import type { AuthenticatedUser, RequestActor } from '../auth/authenticated-user';
import { TicketSnapshotsRepository } from './ticket-snapshots.repository';
import { TicketEvents } from './tickets.events';
import { TicketsService } from './tickets.service';

/**
 * Device snapshots: a meter's state captured into a ticket as versioned JSON, so support sees
 * what the meter looked like when it mattered, not what it looks like now.
 */
@Injectable()
export class TicketSnapshotsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly tickets: TicketsService,
    private readonly reader: TicketSnapshotsRepository,
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
    const document = await this.reader.document(organizationId, meterId, capturedAt);
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
