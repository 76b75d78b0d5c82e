import { Injectable } from '@nestjs/common';
import {
  RealtimeEvent,
  RoomKind,
  type EventType,
  type TicketMessageView,
  type TicketStatus,
  type TicketView,
} from '@gridwatch/contracts';
import { EventRecorder } from '@gridwatch/server';
import type { RequestActor } from '../auth/authenticated-user';
import { RealtimePublisher } from '../realtime/realtime.publisher';

/**
 * What follows a committed ticket change: its audit event and its realtime event. Internal
 * notes go only to the `ticket_internal` room, which needs tickets:write to join.
 */
@Injectable()
export class TicketEvents {
  constructor(
    private readonly audit: EventRecorder,
    private readonly realtime: RealtimePublisher,
  ) {}

  async created(actor: RequestActor, ticket: TicketView): Promise<void> {
    const organizationId = actor.user.organizationId;
    await this.record(actor, 'ticket.created', ticket.id, {
      number: ticket.number,
      priority: ticket.priority,
      assigneeId: ticket.assigneeId,
      meterId: ticket.meterId,
      alertId: ticket.alertId,
    });
    this.realtime.publish(RealtimeEvent.TicketCreated, { organizationId, ticket }, [
      { kind: RoomKind.Organization },
      { kind: RoomKind.Ticket, id: ticket.id },
    ]);
  }

  async updated(actor: RequestActor, ticket: TicketView, changed: string[]): Promise<void> {
    await this.record(actor, 'ticket.updated', ticket.id, { number: ticket.number, changed });
  }

  async assigned(actor: RequestActor, ticket: TicketView, from: string | null): Promise<void> {
    const organizationId = actor.user.organizationId;
    const at = new Date().toISOString();
    await this.record(actor, 'ticket.assigned', ticket.id, {
      number: ticket.number,
      from,
      to: ticket.assigneeId,
    });
    this.realtime.publish(
      RealtimeEvent.TicketAssigned,
      {
        organizationId,
        ticketId: ticket.id,
        number: ticket.number,
        assigneeId: ticket.assigneeId,
        by: actor.user.id,
        at,
      },
      [{ kind: RoomKind.Organization }, { kind: RoomKind.Ticket, id: ticket.id }],
    );
  }

  async statusChanged(
    actor: RequestActor,
    ticket: TicketView,
    from: TicketStatus,
    note: string | null,
  ): Promise<void> {
    const organizationId = actor.user.organizationId;
    await this.record(actor, 'ticket.status_changed', ticket.id, {
      number: ticket.number,
      from,
      to: ticket.status,
      note,
    });
    this.realtime.publish(
      RealtimeEvent.TicketStatusChanged,
      {
        organizationId,
        ticketId: ticket.id,
        number: ticket.number,
        from,
        to: ticket.status,
        note,
        by: actor.user.id,
        at: new Date().toISOString(),
      },
      [{ kind: RoomKind.Organization }, { kind: RoomKind.Ticket, id: ticket.id }],
    );
  }

  async message(actor: RequestActor, message: TicketMessageView): Promise<void> {
    const organizationId = actor.user.organizationId;
    await this.record(actor, 'ticket.message', message.ticketId, {
      messageId: message.id,
      internal: message.internal,
      attachments: message.attachments.map((attachment) => attachment.id),
    });
    const room = message.internal ? RoomKind.TicketInternal : RoomKind.Ticket;
    this.realtime.publish(
      RealtimeEvent.TicketMessage,
      { organizationId, ticketId: message.ticketId, message },
      [{ kind: room, id: message.ticketId }],
    );
  }

  async snapshotCaptured(
    actor: RequestActor,
    ticketId: string,
    snapshot: { id: string; version: number; meterId: string; sizeBytes: number },
  ): Promise<void> {
    await this.record(actor, 'ticket.snapshot_captured', ticketId, snapshot);
  }

  private record(
    actor: RequestActor,
    type: EventType,
    ticketId: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record({
      organizationId: actor.user.organizationId,
      type,
      actor,
      subject: { type: 'ticket', id: ticketId },
      data,
    });
  }
}
