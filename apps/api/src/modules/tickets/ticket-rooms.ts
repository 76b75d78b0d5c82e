import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RoomKind, Scope } from '@gridwatch/contracts';
import { TicketEntity } from '@gridwatch/server';
import { RealtimeRooms } from '../realtime/realtime-rooms';

/**
 * The ticket rooms: `ticket` (the conversation) for anyone with tickets:read in the ticket's
 * organization; `ticket_internal` (internal notes) only with tickets:write as well, so a
 * viewer's socket can never be in the room internal notes are sent to.
 */
@Injectable()
export class TicketRooms implements OnModuleInit {
  constructor(
    private readonly rooms: RealtimeRooms,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  onModuleInit(): void {
    const exists = (organizationId: string, id: string) =>
      this.db.manager.existsBy(TicketEntity, { id, organizationId });
    this.rooms.register({ kind: RoomKind.Ticket, scopes: [Scope.TicketsRead], exists });
    this.rooms.register({
      kind: RoomKind.TicketInternal,
      scopes: [Scope.TicketsRead, Scope.TicketsWrite],
      exists,
    });
  }
}
