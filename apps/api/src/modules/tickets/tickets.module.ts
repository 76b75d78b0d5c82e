import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { TicketEntity } from '@gridwatch/server';
import { Clock } from '../../common/clock';
import { ReadingsModule } from '../readings/readings.module';
import { AlertTicketsController } from './alert-tickets.controller';
import { AttachmentStore } from './attachment-store';
import { AttachmentsController } from './attachments.controller';
import { TicketAttachmentsService } from './ticket-attachments.service';
import { TicketMessagesService } from './ticket-messages.service';
import { TicketRooms } from './ticket-rooms';
import { TicketSlaController } from './ticket-sla.controller';
import { TicketSlaService } from './ticket-sla.service';
import { TicketSnapshotsRepository } from './ticket-snapshots.repository';
import { TicketSnapshotsService } from './ticket-snapshots.service';
import { TicketsController } from './tickets.controller';
import { TicketEvents } from './tickets.events';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

/** Support tickets: SLA, live chat (realtime ticket rooms), attachments and device snapshots. */
@Module({
  imports: [TypeOrmModule.forFeature([TicketEntity]), ReadingsModule],
  controllers: [
    TicketsController,
    AlertTicketsController,
    AttachmentsController,
    TicketSlaController,
  ],
  providers: [
    Clock,
    TicketsService,
    TicketsRepository,
    TicketMessagesService,
    TicketAttachmentsService,
    TicketSnapshotsService,
    TicketSnapshotsRepository,
    TicketSlaService,
    TicketEvents,
    TicketRooms,
    AttachmentStore,
  ],
})
export class TicketsModule {}
